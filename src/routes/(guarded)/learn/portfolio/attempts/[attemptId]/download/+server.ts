import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { documentResponse, prepareDocument } from '$lib/server/portfolio/documents';

/** One ended attempt of the learner's own as a new PDF document; anyone else's is "not found". */
export const GET: RequestHandler = withRole('learner', ({ locals, params, url }) => {
	const db = getDb();
	const learnerId = locals.user!.id;
	const prepared = prepareDocument(db, { learnerId, kind: 'attempt', attemptId: params.attemptId });
	if (!prepared) error(404, { message: 'There is no ended attempt of yours at this address.' });
	return documentResponse(db, prepared, { origin: url.origin, issuedBy: learnerId });
});

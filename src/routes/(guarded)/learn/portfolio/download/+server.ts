import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { documentResponse, prepareDocument } from '$lib/server/portfolio/documents';

/** The learner's whole portfolio as a new PDF document, streamed. */
export const GET: RequestHandler = withRole('learner', ({ locals, url }) => {
	const db = getDb();
	const learnerId = locals.user!.id;
	const prepared = prepareDocument(db, { learnerId, kind: 'portfolio' });
	if (!prepared) error(404, { message: 'There is no portfolio to download.' });
	return documentResponse(db, prepared, { origin: url.origin, issuedBy: learnerId });
});

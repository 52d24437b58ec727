import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { assesses } from '$lib/server/cohort-membership';
import { documentResponse, prepareDocument } from '$lib/server/portfolio/documents';

/** The portfolio of a learner this assessor assesses; any other learner is "not found". */
export const GET: RequestHandler = withRole('assessor', ({ locals, params, url }) => {
	const db = getDb();
	const assessorId = locals.user!.id;
	const learnerId = params.learnerId;
	const prepared = learnerId !== assessorId && assesses(db, assessorId, learnerId) ? prepareDocument(db, { learnerId, kind: 'portfolio' }) : undefined;
	if (!prepared) error(404, { message: 'There is no learner of yours at this address.' });
	return documentResponse(db, prepared, { origin: url.origin, issuedBy: assessorId });
});

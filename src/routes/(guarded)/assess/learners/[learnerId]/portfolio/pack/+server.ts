import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { assesses } from '$lib/server/cohort-membership';
import { downloadEvidencePack } from '$lib/server/portfolio/pack-download';

/** The evidence pack of a learner this assessor assesses; any other learner is "not found". */
export const POST: RequestHandler = withRole('assessor', async (event) => {
	const db = getDb();
	const assessorId = event.locals.user!.id;
	const learnerId = event.params.learnerId;
	const theirs = learnerId !== assessorId && await assesses(db, assessorId, learnerId);
	return downloadEvidencePack(db, event, { learnerId: theirs ? learnerId : undefined, issuedBy: assessorId, notFound: 'There is no learner of yours at this address.' });
});

/** A GET issues nothing: back to the page with the download button. */
export const GET: RequestHandler = withRole('assessor', ({ params }) => redirect(303, `/assess/learners/${encodeURIComponent(params.learnerId)}/portfolio`));

import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { downloadEvidencePack, learnerOfCentre } from '$lib/server/portfolio/pack-download';

/** The evidence pack of a learner of the IQA's centre; anyone else is "not found". */
export const POST: RequestHandler = withRole('iqa', async (event) => {
	const db = getDb();
	const iqa = event.locals.user!;
	const learnerId = event.params.learnerId;
	const ours = await learnerOfCentre(db, iqa.organisationId, iqa.id, learnerId);
	return downloadEvidencePack(db, event, { learnerId: ours ? learnerId : undefined, issuedBy: iqa.id, notFound: 'There is no learner of your centre at this address.' });
});

/** A GET issues nothing: back to the quality page. */
export const GET: RequestHandler = withRole('iqa', () => redirect(303, '/iqa'));

import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { downloadEvidencePack, learnerOfCentre } from '$lib/server/portfolio/pack-download';

/** The evidence pack of a learner of the administrator's centre; anyone else is "not found". */
export const POST: RequestHandler = withRole('admin', async (event) => {
	const db = getDb();
	const admin = event.locals.user!;
	const learnerId = event.params.userId;
	const ours = await learnerOfCentre(db, admin.organisationId, admin.id, learnerId);
	return downloadEvidencePack(db, event, { learnerId: ours ? learnerId : undefined, issuedBy: admin.id, notFound: 'There is no learner of your centre at this address.' });
});

/** A GET issues nothing: back to the user's page. */
export const GET: RequestHandler = withRole('admin', ({ params }) => redirect(303, `/admin/users/${encodeURIComponent(params.userId)}`));

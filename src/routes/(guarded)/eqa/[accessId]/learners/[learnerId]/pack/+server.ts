import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { downloadEvidencePack } from '$lib/server/portfolio/pack-download';
import { LEARNER_NOT_FOUND, recordEqaView } from '$lib/server/eqa/grants';
import { requireOpenGrant, requireSampledLearner } from '$lib/server/eqa/guard';

/** The evidence pack of a learner of the EQA's open sample; anyone else is "not found". */
export const POST: RequestHandler = withRole('eqa', async (event) => {
	const db = getDb();
	const opened = await requireOpenGrant(db, event);
	await requireSampledLearner(db, opened, event.params.learnerId);
	await recordEqaView(db, opened.visitor, opened.grant, 'evidence-pack', event.params.learnerId);
	return downloadEvidencePack(db, event, { learnerId: event.params.learnerId, issuedBy: opened.visitor.id, notFound: LEARNER_NOT_FOUND });
});

/** A GET issues nothing: back to the learner's page (which checks the grant in turn). */
export const GET: RequestHandler = withRole('eqa', (event) =>
	redirect(303, `/eqa/${encodeURIComponent(event.params.accessId)}/learners/${encodeURIComponent(event.params.learnerId)}`)
);

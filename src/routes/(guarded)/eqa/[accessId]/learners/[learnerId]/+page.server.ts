import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { OUTCOME_LABELS } from '$lib/server/assessment';
import { LEARNER_NOT_FOUND, STANDING_LABELS, recordEqaView } from '$lib/server/eqa/grants';
import { requireOpenGrant, requireSampledLearner } from '$lib/server/eqa/guard';
import { sampledLearnerView } from '$lib/server/eqa/views';

export const load = withRole('eqa', ((event) => {
	const db = getDb();
	const opened = requireOpenGrant(db, event);
	requireSampledLearner(db, opened, event.params.learnerId);
	const view = sampledLearnerView(db, opened.grant, event.params.learnerId);
	if (!view) error(404, { message: LEARNER_NOT_FOUND });
	recordEqaView(db, opened.visitor, opened.grant, 'learner', view.learner.id);
	return {
		access: { id: opened.grant.id, centreName: opened.centreName, cohortName: opened.cohortName },
		...view,
		// issue 17: the IQA's signed records of this learner (sampleRecordsFor in src/lib/server/iqa/records.ts, the sample helper's) are wired here at merge.
		iqaRecords: null,
		standingLabels: STANDING_LABELS,
		outcomeLabels: OUTCOME_LABELS
	};
}) satisfies PageServerLoad);

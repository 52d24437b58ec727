import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { OUTCOME_LABELS } from '$lib/server/assessment';
import { LEARNER_NOT_FOUND, STANDING_LABELS, recordEqaView } from '$lib/server/eqa/grants';
import { requireOpenGrant, requireSampledLearner } from '$lib/server/eqa/guard';
import { sampledLearnerView } from '$lib/server/eqa/views';
import { sampleRecordsFor } from '$lib/server/iqa/records';
import { STAGE_LABELS } from '$lib/server/iqa/sampling';
import { VACS_LABELS } from '$lib/server/iqa/samples';
import { ACTION_STATE_LABELS } from '$lib/server/iqa/action-state';

export const load = withRole('eqa', (async (event) => {
	const db = getDb();
	const opened = await requireOpenGrant(db, event);
	await requireSampledLearner(db, opened, event.params.learnerId);
	const view = await sampledLearnerView(db, opened.grant, event.params.learnerId);
	if (!view) error(404, { message: LEARNER_NOT_FOUND });
	await recordEqaView(db, opened.visitor, opened.grant, 'learner', view.learner.id);
	return {
		access: { id: opened.grant.id, centreName: opened.centreName, cohortName: opened.cohortName },
		...view,
		// The IQA's signed records of this learner's sampled decisions: rounds, actions and their history, locks.
		iqaRecords: (await sampleRecordsFor(db, { learnerId: view.learner.id })).map((r) => ({
			id: r.sample.id,
			stage: r.sample.stage,
			kind: r.sample.decisionKind,
			snapshotHash: r.snapshotHash,
			snapshotTakenAt: r.snapshotTakenAt,
			assessorName: r.snapshot.assessor.name,
			countersignerName: r.snapshot.countersigner?.name ?? null,
			outcome: r.snapshot.outcome,
			decisionSignedAt: r.snapshot.signedAt,
			locked: r.locked,
			rounds: r.rounds.map((round) => ({
				round: round.round,
				vacs: round.vacs,
				criteria: round.criteria,
				feedback: round.feedback,
				signedName: round.signedName,
				signedAt: round.signedAt,
				signatureHash: round.signatureHash,
				verified: round.verified
			})),
			actions: r.actions.map((a) => ({
				id: a.id,
				criterion: a.criterion,
				criterionTitle: a.criterionTitle,
				action: a.action,
				targetDate: a.targetDate,
				state: a.state,
				history: a.history.map((h) => ({ id: h.id, kind: h.kind, text: h.text, at: h.at, byName: h.byName }))
			}))
		})),
		stageLabels: STAGE_LABELS,
		vacsLabels: VACS_LABELS,
		actionStateLabels: ACTION_STATE_LABELS,
		standingLabels: STANDING_LABELS,
		outcomeLabels: OUTCOME_LABELS
	};
}) satisfies PageServerLoad);

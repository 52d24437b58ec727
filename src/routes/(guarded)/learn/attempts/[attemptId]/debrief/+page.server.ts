import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { ownedAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { reflectionOf } from '$lib/server/reflections';
import { OUTCOME_LABELS, decisionsForLearner } from '$lib/server/assessment';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { choiceCommentsOf, debriefOf } from '$lib/components/learn/debrief';
import { conversationMedium } from '$lib/sim/conversation';

const NOT_FOUND = 'There is no attempt of yours at this address.';

export const load = withRole('learner', (async ({ locals, params }) => {
	const db = getDb();
	const owned = await ownedAttempt(db, locals.user!.id, params.attemptId);
	if (!owned) error(404, { message: NOT_FOUND });
	const { view, version, loaded } = owned;
	// An attempt under way has no debrief yet: back to it.
	if (view.status !== 'ended' || !view.result) redirect(303, `/learn/attempts/${view.id}`);
	return {
		attempt: {
			id: view.id,
			scenarioId: view.scenarioId,
			title: version.title,
			version: version.version,
			startedAt: view.startedAt,
			endedAt: view.endedAt,
			clockStart: view.transcript[0]?.at ?? view.result.clock,
			clockEnd: view.result.clock
		},
		result: view.result,
		debrief: debriefOf(view.result, view.transcript, choiceCommentsOf(loaded.scenario)),
		transcript: view.transcript,
		medium: conversationMedium(loaded.scenario.personas, null, view.transcript),
		reflection: (await reflectionOf(db, locals.user!.id, view.id))?.status ?? null,
		// Newest first; never the assessor's private note.
		decisions: await decisionsForLearner(db, locals.user!.id, view.id),
		outcomeLabels: OUTCOME_LABELS
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('learner', {
	again: async ({ locals, params }) => {
		const db = getDb();
		const owned = await ownedAttempt(db, locals.user!.id, params.attemptId);
		if (!owned) error(404, { message: NOT_FOUND });
		const started = await startLearnerAttempt(db, locals.user!.id, owned.view.scenarioId);
		if (!started.ok) return fail(409, { againError: `A new attempt could not be started: ${started.error.message}` });
		redirect(303, `/learn/attempts/${started.value.id}`);
	}
} satisfies Actions);

import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { applyLearnerAction, endLearnerAttempt, ownedAttempt, screenTranscript } from '$lib/server/attempts';
import { chooseReply, simulationScreen, submitDeskForm, type SimulationTarget } from '$lib/server/simulation-screen';
import type { DeskResult } from '$lib/sim/desk/forms';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('learner', (async ({ locals, params, url }) => {
	const user = locals.user;
	if (!user) redirect(303, '/login');
	const db = getDb();
	const owned = await ownedAttempt(db, user.id, params.attemptId, { transcript: screenTranscript(url) });
	if (!owned) error(404, { message: 'That attempt was not found. It may belong to someone else, or the link may be wrong.' });
	return await simulationScreen(db, owned, owned.version.title, url);
}) satisfies PageServerLoad);

// ── Actions: read the form, apply one action through the runtime, answer with data or fail() ──

function learnerId(locals: App.Locals): string {
	if (!locals.user) error(401, { message: 'Log in to continue.' });
	return locals.user.id;
}

function asLearner(locals: App.Locals, attemptId: string): SimulationTarget {
	const id = learnerId(locals);
	return {
		apply: async (action, seq) => await applyLearnerAction(getDb(), id, attemptId, action, seq),
		notFound: 'That attempt was not found.',
		noun: 'attempt'
	};
}

export const actions = actionsWithRole('learner', {
	choose: async ({ request, locals, params }) => chooseReply(request, asLearner(locals, params.attemptId)),

	op: async ({ request, locals, params }) => submitDeskForm(request, asLearner(locals, params.attemptId)),

	end: async ({ locals, params }) => {
		const result = await endLearnerAttempt(getDb(), learnerId(locals), params.attemptId);
		if (!result.ok) {
			if (result.error.code === 'attempt.not-found') error(404, { message: 'That attempt was not found.' });
			return fail(400, { kind: 'end', message: result.error.message } satisfies DeskResult);
		}
		redirect(303, `/learn/attempts/${encodeURIComponent(params.attemptId)}/debrief`);
	}
} satisfies Actions);

import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { titleOfSource } from '$lib/sim/scenario-source';
import { applyPreviewAction, endPreview, ownedPreview, pointsSoFar } from '$lib/server/preview';
import { screenTranscript } from '$lib/server/attempts';
import { chooseReply, simulationScreen, submitDeskForm, type SimulationTarget } from '$lib/server/simulation-screen';
import type { DeskResult } from '$lib/sim/desk/forms';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

const NOT_FOUND = 'That preview was not found. Only the tutor who started a preview can open it.';

export const load = withRole('tutor', (async ({ locals, params, url }) => {
	const user = locals.user!;
	const db = getDb();
	const owned = await ownedPreview(db, user.id, params.scenarioId, params.attemptId, { transcript: screenTranscript(url) });
	if (!owned) error(404, { message: NOT_FOUND });
	const title = titleOfSource(owned.preview.source) ?? owned.loaded.scenario.title;
	const marking = await pointsSoFar(db, owned);
	return {
		...await simulationScreen(db, owned, title, url),
		preview: { scenarioId: params.scenarioId, startedAt: owned.preview.startedAt },
		marking: {
			score: marking.score,
			verdict: marking.verdict,
			points: marking.points.map((p) => ({
				id: p.id,
				description: p.description,
				met: p.met,
				outcome: p.outcome ?? (p.met ? 'met' : 'missed'),
				critical: p.critical,
				weight: p.weight,
				earned: p.earned ?? 0,
				evidence: p.evidence.length,
				criteria: p.criteria
			}))
		}
	};
}) satisfies PageServerLoad);

// ── Actions: as on the learner's attempt page, through the preview's own ownership check ──

function asTutor(locals: App.Locals, params: { scenarioId: string; attemptId: string }): SimulationTarget {
	const tutorId = locals.user!.id;
	return {
		apply: async (action, seq) => await applyPreviewAction(getDb(), tutorId, params.scenarioId, params.attemptId, action, seq),
		notFound: NOT_FOUND,
		noun: 'preview'
	};
}

export const actions = actionsWithRole('tutor', {
	choose: async ({ request, locals, params }) => chooseReply(request, asTutor(locals, params)),

	op: async ({ request, locals, params }) => submitDeskForm(request, asTutor(locals, params)),

	end: async ({ locals, params }) => {
		const result = await endPreview(getDb(), locals.user!.id, params.scenarioId, params.attemptId);
		if (!result.ok) {
			if (result.error.code === 'attempt.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { kind: 'end', message: result.error.message } satisfies DeskResult);
		}
		redirect(303, `/author/scenarios/${encodeURIComponent(params.scenarioId)}/preview/${encodeURIComponent(params.attemptId)}#points-heading`);
	}
} satisfies Actions);

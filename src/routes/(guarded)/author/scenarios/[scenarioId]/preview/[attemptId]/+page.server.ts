import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { titleOfSource } from '$lib/server/authoring';
import { applyPreviewAction, endPreview, ownedPreview, pointsSoFar } from '$lib/server/preview';
import type { CoreError } from '$lib/core';
import { CORE_OPERATIONS, type CoreOperationName } from '$lib/sim/runtime';
import { deskForms, parseFormId, readForm, type DeskResult } from '$lib/components/sim/forms';
import { deskData } from '$lib/server/desk';

const NOT_FOUND = 'That preview was not found. Only the tutor who started a preview can open it.';

export const load = (({ locals, params, url }) => {
	const user = locals.user!;
	const db = getDb();
	const owned = ownedPreview(db, user.id, params.scenarioId, params.attemptId);
	if (!owned) error(404, { message: NOT_FOUND });
	const title = titleOfSource(owned.preview.source) ?? owned.loaded.scenario.title;
	const marking = pointsSoFar(db, owned);
	return {
		...deskData(db, owned.view, owned.loaded, title, owned.view.ownerId, url),
		preview: { scenarioId: params.scenarioId, startedAt: owned.preview.startedAt },
		marking: {
			score: marking.score,
			passed: marking.passed,
			points: marking.points.map((p) => ({ id: p.id, description: p.description, met: p.met, critical: p.critical, weight: p.weight, evidence: p.evidence.length, criteria: p.criteria }))
		}
	};
}) satisfies PageServerLoad;

// ── Actions: as on the learner's attempt page, through the preview's own ownership check ──

const field = (form: FormData, name: string): string => {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
};

function expectedSeq(form: FormData): number | undefined {
	const raw = field(form, 'expectedActionSeq');
	return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

const OUT_OF_DATE = 'This form is out of date. Reload the page and try again.';

function refused(e: CoreError, result: DeskResult) {
	if (e.code === 'attempt.not-found') error(404, { message: NOT_FOUND });
	if (e.code === 'attempt.stale') return fail(409, { ...result, stale: true, message: 'This preview moved on in another tab: here is where it is now.' } satisfies DeskResult);
	if (e.code === 'attempt.ended') return fail(409, { ...result, message: e.message } satisfies DeskResult);
	return fail(400, { ...result, message: e.message } satisfies DeskResult);
}

export const actions = {
	choose: async ({ request, locals, params }) => {
		const form = await request.formData();
		const seq = expectedSeq(form);
		const choiceId = field(form, 'choiceId').slice(0, 200);
		if (seq === undefined) return fail(400, { kind: 'choice', message: OUT_OF_DATE } satisfies DeskResult);
		if (choiceId === '') return fail(400, { kind: 'choice', message: 'Choose one of the replies.' } satisfies DeskResult);
		const result = applyPreviewAction(getDb(), locals.user!.id, params.scenarioId, params.attemptId, { kind: 'choice', choiceId }, seq);
		if (!result.ok) return refused(result.error, { kind: 'choice' });
		return { kind: 'choice', replayed: result.value.replayed } satisfies DeskResult;
	},

	op: async ({ request, locals, params }) => {
		const form = await request.formData();
		const formId = field(form, 'formId').slice(0, 200);
		const operation = field(form, 'operation');
		const seq = expectedSeq(form);
		const id = parseFormId(formId);
		const spec = id && deskForms(undefined, id.instance)[id.key];
		if (!spec || !spec.submit.some((s) => s.operation === operation) || !Object.hasOwn(CORE_OPERATIONS, operation)) {
			return fail(400, { kind: 'op', formId, message: 'The record system does not know this form. Reload the page and try again.' } satisfies DeskResult);
		}
		const { input, values, problems } = readForm(spec, form);
		if (seq === undefined) return fail(400, { kind: 'op', formId, values, message: OUT_OF_DATE } satisfies DeskResult);
		if (problems.length > 0) return fail(400, { kind: 'op', formId, values, problems } satisfies DeskResult);

		const result = applyPreviewAction(getDb(), locals.user!.id, params.scenarioId, params.attemptId, { kind: 'core', operation: operation as CoreOperationName, input }, seq);
		if (!result.ok) return refused(result.error, { kind: 'op', formId, values });
		const outcome = result.value;
		const said = outcome.transcript.find((line) => line.kind === 'system')?.text;
		const core = outcome.core;
		if (core && !core.ok) {
			const issues = (core.error as { issues?: unknown }).issues;
			const e = {
				code: core.error.code,
				message: core.error.message,
				...(core.error.field === undefined ? {} : { field: core.error.field }),
				...(Array.isArray(issues) ? { issues: issues.map((i: { field?: unknown; message?: unknown }) => ({ field: String(i.field ?? ''), message: String(i.message ?? '') })) } : {})
			};
			return fail(422, { kind: 'op', formId, values, error: e, said, replayed: outcome.replayed } satisfies DeskResult);
		}
		return { kind: 'op', formId, said, replayed: outcome.replayed } satisfies DeskResult;
	},

	end: async ({ locals, params }) => {
		const result = endPreview(getDb(), locals.user!.id, params.scenarioId, params.attemptId);
		if (!result.ok) {
			if (result.error.code === 'attempt.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { kind: 'end', message: result.error.message } satisfies DeskResult);
		}
		redirect(303, `/author/scenarios/${encodeURIComponent(params.scenarioId)}/preview/${encodeURIComponent(params.attemptId)}#points-heading`);
	}
} satisfies Actions;

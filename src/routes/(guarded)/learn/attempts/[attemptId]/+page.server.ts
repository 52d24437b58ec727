import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { deskData } from '$lib/server/desk';
import { applyLearnerAction, endLearnerAttempt, ownedAttempt } from '$lib/server/attempts';
import type { CoreError } from '$lib/core';
import { CORE_OPERATIONS, type CoreOperationName } from '$lib/sim/runtime';
import { deskForms, parseFormId, readForm, type DeskResult } from '$lib/components/sim/forms';

export const load = (({ locals, params, url }) => {
	const user = locals.user;
	if (!user) redirect(303, '/login');
	const db = getDb();
	const owned = ownedAttempt(db, user.id, params.attemptId);
	if (!owned) error(404, { message: 'That attempt was not found. It may belong to someone else, or the link may be wrong.' });
	return deskData(db, owned.view, owned.loaded, owned.version.title, user.id, url);
}) satisfies PageServerLoad;

// ── Actions: read the form, apply one action through the runtime, answer with data or fail() ──

function learnerId(locals: App.Locals): string {
	if (!locals.user) error(401, { message: 'Log in to continue.' });
	return locals.user.id;
}

const field = (form: FormData, name: string): string => {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
};

/** The seq the page expected its action to get; undefined when the form did not say (a hand-made post). */
function expectedSeq(form: FormData): number | undefined {
	const raw = field(form, 'expectedActionSeq');
	return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

const OUT_OF_DATE = 'This form is out of date. Reload the page and try again.';

/** The runtime refused the action itself (not the core its input): say why, or 404 for an attempt not the learner's. */
function refused(e: CoreError, result: DeskResult) {
	if (e.code === 'attempt.not-found') error(404, { message: 'That attempt was not found.' });
	if (e.code === 'attempt.stale') return fail(409, { ...result, stale: true, message: 'This attempt moved on in another tab: here is where it is now.' } satisfies DeskResult);
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
		const result = applyLearnerAction(getDb(), learnerId(locals), params.attemptId, { kind: 'choice', choiceId }, seq);
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

		const result = applyLearnerAction(getDb(), learnerId(locals), params.attemptId, { kind: 'core', operation: operation as CoreOperationName, input }, seq);
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
		const result = endLearnerAttempt(getDb(), learnerId(locals), params.attemptId);
		if (!result.ok) {
			if (result.error.code === 'attempt.not-found') error(404, { message: 'That attempt was not found.' });
			return fail(400, { kind: 'end', message: result.error.message } satisfies DeskResult);
		}
		redirect(303, `/learn/attempts/${encodeURIComponent(params.attemptId)}/debrief`);
	}
} satisfies Actions;

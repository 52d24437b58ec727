import { error, fail } from '@sveltejs/kit';
import type { CoreError } from '$lib/core';
import type { Result } from '$lib/core/result';
import type { ActionOutcome } from '$lib/sim/attempts';
import { CORE_OPERATIONS, type CoreOperationName, type LearnerAction } from '$lib/sim/runtime';
import { deskForms, parseFormId, readForm, type DeskResult } from '$lib/components/sim/forms';

/**
 * The simulation screen's two form actions — a reply in the conversation, a record-system form —
 * read, checked and answered the same way wherever the screen is shown: the learner's attempt and a
 * tutor's preview differ only in how an action is applied (with whose ownership check) and in what
 * an attempt that is not theirs is called.
 */
export interface DeskActionTarget {
	/** Applies the action through the runtime, after the page's own ownership check. */
	apply(action: LearnerAction, expectedActionSeq: number): Result<ActionOutcome>;
	/** The 404 message for an attempt the user may not see. */
	notFound: string;
	/** "attempt" or "preview", as the user knows it. */
	noun: string;
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

/** The runtime refused the action itself (not the core its input): say why, or 404 for an attempt not the user's. */
function refused(target: DeskActionTarget, e: CoreError, result: DeskResult) {
	if (e.code === 'attempt.not-found') error(404, { message: target.notFound });
	if (e.code === 'attempt.stale') return fail(409, { ...result, stale: true, message: `This ${target.noun} moved on in another tab: here is where it is now.` } satisfies DeskResult);
	if (e.code === 'attempt.ended') return fail(409, { ...result, message: e.message } satisfies DeskResult);
	return fail(400, { ...result, message: e.message } satisfies DeskResult);
}

export async function chooseReply(request: Request, target: DeskActionTarget) {
	const form = await request.formData();
	const seq = expectedSeq(form);
	const choiceId = field(form, 'choiceId').slice(0, 200);
	if (seq === undefined) return fail(400, { kind: 'choice', message: OUT_OF_DATE } satisfies DeskResult);
	if (choiceId === '') return fail(400, { kind: 'choice', message: 'Choose one of the replies.' } satisfies DeskResult);
	const result = target.apply({ kind: 'choice', choiceId }, seq);
	if (!result.ok) return refused(target, result.error, { kind: 'choice' });
	return { kind: 'choice', replayed: result.value.replayed } satisfies DeskResult;
}

export async function submitDeskForm(request: Request, target: DeskActionTarget) {
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

	const result = target.apply({ kind: 'core', operation: operation as CoreOperationName, input }, seq);
	if (!result.ok) return refused(target, result.error, { kind: 'op', formId, values });
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
}

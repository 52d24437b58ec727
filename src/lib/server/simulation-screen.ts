/**
 * The simulation screen on the server: its data and its two form actions (a reply in the
 * conversation, a record-system form), the same for the learner's attempt and a tutor's preview.
 * The two differ only in how an action is applied (with whose ownership check) and in what an
 * attempt that is not the user's is called: the route says both in a `SimulationTarget`.
 *
 * A record-system form names its operation; the desk's registry is asked once (postedOperation) and
 * the entry it gives is the one the form is read with, run and worded by.
 */
import { error, fail } from '@sveltejs/kit';
import type { CoreError, Db, Result } from '$lib/core';
import type { ActionOutcome, AttemptView, LearnerAction, LoadedScenario, TranscriptWindow } from '$lib/sim/runtime';
import { readForm, type DeskResult } from '$lib/sim/desk/forms';
import { postedOperation } from '$lib/sim/desk/registry';
import { deskScreen } from '$lib/sim/desk/screen';
import { text } from '$lib/form-data';
import { postedForm } from './posted-form';
import { screenTranscript } from './attempts';

export interface SimulationTarget {
	/** Applies the action through the runtime, after the page's own ownership check. */
	apply(action: LearnerAction, expectedActionSeq: number): Promise<Result<ActionOutcome>>;
	/** The 404 message for an attempt the user may not see. */
	notFound: string;
	/** "attempt" or "preview", as the user knows it. */
	noun: string;
}

/**
 * The screen's data for an attempt the route has found to be the user's, with the transcript's
 * window for this URL (screenTranscript: its last lines, or the whole on `?transcript=all`). The
 * learner's route reads only that window; a view read whole (a preview's) is cut to it here, so a
 * tutor sees the screen a learner would.
 */
export async function simulationScreen(db: Db, owned: { view: AttemptView; loaded: LoadedScenario }, title: string, url: URL) {
	const view = inWindow(owned.view, screenTranscript(url));
	return await deskScreen(db, view, owned.loaded, { title, historyField: url.searchParams.get('history') });
}

/** The view with at most the window's lines of its transcript, the lines left out counted in earlierLines. */
function inWindow(view: AttemptView, window: TranscriptWindow): AttemptView {
	if (window === 'whole' || view.transcript.length <= window.last) return view;
	const cut = view.transcript.length - window.last;
	return { ...view, transcript: view.transcript.slice(cut), earlierLines: view.earlierLines + cut };
}

/** The seq the page expected its action to get; undefined when the form did not say (a hand-made post). */
function expectedSeq(form: FormData): number | undefined {
	const raw = text(form, 'expectedActionSeq', { max: 20 });
	return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

const OUT_OF_DATE = 'This form is out of date. Reload the page and try again.';

/** The runtime refused the action itself (not the core its input): say why, or 404 for an attempt not the user's. */
function refused(target: SimulationTarget, e: CoreError, result: DeskResult) {
	if (e.code === 'attempt.not-found') error(404, { message: target.notFound });
	if (e.code === 'attempt.stale') return fail(409, { ...result, stale: true, message: `This ${target.noun} moved on in another tab: here is where it is now.` } satisfies DeskResult);
	if (e.code === 'attempt.ended') return fail(409, { ...result, message: e.message } satisfies DeskResult);
	return fail(400, { ...result, message: e.message } satisfies DeskResult);
}

/** The `choose` action: a reply chosen in the conversation. */
export async function chooseReply(request: Request, target: SimulationTarget) {
	const form = await postedForm(request);
	const seq = expectedSeq(form);
	const choiceId = text(form, 'choiceId', { max: 200 });
	if (seq === undefined) return fail(400, { kind: 'choice', message: OUT_OF_DATE } satisfies DeskResult);
	if (choiceId === '') return fail(400, { kind: 'choice', message: 'Choose one of the replies.' } satisfies DeskResult);
	const result = await target.apply({ kind: 'choice', choiceId }, seq);
	if (!result.ok) return refused(target, result.error, { kind: 'choice' });
	return { kind: 'choice', replayed: result.value.replayed } satisfies DeskResult;
}

/** The `op` action: a record-system form, read as its registry entry says and run through the runtime. */
export async function submitDeskForm(request: Request, target: SimulationTarget) {
	const form = await postedForm(request);
	const formId = text(form, 'formId', { max: 200 });
	const posted = postedOperation(formId, text(form, 'operation', { max: 200 }));
	if (!posted.ok) return fail(400, { kind: 'op', formId, message: posted.error.message } satisfies DeskResult);
	const { operation, form: spec } = posted.value;
	const { input, values, problems } = readForm(spec, form);
	const seq = expectedSeq(form);
	if (seq === undefined) return fail(400, { kind: 'op', formId, values, message: OUT_OF_DATE } satisfies DeskResult);
	if (problems.length > 0) return fail(400, { kind: 'op', formId, values, problems } satisfies DeskResult);

	const result = await target.apply({ kind: 'core', operation: operation.name, input }, seq);
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
	// What was typed goes back too: a form that keeps it (a search) shows it again after a plain post, without JavaScript.
	return { kind: 'op', formId, values, said, replayed: outcome.replayed } satisfies DeskResult;
}

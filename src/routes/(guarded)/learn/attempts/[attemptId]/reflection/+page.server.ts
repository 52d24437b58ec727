import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { readForm, text } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { ownedAttempt } from '$lib/server/attempts';
import { resubmissionRequest } from '$lib/server/assessment';
import { verdictOf } from '$lib/sim/marking';
import {
	REFLECTION_GUIDANCE,
	REFLECTION_LABELS,
	REFLECTION_MAX_CHARS,
	REFLECTION_MIN_WORDS,
	REFLECTION_PARTS,
	reflectionOf,
	reflectionText,
	confirmReflection,
	prepareReflection,
	saveReflectionDraft,
	type ReflectionResult,
	type ReflectionText
} from '$lib/server/reflections';

const NOT_FOUND = 'There is no attempt of yours at this address.';

export const load = withRole('learner', (async ({ locals, params, url }) => {
	const db = getDb();
	const owned = await ownedAttempt(db, locals.user!.id, params.attemptId);
	if (!owned) error(404, { message: NOT_FOUND });
	if (owned.view.status !== 'ended') redirect(303, `/learn/attempts/${owned.view.id}`);
	const saved = await reflectionOf(db, locals.user!.id, owned.view.id);
	return {
		attempt: { id: owned.view.id, title: owned.version.title, startedAt: owned.view.startedAt },
		// The debrief at a glance, beside the form: what the learner is reflecting on.
		result: owned.view.result
			? {
					score: owned.view.result.score,
					passed: owned.view.result.passed,
					verdict: verdictOf(owned.view.result),
					points: owned.view.result.points.map((p) => ({ id: p.id, description: p.description, met: p.met, critical: p.critical }))
				}
			: null,
		parts: REFLECTION_PARTS.map((key) => ({ key, label: REFLECTION_LABELS[key], hint: REFLECTION_GUIDANCE[key] })),
		limits: { maxChars: REFLECTION_MAX_CHARS, minWords: REFLECTION_MIN_WORDS },
		values: reflectionText(saved ?? {}),
		status: saved?.status ?? null,
		updatedAt: saved?.updatedAt ?? null,
		submittedAt: saved?.submittedAt ?? null,
		justSaved: url.searchParams.get('saved') === 'draft' && saved?.status === 'draft',
		// The second step of a submission: the saved draft, read over before it is submitted for good.
		confirming: url.searchParams.has('confirm') && saved?.status === 'draft',
		// The assessor's request when they reopened it for a resubmission.
		resubmission: saved?.status === 'draft' ? (await resubmissionRequest(db, locals.user!.id, owned.view.id) ?? null) : null
	};
}) satisfies PageServerLoad);

/** Runs a save or a submission and turns its refusal into what the form shows, with everything typed. */
async function write(event: RequestEvent, run: (text: ReflectionText) => Promise<ReflectionResult>, done: string) {
	const form = await readForm(event.request);
	if (!form) {
		// A body over the server's size limit: nothing of it can be read back. No values are sent, so an
		// enhanced form keeps what is in its boxes rather than being reset to the saved draft.
		return fail(413, { errors: {}, message: 'Your reflection is far too long to be sent. Shorten it and try again.' });
	}
	const values = reflectionText(Object.fromEntries(REFLECTION_PARTS.map((part) => [part, text(form, part, { max: 100_000 })])));
	const result = await run(values);
	if (result.ok) redirect(303, done);
	return refused(event, result, values);
}

function refused(event: RequestEvent, result: ReflectionResult & { ok: false }, values?: ReflectionText) {
	const { code, message, fields } = result.error;
	if (code === 'attempt.not-found') error(404, { message: NOT_FOUND });
	if (code === 'attempt.in-progress') redirect(303, `/learn/attempts/${event.params.attemptId}`);
	if (code === 'reflection.changed') return fail(409, { errors: {}, message, confirm: true });
	return fail(code === 'reflection.submitted' ? 409 : 400, { ...(values ? { values } : {}), errors: fields ?? {}, message });
}

export const actions = actionsWithRole('learner', {
	save: (event) =>
		write(event, async (text) => await saveReflectionDraft(getDb(), event.locals.user!.id, event.params.attemptId, text), `/learn/attempts/${event.params.attemptId}/reflection?saved=draft`),
	// Step one of a submission: checked and saved, then read over on the confirmation step.
	submit: (event) =>
		write(event, async (text) => await prepareReflection(getDb(), event.locals.user!.id, event.params.attemptId, text), `/learn/attempts/${event.params.attemptId}/reflection?confirm`),
	// Step two: the draft the learner read over (saved at `savedAt`) is submitted for good.
	confirm: async (event) => {
		const form = await readForm(event.request);
		if (!form) return fail(413, { errors: {}, message: 'What you sent could not be read. Try again.' });
		const result = await confirmReflection(getDb(), event.locals.user!.id, event.params.attemptId, text(form, 'savedAt', { max: 100 }));
		if (result.ok) redirect(303, `/learn/attempts/${event.params.attemptId}/reflection`);
		return refused(event, result);
	}
} satisfies Actions);

import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { readForm, text } from '$lib/form-data';
import { ukToday } from '$lib/dates';
import { actorOf } from '$lib/server/security/events';
import { VACS_CHECKS } from '$lib/server/db/iqa-records';
import { OUTCOME_LABELS } from '$lib/server/assessment/decisions';
import { ACTION_STATE_LABELS } from '$lib/server/iqa/action-state';
import { ACTION_LIMITS, reviewAction } from '$lib/server/iqa/actions';
import { ROUND_LIMITS, SAMPLE_STATUS_LABELS, VACS_LABELS, emptyRoundValues, sampleView, saveRoundDraft, signRound, startSampling, type Quality, type RoundValues } from '$lib/server/iqa/samples';
import type { IqaError } from '$lib/server/iqa/results';

const NOT_FOUND = 'There is no sample of this centre at this address.';

export const load = withRole('iqa', (async ({ locals, params }) => {
	const view = await sampleView(getDb(), locals.user!, params.sampleId);
	if (!view) error(404, { message: NOT_FOUND });
	return {
		view,
		outcomeLabels: OUTCOME_LABELS as Record<string, string>,
		statusLabels: SAMPLE_STATUS_LABELS,
		actionStateLabels: ACTION_STATE_LABELS,
		vacs: VACS_CHECKS.map((value) => ({ value, label: VACS_LABELS[value] })),
		values: view.draft ?? emptyRoundValues(view.criteria.map((c) => c.code)),
		limits: { ...ROUND_LIMITS, comment: ACTION_LIMITS.comment },
		today: ukToday(new Date())
	};
}) satisfies PageServerLoad);

function quality(event: RequestEvent): Quality {
	const user = event.locals.user!;
	return { ...actorOf(event), displayName: user.displayName, organisationId: user.organisationId, roles: user.roles };
}

async function posted(event: RequestEvent): Promise<FormData> {
	const form = await readForm(event.request);
	if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten it and try again.' });
	return form;
}

/** The round's form as typed, for the criteria of the sample's snapshot. */
function roundValues(form: FormData, codes: readonly string[]): RoundValues {
	const values = emptyRoundValues(codes);
	for (const check of VACS_CHECKS) values.vacs[check] = { confirmed: text(form, `vacs.${check}`, { max: 5 }), note: text(form, `vacs.${check}.note`, { max: ROUND_LIMITS.note + 1 }) };
	for (const code of codes) {
		values.criteria[code] = {
			verdict: text(form, `criteria.${code}`, { max: 10 }),
			action: text(form, `criteria.${code}.action`, { max: ROUND_LIMITS.action + 1 }),
			targetDate: text(form, `criteria.${code}.targetDate`, { max: 20, trim: true })
		};
	}
	return { ...values, feedback: text(form, 'feedback', { max: ROUND_LIMITS.feedback + 1 }), signedName: text(form, 'signedName', { max: 200 }) };
}

/** A refusal as the page shows it: 404 for another centre's sample, 403 for own work, 400/409 otherwise. */
function refusal(e: IqaError, form: string, values?: unknown) {
	if (e.code === 'sample.not-found' || e.code === 'action.not-found') error(404, { message: NOT_FOUND });
	const status = e.code === 'sample.own-work' || e.code === 'sample.not-iqa' ? 403 : e.code === 'round.invalid' || e.code === 'action.invalid' ? 400 : 409;
	return fail(status, { form, message: e.message, errors: e.fields ?? {}, values });
}

async function codesOf(event: RequestEvent): Promise<string[]> {
	const view = await sampleView(getDb(), event.locals.user!, event.params.sampleId);
	if (!view) error(404, { message: NOT_FOUND });
	return view.criteria.map((c) => c.code);
}

export const actions = actionsWithRole('iqa', {
	start: async (event) => {
		await posted(event);
		const started = await startSampling(getDb(), quality(event), event.params.sampleId);
		return started.ok ? { done: 'Sampling started: the snapshot below is what you judge.' } : refusal(started.error, 'start');
	},
	save: async (event) => {
		const values = roundValues(await posted(event), await codesOf(event));
		const saved = await saveRoundDraft(getDb(), quality(event), event.params.sampleId, values);
		return saved.ok ? { done: 'Draft saved. Nothing is signed until you sign the round.', values } : refusal(saved.error, 'round', values);
	},
	sign: async (event) => {
		const values = roundValues(await posted(event), await codesOf(event));
		const signed = await signRound(getDb(), quality(event), event.params.sampleId, values);
		if (!signed.ok) return refusal(signed.error, 'round', values);
		const { round, actions, locked } = signed.value;
		const set = actions.length === 0 ? '' : ` ${actions.length === 1 ? 'One action was' : `${actions.length} actions were`} set on the assessor.`;
		return { done: `Round ${round.round} signed.${set}${locked ? ' You agreed on every criterion: the decision is locked.' : ''}` };
	},
	close: async (event) => {
		const form = await posted(event);
		const actionId = text(form, 'actionId', { max: 100 });
		const closed = await reviewAction(getDb(), quality(event), event.params.sampleId, actionId, 'closed', text(form, 'comment', { max: ACTION_LIMITS.comment + 1 }));
		return closed.ok ? { done: 'Action confirmed closed.' } : refusal(closed.error, `action-${actionId}`);
	},
	sendBack: async (event) => {
		const form = await posted(event);
		const actionId = text(form, 'actionId', { max: 100 });
		const sent = await reviewAction(getDb(), quality(event), event.params.sampleId, actionId, 'sent-back', text(form, 'comment', { max: ACTION_LIMITS.comment + 1 }));
		return sent.ok ? { done: 'Action sent back to the assessor.' } : refusal(sent.error, `action-${actionId}`);
	}
} satisfies Actions);

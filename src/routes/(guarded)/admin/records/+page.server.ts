import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { checkbox, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { actorOf } from '$lib/server/security/events';
import { ukToday } from '$lib/dates';
import {
	RECORD_CLASS_CONTENTS,
	RECORD_CLASS_LABELS,
	RETENTION_MAX_YEARS,
	RETENTION_MIN_YEARS,
	activeHoldsOf,
	disposalHistoryOf,
	disposeDueRecords,
	dueForDisposal,
	learnersOf,
	placeHold,
	releaseHold,
	retentionSettingsOf,
	saveRetentionSettings
} from '$lib/server/retention/records';

export const load = withRole('admin', (async ({ locals }) => {
	const db = getDb();
	const organisationId = locals.user!.organisationId;
	const today = ukToday(new Date());
	return {
		today,
		settings: await retentionSettingsOf(db, organisationId),
		limits: { min: RETENTION_MIN_YEARS, max: RETENTION_MAX_YEARS },
		classes: RECORD_CLASS_LABELS,
		contents: RECORD_CLASS_CONTENTS,
		holds: await activeHoldsOf(db, organisationId),
		learners: await learnersOf(db, organisationId),
		due: await dueForDisposal(db, organisationId, today),
		history: await disposalHistoryOf(db, organisationId)
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	settings: async (event) => {
		const form = await postedForm(event.request);
		const values = { evidenceYears: text(form, 'evidenceYears', { max: 10, trim: true }), decisionYears: text(form, 'decisionYears', { max: 10, trim: true }) };
		const result = await saveRetentionSettings(getDb(), event.locals.user!.organisationId, values, actorOf(event));
		if (!result.ok) return fail(400, { action: 'settings', values, errors: result.errors });
		return { action: 'settings', message: 'The retention periods are saved. Records already disposed of are not affected.' };
	},
	hold: async (event) => {
		const form = await postedForm(event.request);
		const values = { learnerId: text(form, 'learnerId', { max: 100 }), reason: text(form, 'reason', { max: 2000 }) };
		const result = await placeHold(getDb(), event.locals.user!.organisationId, values, actorOf(event));
		if (!result.ok) return fail(400, { action: 'hold', values, errors: result.errors });
		return { action: 'hold', message: 'The legal hold is placed: nothing of this learner’s is disposed of until it is released.' };
	},
	release: async (event) => {
		const form = await postedForm(event.request);
		const values = { holdId: text(form, 'holdId', { max: 100 }), reason: text(form, 'releaseReason', { max: 2000 }) };
		const result = await releaseHold(getDb(), event.locals.user!.organisationId, values, actorOf(event));
		if (!result.ok) return fail(400, { action: 'release', holdId: values.holdId, errors: result.errors });
		return { action: 'release', message: 'The hold is released. Records past their period are disposed of at the next run.' };
	},
	dispose: async (event) => {
		const form = await postedForm(event.request);
		if (!checkbox(form, 'confirm', 'yes')) {
			return fail(400, { action: 'dispose', errors: { confirm: 'Tick the box to confirm: disposal cannot be undone.' } as Partial<Record<string, string>> });
		}
		const outcomes = await disposeDueRecords(getDb(), event.locals.user!.organisationId, actorOf(event));
		const message =
			outcomes.length === 0
				? 'Nothing was due: no records were disposed of.'
				: `Disposed of ${outcomes.length} ${outcomes.length === 1 ? 'set' : 'sets'} of records. Each is listed under “Disposals”.`;
		return { action: 'dispose', message };
	}
} satisfies Actions);

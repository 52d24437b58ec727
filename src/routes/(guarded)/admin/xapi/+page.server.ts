import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { checkbox, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { actorOf } from '$lib/server/security/events';
import { LRS_LIMITS, lrsSettingsView, saveLrsSettings } from '$lib/server/xapi/settings';
import { outboxView, retryFailedStatements, sendTestStatement } from '$lib/server/xapi/outbox';
import { xapiCentre } from '$lib/server/xapi/record';

export const load = withRole('admin', (async ({ locals }) => {
	const db = getDb();
	const organisationId = locals.user!.organisationId;
	return { settings: await lrsSettingsView(db, organisationId), outbox: await outboxView(db, organisationId), homePage: xapiCentre().base };
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	settings: async (event) => {
		const form = await postedForm(event.request);
		// Cut well past the limits, so that a value too long is refused with a message, never saved cut short.
		const values = {
			endpoint: text(form, 'endpoint', { max: LRS_LIMITS.endpoint * 2 }),
			key: text(form, 'key', { max: LRS_LIMITS.key * 2 }),
			secret: text(form, 'secret', { max: LRS_LIMITS.secret * 2 }),
			enabled: checkbox(form, 'enabled', 'yes')
		};
		const result = await saveLrsSettings(getDb(), event.locals.user!.organisationId, values, actorOf(event));
		// The secret is never sent back, not even the one just typed.
		const shown = { endpoint: values.endpoint, key: values.key, enabled: values.enabled };
		if (!result.ok) return fail(400, { action: 'settings', values: shown, errors: result.errors });
		return { action: 'settings', message: values.enabled ? 'The LRS is saved and switched on: statements are sent from now on.' : 'The LRS is saved. Statements are not sent until you switch it on.' };
	},
	test: async (event) => {
		const answer = await sendTestStatement(getDb(), event.locals.user!.organisationId, xapiCentre());
		return { action: 'test', answer: { ok: answer.ok, status: answer.status, text: answer.text } };
	},
	retry: async (event) => {
		const count = await retryFailedStatements(getDb(), event.locals.user!.organisationId, actorOf(event));
		return { action: 'retry', message: count === 0 ? 'No statement had failed.' : `${count} failed ${count === 1 ? 'statement is' : 'statements are'} queued again and sent shortly.` };
	}
} satisfies Actions);

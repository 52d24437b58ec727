import type { Actions, PageServerLoad } from './$types';
import { all } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { mailConfig } from '$lib/server/mail';
import { actionsWithUser, requireUser, withUser } from '$lib/server/auth/access';
import { NOTIFICATION_KINDS, isNotificationKind, kindsFor } from '$lib/server/notifications/kinds';
import { emailKindsOf, setEmailKinds } from '$lib/server/notifications/store';

export const load = withUser((async ({ locals, url }) => {
	const user = requireUser(locals);
	const chosen = await emailKindsOf(getDb(), user.id);
	return {
		kinds: kindsFor(user.roles).map((kind) => ({ kind, label: NOTIFICATION_KINDS[kind].label, byEmail: chosen.has(kind) })),
		mailConfigured: mailConfig() !== null,
		saved: url.searchParams.get('saved') === '1'
	};
}) satisfies PageServerLoad);

export const actions = actionsWithUser({
	default: async ({ locals, request }) => {
		const user = requireUser(locals);
		const form = await postedForm(request);
		// Anything that is not a kind is ignored: an unticked box is simply absent from the form.
		await setEmailKinds(getDb(), user.id, all(form, 'byEmail', { max: 100 }).filter(isNotificationKind), new Date(), kindsFor(user.roles));
		return { saved: true };
	}
}) satisfies Actions;

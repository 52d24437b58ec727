import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { appMailer } from '$lib/server/mail';
import { RESET_REQUESTED, requestPasswordReset } from '$lib/server/auth/password-reset';
import { requestContext } from '$lib/server/security/events';

const NO_MAIL = 'This centre does not send email, so a new password cannot be sent to you.';

export const load = (() => ({ mailConfigured: appMailer() !== null })) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await postedForm(event.request);
		const email = text(form, 'email', { max: 254 });
		const mailer = appMailer();
		if (!mailer) return fail(400, { email, errors: { email: NO_MAIL }, message: null });
		if (!email.trim()) return fail(400, { email, errors: { email: 'Enter your email address.' }, message: null });
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return fail(400, { email, errors: { email: 'Enter an email address like name@example.org.' }, message: null });
		// The mail is handed over after the answer (result.delivery): an account's request takes no longer than an unknown email's.
		const result = await requestPasswordReset(getDb(), mailer, { email, origin: event.url.origin }, requestContext(event));
		if (!result.ok) return fail(429, { email, errors: { email: result.message }, message: null });
		return { email, errors: {}, message: RESET_REQUESTED };
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { homeFor, safeRedirectTarget } from '$lib/server/auth/access';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth/session';
import { pendingStepFor, stepUrl } from '$lib/server/auth/steps';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { logIn, rolesOf } from '$lib/server/auth/user';
import { requestContext } from '$lib/server/security/events';

export const load = (({ locals, url }) => {
	const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo ?? homeFor(locals.user.roles));
	// After a password reset by email: the new password works now (staff still give their second factor).
	return { redirectTo, passwordReset: url.searchParams.get('reset') === 'done' };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, cookies, getClientAddress, route, locals, url }) => {
		const form = await postedForm(request);
		const email = text(form, 'email', { max: 254 });
		const password = text(form, 'password', { max: 256 });
		const redirectTo = safeRedirectTarget(text(form, 'redirectTo') || url.searchParams.get('redirectTo'));
		const errors: { email?: string; password?: string } = {};
		const noErrors: { email?: string; password?: string } = {};
		if (!email.trim()) errors.email = 'Enter your email address.';
		else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) errors.email = 'Enter an email address like name@example.org.';
		if (!password) errors.password = 'Enter your password.';
		if (errors.email || errors.password) return fail(400, { email, errors, message: null });

		const db = getDb();
		const result = await logIn(db, { email, password }, requestContext({ getClientAddress, route, locals }));
		if (!result.ok) {
			return fail(result.reason === 'throttled' ? 429 : 400, { email, errors: noErrors, message: result.message });
		}
		// A new token at every log-in: a token planted before log-in (session fixation) is never promoted.
		const token = generateSessionToken();
		const session = await createSession(db, token, result.user.id);
		setSessionCookie(cookies, token, session.expiresAt);
		// The session as every later request will see it, so the first step (the second factor, a
		// password change, MFA enrolment) is decided by the same rule as in the hook.
		const started = await validateSessionToken(db, token);
		const step = started.user ? pendingStepFor(started.user, started.session) : null;
		if (step) redirect(303, stepUrl(step, redirectTo));
		redirect(303, redirectTo ?? homeFor(await rolesOf(db, result.user.id)));
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { homeFor, safeRedirectTarget, withUser, actionsWithUser } from '$lib/server/auth/access';
import { createSession, generateSessionToken, markSessionMfaVerified } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { changePassword } from '$lib/server/auth/user';
import { PASSWORD_MIN_LENGTH } from '$lib/server/auth/password';
import { requestContext } from '$lib/server/security/events';
import { platformsReachingOnly } from '$lib/server/lti/accounts';

export const load = withUser((async ({ locals, url }) => {
	return {
		mustChange: locals.user?.mustChangePassword ?? false,
		reachedThrough: await platformsReachingOnly(getDb(), locals.user!.id, locals.user!.mustChangePassword),
		minLength: PASSWORD_MIN_LENGTH,
		redirectTo: safeRedirectTarget(url.searchParams.get('redirectTo')),
		changed: url.searchParams.get('changed') === '1'
	};
}) satisfies PageServerLoad);

export const actions = actionsWithUser({
	default: async ({ request, locals, cookies, url, getClientAddress, route }) => {
		const user = locals.user;
		if (!user) redirect(303, '/login');
		const form = await postedForm(request);
		if ((await platformsReachingOnly(getDb(), user.id, user.mustChangePassword)).length > 0) {
			return fail(400, { errors: { currentPassword: 'Your account has no Custodian password: you sign in through your learning platform.' } });
		}
		const input = {
			currentPassword: text(form, 'currentPassword', { max: 256 }),
			newPassword: text(form, 'newPassword', { max: 256 }),
			confirmPassword: text(form, 'confirmPassword', { max: 256 })
		};
		const db = getDb();
		const result = await changePassword(db, user.id, input, requestContext({ getClientAddress, route, locals }));
		if (!result.ok) return fail(result.throttled ? 429 : 400, { errors: result.errors });
		// Every session of the user ended with the change; this browser gets a fresh one.
		const token = generateSessionToken();
		const session = await createSession(db, token, user.id);
		// The user proved the second factor in this browser already; a new password does not undo that.
		if (locals.session?.mfaVerified) await markSessionMfaVerified(db, session.id);
		setSessionCookie(cookies, token, session.expiresAt, locals.sessionCookie);
		const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
		if (user.mustChangePassword) redirect(303, redirectTo ?? homeFor(user.roles));
		redirect(303, '/account/password?changed=1');
	}
} satisfies Actions);

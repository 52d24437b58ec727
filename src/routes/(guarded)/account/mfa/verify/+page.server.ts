import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { actionsWithUser, homeFor, safeRedirectTarget, withUser } from '$lib/server/auth/access';
import { verifySecondFactor } from '$lib/server/auth/mfa';
import { createSession, generateSessionToken, invalidateSession, markSessionMfaVerified } from '$lib/server/auth/session';
import { carryLaunchesToSession } from '$lib/server/lti/attempt-launch';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { pendingStepFor, stepUrl } from '$lib/server/auth/steps';
import { requestContext } from '$lib/server/security/events';

/** The second step of log-in: a code from the authenticator app, or a recovery code. */
export const load = withUser((({ locals, url }) => {
	const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
	const user = locals.user!;
	// Nothing to verify (no MFA, or this session already passed it): on to where the user was going.
	if (!user.mfaEnrolled || locals.session?.mfaVerified) redirect(303, redirectTo ?? homeFor(user.roles));
	return { redirectTo };
}) satisfies PageServerLoad);

export const actions = actionsWithUser({
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const user = locals.user!;
		const current = locals.session!;
		const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'));
		// Nothing to verify: no code is checked (or spent) for a session that has passed the step.
		if (!user.mfaEnrolled || current.mfaVerified) redirect(303, redirectTo ?? homeFor(user.roles));
		const code = text(await postedForm(request), 'code', { max: 64 });
		if (!code.trim()) return fail(400, { errors: { code: 'Enter the 6-digit code from your authenticator app, or a recovery code.' } });
		const db = getDb();
		const result = await verifySecondFactor(db, user.id, code, requestContext(event));
		if (!result.ok) return fail(result.error.code === 'throttled' ? 429 : 400, { errors: { code: result.error.message } });
		// A new token once the user is fully authenticated, as at log-in (ASVS 5.0 §7.2.4): a token
		// that leaked between the two steps never carries the second factor.
		const token = generateSessionToken();
		const verified = await createSession(db, token, user.id);
		await markSessionMfaVerified(db, verified.id);
		// An LTI launch that began the old session (a tutor's Deep Linking) stays with the new one.
		await carryLaunchesToSession(db, current.id, verified.id);
		await invalidateSession(db, current.id);
		setSessionCookie(cookies, token, verified.expiresAt, locals.sessionCookie);
		const next = pendingStepFor(user, { ...verified, mfaVerified: true });
		redirect(303, next ? stepUrl(next, redirectTo) : (redirectTo ?? homeFor(user.roles)));
	}
} satisfies Actions);

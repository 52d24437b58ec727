/**
 * Our own session for the user of a launch (auth/session.ts, as a log-in makes one): a new token, any
 * session this browser had before ended (no session fixation), and the usual steps after it: a
 * tutor, as staff, gives their two-step code before any page (auth/steps.ts).
 */
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '$lib/core/database';
import { createSession, generateSessionToken, invalidateSession } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';

export async function startLaunchSession(db: Db, cookies: Cookies, previousSessionId: string | null, userId: string): Promise<void> {
	if (previousSessionId) await invalidateSession(db, previousSessionId);
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	setSessionCookie(cookies, token, session.expiresAt);
}

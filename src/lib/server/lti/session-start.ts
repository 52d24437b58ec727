/**
 * Our own session for the user of a launch (auth/session.ts, as a log-in makes one): a new token, any
 * session this browser had before ended (no session fixation), and the usual steps after it: a
 * tutor, as staff, gives their two-step code before any page (auth/steps.ts). The launch record
 * keeps the new session's id, so an attempt started in it is known to come from that launch.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '$lib/core/database';
import { createSession, generateSessionToken, invalidateSession } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { attachLaunchToSession } from './attempt-launch';

export async function startLaunchSession(db: Db, cookies: Cookies, previousSessionId: string | null, userId: string, launchId: string): Promise<void> {
	if (previousSessionId) await invalidateSession(db, previousSessionId);
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	await attachLaunchToSession(db, launchId, session.id);
	setSessionCookie(cookies, token, session.expiresAt);
}

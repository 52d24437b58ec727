/**
 * Our own session for the user of a launch (auth/session.ts, as a log-in makes one): a new token, any
 * session this browser had before ended (no session fixation), and the usual steps after it: a
 * tutor, as staff, gives their two-step code before any page (auth/steps.ts). The launch record
 * keeps the new session's id, so an attempt started in it is known to come from that launch. A launch
 * in the platform's frame whose state cookie came back (so this browser keeps partitioned cookies
 * there) gets a framed session (`kind: 'frame'`, auth/cookie.ts) and carries on in the frame.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '$lib/core/database';
import { createSession, generateSessionToken, invalidateSession } from '$lib/server/auth/session';
import { setSessionCookie, type SessionCookieKind } from '$lib/server/auth/cookie';
import { attachLaunchToSession } from './attempt-launch';

export async function startLaunchSession(db: Db, cookies: Cookies, previousSessionId: string | null, userId: string, launchId: string, kind: SessionCookieKind = 'top'): Promise<void> {
	if (previousSessionId) await invalidateSession(db, previousSessionId);
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	await attachLaunchToSession(db, launchId, session.id);
	setSessionCookie(cookies, token, session.expiresAt, kind);
}

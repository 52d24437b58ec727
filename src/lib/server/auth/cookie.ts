import type { Cookies } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';

/**
 * Served over https (ORIGIN starts with https:), the cookie is Secure and takes the __Host- prefix,
 * which the browser only accepts from a secure origin, for path / and no Domain.
 */
function secure(): boolean {
	return (env.ORIGIN ?? '').startsWith('https:');
}

/**
 * Which cookie carries the session. `top`: the usual one, SameSite=Lax. `frame`: a session begun by an
 * LTI launch inside the platform's frame (server/lti), where a Lax cookie is neither set nor sent: it
 * is SameSite=None, Secure and Partitioned (CHIPS), so the browser keeps it only under the platform's
 * site, for our pages in that frame, never for Custodian opened in its own tab.
 */
export type SessionCookieKind = 'top' | 'frame';

export function sessionCookieName(kind: SessionCookieKind = 'top'): string {
	const name = kind === 'frame' ? 'frame-session' : 'session';
	return secure() ? `__Host-${name}` : name;
}

function options(kind: SessionCookieKind) {
	return kind === 'frame'
		? ({ httpOnly: true, sameSite: 'none', secure: true, partitioned: true, path: '/' } as const)
		: ({ httpOnly: true, sameSite: 'lax', secure: secure(), path: '/' } as const);
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: number, kind: SessionCookieKind = 'top'): void {
	cookies.set(sessionCookieName(kind), token, { ...options(kind), expires: new Date(expiresAt) });
}

export function deleteSessionCookie(cookies: Cookies, kind: SessionCookieKind = 'top'): void {
	cookies.delete(sessionCookieName(kind), options(kind));
}

/**
 * The session token this request carries, and in which cookie. A framed session's cookie comes first:
 * where the browser sends it at all, the page is in the platform's frame (or the platform's site is
 * ours), and that session is the one begun there.
 */
export function sessionTokenOf(cookies: Cookies): { token: string; kind: SessionCookieKind } | null {
	const framed = cookies.get(sessionCookieName('frame'));
	if (framed) return { token: framed, kind: 'frame' };
	const top = cookies.get(sessionCookieName('top'));
	return top ? { token: top, kind: 'top' } : null;
}

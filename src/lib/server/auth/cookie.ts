import type { Cookies } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';

/**
 * Served over https (ORIGIN starts with https:), the cookie is Secure and takes the __Host- prefix,
 * which the browser only accepts from a secure origin, for path / and no Domain.
 */
function secure(): boolean {
	return (env.ORIGIN ?? '').startsWith('https:');
}

export function sessionCookieName(): string {
	return secure() ? '__Host-session' : 'session';
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: number): void {
	cookies.set(sessionCookieName(), token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: secure(),
		path: '/',
		expires: new Date(expiresAt)
	});
}

export function deleteSessionCookie(cookies: Cookies): void {
	cookies.delete(sessionCookieName(), { httpOnly: true, sameSite: 'lax', secure: secure(), path: '/' });
}

/**
 * The login state as a cookie, binding a launch to the browser that began it where the browser
 * allows: SameSite=None (the launch is a cross-site form post), Secure, Partitioned (CHIPS: kept in
 * a frame under the platform's site even where third-party cookies are blocked). Many browsers drop
 * it anyway (Safari, private windows), so it is an extra check only: the server-side state is the
 * real one (login.ts, launch.ts).
 */
import type { Cookies } from '@sveltejs/kit';
import { LOGIN_STATE_MS } from './login';

const NAME = 'lti-state';
const OPTIONS = { path: '/lti', httpOnly: true, sameSite: 'none', secure: true, partitioned: true } as const;

export function setStateCookie(cookies: Cookies, state: string): void {
	cookies.set(NAME, state, { ...OPTIONS, maxAge: LOGIN_STATE_MS / 1000 });
}

/** The state cookie, if the browser sent it; it is removed, as the state is used once. */
export function takeStateCookie(cookies: Cookies): string | null {
	const value = cookies.get(NAME) ?? null;
	if (value !== null) cookies.delete(NAME, OPTIONS);
	return value;
}

import { describe, expect, it } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import { deleteSessionCookie, sessionCookieName, sessionTokenOf, setSessionCookie } from './cookie';

/** A cookie jar as SvelteKit's request cookies behave for these calls: what is set, with its options. */
function jar(initial: Record<string, string> = {}) {
	const values = new Map(Object.entries(initial));
	const set: { name: string; value: string; options: Record<string, unknown> }[] = [];
	const cookies = {
		get: (name: string) => values.get(name),
		set: (name: string, value: string, options: Record<string, unknown>) => {
			values.set(name, value);
			set.push({ name, value, options });
		},
		delete: (name: string, options: Record<string, unknown>) => {
			values.delete(name);
			set.push({ name, value: '', options: { ...options, deleted: true } });
		}
	} as unknown as Cookies;
	return { cookies, set };
}

describe('the session cookies', () => {
	it('keep a framed session in a partitioned SameSite=None cookie, and the usual one in a Lax cookie', () => {
		const { cookies, set } = jar();
		setSessionCookie(cookies, 'top-token', Date.now() + 1000);
		setSessionCookie(cookies, 'frame-token', Date.now() + 1000, 'frame');
		expect(set[0]).toMatchObject({ name: sessionCookieName('top'), options: { sameSite: 'lax', httpOnly: true, path: '/' } });
		expect(set[0]!.options.partitioned).toBeUndefined();
		expect(set[1]).toMatchObject({ name: sessionCookieName('frame'), options: { sameSite: 'none', secure: true, partitioned: true, httpOnly: true, path: '/' } });
		expect(sessionCookieName('frame')).not.toBe(sessionCookieName('top'));
	});

	it('read the framed session first where the browser sends both, else the usual one, else none', () => {
		expect(sessionTokenOf(jar({ [sessionCookieName('top')]: 'a', [sessionCookieName('frame')]: 'b' }).cookies)).toEqual({ token: 'b', kind: 'frame' });
		expect(sessionTokenOf(jar({ [sessionCookieName('top')]: 'a' }).cookies)).toEqual({ token: 'a', kind: 'top' });
		expect(sessionTokenOf(jar().cookies)).toBeNull();
	});

	it('delete the kind asked for, with the options it was set with', () => {
		const { cookies, set } = jar({ [sessionCookieName('frame')]: 'b' });
		deleteSessionCookie(cookies, 'frame');
		expect(set[0]).toMatchObject({ name: sessionCookieName('frame'), options: { sameSite: 'none', partitioned: true, deleted: true } });
		expect(sessionTokenOf(cookies)).toBeNull();
	});
});

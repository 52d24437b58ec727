import { expect, test } from '@playwright/test';
import { PASSWORD } from './support/accounts';
import { createProbeAccounts, logInRaw, rawRequest, type ProbeAccount, type RawResponse } from './support/probes';
import { discoverRoutes, requiredRole, type Route } from './support/routes';

/**
 * The role × route matrix, generated from src/routes: every page (GET), every form action (POST)
 * and every endpoint, tried by anonymous visitors, by each role, by a user who must still change a
 * one-time password and by staff who gave a password but not yet their second factor; and each of
 * them tried in the spellings an attacker would use (percent-encoded letters, doubled slashes, dot
 * segments, a trailing slash, SvelteKit's __data.json, enhanced form posts), sent as raw requests so
 * that no client tidies the path first. Only the area's role gets through; nothing answers 500.
 * A new route fails here until access.ts has a rule for it.
 */
const SESSION_ACTIONS = new Set(['POST /login', 'POST /logout']);
const ROUTES = discoverRoutes().filter((r) => !SESSION_ACTIONS.has(`${r.method} ${r.path}`));

const ROLE_VISITORS = ['learner', 'assessor', 'tutor', 'admin', 'iqa', 'eqa'] as const;
/** Visitors who must be treated as anonymous: no cookie, a logged-out session's cookie, a planted token. */
const ANONYMOUS_VISITORS = ['anonymous', 'logged-out', 'planted'] as const;
/** Visitors with a session that must finish a step before anything else. */
const STEP_VISITORS = ['must-change-password', 'mfa-pending'] as const;
type Visitor = (typeof ROLE_VISITORS)[number] | (typeof ANONYMOUS_VISITORS)[number] | (typeof STEP_VISITORS)[number];
const STEP_PATH: Record<(typeof STEP_VISITORS)[number], string> = {
	'must-change-password': '/account/password',
	'mfa-pending': '/account/mfa/verify'
};

interface Variant {
	name: string;
	method: 'GET' | 'POST';
	path: string;
	headers?: Record<string, string>;
	/** Routed by SvelteKit to the very same route as the plain path. */
	sameRoute: boolean;
}

const encode = (text: string, upper = false) =>
	[...text].map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')[upper ? 'toUpperCase' : 'toLowerCase']()).join('');

/** The spellings of one route an attacker tries. Only routes under an area or /account get them all. */
function variants(route: Route): Variant[] {
	const query = route.action ? `?/${route.action}` : '';
	const plain: Variant = { name: 'plain', method: route.method, path: route.path + query, sameRoute: true };
	if (requiredRole(route.path) === null) return [plain];
	const [, first = '', ...rest] = route.path.split('/');
	const tail = rest.length ? '/' + rest.join('/') : '';
	const spelled = (path: string) => path + query;
	const list: Variant[] = [
		plain,
		{ name: 'first letter percent-encoded', method: route.method, path: spelled(`/${encode(first[0]!)}${first.slice(1)}${tail}`), sameRoute: true },
		{ name: 'segment percent-encoded in capitals', method: route.method, path: spelled(`/${encode(first, true)}${tail}`), sameRoute: true },
		{ name: 'doubled slashes', method: route.method, path: spelled(`/${first}/${tail.replace(/\//g, '//')}`), sameRoute: false },
		{ name: 'leading double slash', method: route.method, path: spelled(`//${first}${tail}`), sameRoute: false },
		{ name: 'dot segments', method: route.method, path: spelled(`/verify/../${first}${tail}`), sameRoute: false },
		{ name: 'encoded dot segments', method: route.method, path: spelled(`/verify/%2e%2e/${first}${tail}`), sameRoute: false },
		{ name: 'trailing slash', method: route.method, path: spelled(`${route.path}/`), sameRoute: false }
	];
	if (route.method === 'GET') {
		list.push(
			{ name: '__data.json', method: 'GET', path: `${route.path}/__data.json`, sameRoute: true },
			{ name: 'encoded __data.json', method: 'GET', path: `/${encode(first[0]!)}${first.slice(1)}${tail}/__data.json?x-sveltekit-invalidated=11`, sameRoute: true }
		);
	}
	if (route.method === 'POST' && route.action !== undefined) {
		list.push({
			name: 'enhanced form post',
			method: 'POST',
			path: route.path + query,
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
			sameRoute: true
		});
	}
	if (route.method === 'POST' && route.action === undefined && !route.endpoint) {
		list.push({ name: 'default action by name', method: 'POST', path: `/${encode(first[0]!)}${first.slice(1)}${tail}?/default`, sameRoute: true });
	}
	return list;
}

/** SvelteKit answers a data request or an enhanced post with a redirect as JSON (status 200). */
function jsonRedirect(response: RawResponse): string | null {
	if (!String(response.headers['content-type'] ?? '').includes('application/json')) return null;
	try {
		const body = JSON.parse(response.body) as { type?: string; location?: string };
		return body.type === 'redirect' ? (body.location ?? null) : null;
	} catch {
		return null;
	}
}

/** Where a refused request was sent, if it was sent somewhere: a Location header or a JSON redirect. */
function redirectedTo(response: RawResponse): string | null {
	if (response.status >= 300 && response.status < 400) return String(response.headers['location'] ?? '');
	return response.status === 200 ? jsonRedirect(response) : null;
}

test.describe('role × route matrix', () => {
	const cookies = new Map<Visitor, Record<string, string>>();

	test.beforeAll(async ({ baseURL }) => {
		const base = baseURL!;
		const [learner, assessor, tutor, admin, iqa, eqa, mustChange, pending, leaving] = createProbeAccounts('matrix', [
			{ roles: ['learner'] },
			{ roles: ['assessor'] },
			{ roles: ['tutor'] },
			{ roles: ['admin'] },
			{ roles: ['iqa'] },
			{ roles: ['eqa'] },
			{ roles: ['learner'], mustChangePassword: true },
			{ roles: ['admin'] },
			{ roles: ['learner'] }
		]) as [ProbeAccount, ProbeAccount, ProbeAccount, ProbeAccount, ProbeAccount, ProbeAccount, ProbeAccount, ProbeAccount, ProbeAccount];
		for (const [visitor, account] of [
			['learner', learner],
			['assessor', assessor],
			['tutor', tutor],
			['admin', admin],
			['iqa', iqa],
			['eqa', eqa],
			['must-change-password', mustChange]
		] as const) {
			cookies.set(visitor, { cookie: await logInRaw(base, account, PASSWORD) });
		}
		// Staff who gave the right password and stopped at the second step.
		const half = await rawRequest(base, 'POST', '/login', {}, new URLSearchParams({ email: pending.email, password: PASSWORD }).toString());
		expect(half.status, 'password accepted for the MFA-pending visitor').toBe(303);
		expect(String(half.headers['location'])).toMatch(/^\/account\/mfa\/verify/);
		cookies.set('mfa-pending', { cookie: String(half.headers['set-cookie']).split(';')[0]! });
		// A session that logged out: its cookie must be worth nothing.
		const left = await logInRaw(base, leaving, PASSWORD);
		const logout = await rawRequest(base, 'POST', '/logout', { cookie: left }, '');
		expect(logout.status, 'log out').toBe(303);
		cookies.set('logged-out', { cookie: left });
		cookies.set('planted', { cookie: `session=${'a'.repeat(32)}` });
		cookies.set('anonymous', {});
	});

	test('finds the app’s routes', () => {
		expect(ROUTES.length).toBeGreaterThan(8);
		expect(ROUTES.some((r) => r.path.startsWith('/learn'))).toBe(true);
		expect(ROUTES.some((r) => r.path.startsWith('/admin') && r.method === 'POST')).toBe(true);
		expect(ROUTES.filter((r) => r.method === 'POST' && r.action !== undefined).length).toBeGreaterThan(20);
	});

	for (const route of ROUTES) {
		const label = `${route.method} ${route.path}${route.action ? `?/${route.action}` : ''}`;
		test(`${label}: only the right role gets through, by any spelling of the path`, async ({ baseURL }) => {
			const needed = requiredRole(route.path);
			const visitors: Visitor[] = [...ANONYMOUS_VISITORS, ...ROLE_VISITORS, ...STEP_VISITORS];
			for (const visitor of visitors) {
				const stepPath = (STEP_VISITORS as readonly string[]).includes(visitor) ? STEP_PATH[visitor as (typeof STEP_VISITORS)[number]] : null;
				const allowed =
					needed === null ||
					((ROLE_VISITORS as readonly string[]).includes(visitor) && (needed === 'signed-in' || needed === visitor || (Array.isArray(needed) && needed.includes(visitor)))) ||
					route.path === stepPath;
				for (const variant of variants(route)) {
					// A user who may use the route tries only the spellings that reach it, so that the
					// matrix does not run real actions many times over.
					if (allowed && !variant.sameRoute) continue;
					const body = variant.method === 'POST' ? new URLSearchParams({ probe: 'matrix' }).toString() : undefined;
					const response = await rawRequest(baseURL!, variant.method, variant.path, { ...cookies.get(visitor), ...variant.headers }, body);
					const where = `${label} (${variant.name}: ${variant.method} ${variant.path}) as ${visitor}`;
					expect(response.status, `${where}: no server error`).toBeLessThan(500);
					if (variant.name === 'plain' && variant.method === 'GET' && response.status === 200) {
						expect(response.headers['content-security-policy'], `${where}: CSP`).toContain("frame-ancestors 'none'");
						expect(response.headers['x-content-type-options'], `${where}: nosniff`).toBe('nosniff');
						if (needed !== null) expect(response.headers['cache-control'], `${where}: not cached`).toBe('no-store');
					}
					if (allowed) {
						expect(response.status, `${where}: the right role gets through`).not.toBe(403);
						continue;
					}
					// Refused: never a success, only a 4xx or a redirect to log in or to the pending step.
					const location = redirectedTo(response);
					if (location !== null) {
						expect(location.startsWith('/') && !location.startsWith('//'), `${where}: redirect stays on the site (${location})`).toBe(true);
						if ((ANONYMOUS_VISITORS as readonly string[]).includes(visitor) && variant.sameRoute) {
							expect(location, where).toMatch(/^\/login(\?|$)/);
						}
						if ((STEP_VISITORS as readonly string[]).includes(visitor) && variant.sameRoute) {
							expect(location, where).toContain(STEP_PATH[visitor as (typeof STEP_VISITORS)[number]]);
						}
						if (location.startsWith('/login') || location.startsWith('/account/')) continue;
						// SvelteKit's trailing-slash or dot-segment tidying: the tidied path is probed on its own.
						expect(response.status, `${where}: only a tidying redirect (${location})`).toBeGreaterThanOrEqual(300);
						continue;
					}
					expect(response.status, `${where}: refused (${response.status})`).toBeGreaterThanOrEqual(400);
					if (variant.sameRoute && (ROLE_VISITORS as readonly string[]).includes(visitor)) {
						expect(response.status, `${where}: another role is refused`).toBe(403);
					}
				}
			}
		});
	}
});

import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { ACCOUNTS, PASSWORD, type RoleName } from './support/accounts';
import { discoverRoutes, requiredRole } from './support/routes';

/**
 * The role × route matrix, generated from src/routes: every page (GET), every form action (POST)
 * and every endpoint, tried by each role and by an anonymous visitor. Only the area's role gets
 * through; everyone else gets 403; an anonymous visitor is sent to log in, and so is a visitor
 * replaying a logged-out session's cookie or a planted token. Nothing answers 500.
 */
/**
 * Log-in and log-out change the session the matrix's clients depend on (and a probe log-in counts
 * as a failed attempt for throttling); auth.spec.ts tests them with clients of their own.
 */
const SESSION_ACTIONS = new Set(['POST /login', 'POST /logout']);
const ROUTES = discoverRoutes().filter((r) => !SESSION_ACTIONS.has(`${r.method} ${r.path}`));
/**
 * Besides the roles: a client replaying the cookie of a session that logged out, and one carrying a
 * token it made up (what a session-fixation attacker plants). Both must be treated as anonymous.
 */
const VISITORS = ['anonymous', 'logged-out', 'planted', ...Object.keys(ACCOUNTS)] as const;
type Visitor = (typeof VISITORS)[number];
const AS_ANONYMOUS = new Set<Visitor>(['anonymous', 'logged-out', 'planted']);

/** A client holding only `session=<token>`: the cookie header it sends on every request. */
async function clientWithToken(baseURL: string, token: string): Promise<APIRequestContext> {
	return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL, accept: 'text/html', cookie: `session=${token}` } });
}

/** Logs in as the learner in a throw-away client, logs out, and returns the token that session had. */
async function loggedOutToken(baseURL: string): Promise<string> {
	const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL, accept: 'text/html' } });
	const login = await client.post('/login', { form: { email: ACCOUNTS.learner.email, password: PASSWORD }, maxRedirects: 0 });
	expect(login.status(), 'log in for the logged-out visitor').toBe(303);
	const token = (await client.storageState()).cookies.find((c) => c.name === 'session')?.value;
	expect(token, 'a session cookie was set').toBeTruthy();
	const logout = await client.post('/logout', { form: {}, maxRedirects: 0 });
	expect(logout.status(), 'log out').toBe(303);
	await client.dispose();
	return token!;
}

test.describe('role × route matrix', () => {
	const clients = new Map<Visitor, APIRequestContext>();

	test.beforeAll(async ({ baseURL }) => {
		clients.set('logged-out', await clientWithToken(baseURL!, await loggedOutToken(baseURL!)));
		clients.set('planted', await clientWithToken(baseURL!, 'a'.repeat(32)));
		for (const visitor of VISITORS) {
			if (visitor === 'logged-out' || visitor === 'planted') continue;
			const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL!, accept: 'text/html' } });
			if (visitor !== 'anonymous') {
				const account = ACCOUNTS[visitor as RoleName];
				const response = await client.post('/login', { form: { email: account.email, password: PASSWORD }, maxRedirects: 0 });
				expect(response.status(), `log in as ${visitor}`).toBe(303);
			}
			clients.set(visitor, client);
		}
	});

	test.afterAll(async () => {
		for (const client of clients.values()) await client.dispose();
	});

	test('finds the app’s routes', () => {
		expect(ROUTES.length).toBeGreaterThan(8);
		expect(ROUTES.some((r) => r.path.startsWith('/learn'))).toBe(true);
		expect(ROUTES.some((r) => r.path.startsWith('/admin') && r.method === 'POST')).toBe(true);
	});

	for (const route of ROUTES) {
		const label = `${route.method} ${route.path}${route.action ? `?/${route.action}` : ''}`;
		test(`${label}: only the right role gets through, anonymous visitors are sent to log in`, async () => {
			const needed = requiredRole(route.path);
			for (const visitor of VISITORS) {
				const client = clients.get(visitor)!;
				const url = route.action ? `${route.path}?/${route.action}` : route.path;
				const response =
					route.method === 'GET'
						? await client.get(url, { maxRedirects: 0 })
						: await client.post(url, { form: { probe: 'matrix' }, maxRedirects: 0 });
				const status = response.status();
				const where = `${label} as ${visitor}`;
				expect(status, `${where}: no server error`).toBeLessThan(500);
				if (route.method === 'GET' && status === 200) {
					const headers = response.headers();
					expect(headers['content-security-policy'], `${where}: CSP`).toContain("frame-ancestors 'none'");
					expect(headers['x-content-type-options'], `${where}: nosniff`).toBe('nosniff');
				}
				if (needed === null) {
					expect(status, `${where}: a public route is not refused`).not.toBe(403);
				} else if (AS_ANONYMOUS.has(visitor)) {
					expect(status, where).toBe(303);
					expect(response.headers()['location'], where).toMatch(/^\/login\?redirectTo=/);
				} else if (needed === 'signed-in' || needed === visitor) {
					expect(status, `${where}: the right role gets through`).not.toBe(403);
				} else {
					expect(status, `${where}: another role is refused`).toBe(403);
				}
			}
		});
	}
});

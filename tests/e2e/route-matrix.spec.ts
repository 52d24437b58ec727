import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { ACCOUNTS, PASSWORD, type RoleName } from './support/accounts';
import { discoverRoutes, requiredRole } from './support/routes';

/**
 * The role × route matrix, generated from src/routes: every page (GET), every form action (POST)
 * and every endpoint, tried by each role and by an anonymous visitor. Only the area's role gets
 * through; everyone else gets 403; an anonymous visitor is sent to log in. Nothing answers 500.
 */
/**
 * Log-in and log-out change the session the matrix's clients depend on (and a probe log-in counts
 * as a failed attempt for throttling); auth.spec.ts tests them with clients of their own.
 */
const SESSION_ACTIONS = new Set(['POST /login', 'POST /logout']);
const ROUTES = discoverRoutes().filter((r) => !SESSION_ACTIONS.has(`${r.method} ${r.path}`));
const VISITORS = ['anonymous', ...Object.keys(ACCOUNTS)] as const;
type Visitor = (typeof VISITORS)[number];

test.describe('role × route matrix', () => {
	const clients = new Map<Visitor, APIRequestContext>();

	test.beforeAll(async ({ baseURL }) => {
		for (const visitor of VISITORS) {
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
				} else if (visitor === 'anonymous') {
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

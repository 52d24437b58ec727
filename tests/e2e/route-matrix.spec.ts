import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ACCOUNTS, PASSWORD, type RoleName } from './support/accounts';

/**
 * The role × route matrix, generated from src/routes: every page (GET), every form action (POST)
 * and every endpoint, tried by each role and by an anonymous visitor. Only the area's role gets
 * through; everyone else gets 403; an anonymous visitor is sent to log in. Nothing answers 500.
 */
interface Route {
	id: string;
	path: string;
	method: 'GET' | 'POST';
	action?: string;
}

const ROUTES_DIR = 'src/routes';
const AREA_ROLE: Record<string, RoleName> = { learn: 'learner', assess: 'assessor', author: 'tutor', admin: 'admin' };

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/** A route id like /(guarded)/learn/attempts/[attemptId] as a URL with a made-up id. */
function toPath(routeId: string): string {
	const path = routeId
		.split('/')
		.filter((segment) => !/^\(.*\)$/.test(segment))
		.map((segment) => segment.replace(/\[\.\.\.[^\]]+\]/, 'x').replace(/\[\[?[^\]]+\]?\]/, 'not-a-real-id'))
		.join('/');
	return path === '' ? '/' : path;
}

function discoverRoutes(): Route[] {
	const routes: Route[] = [];
	for (const file of walk(ROUTES_DIR)) {
		const rel = relative(ROUTES_DIR, file).split(sep);
		const name = rel.pop()!;
		const id = '/' + rel.join('/');
		const path = toPath(id);
		if (name === '+page.svelte') routes.push({ id, path, method: 'GET' });
		if (name === '+server.ts') {
			const source = readFileSync(file, 'utf8');
			for (const method of ['GET', 'POST'] as const) {
				if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source)) routes.push({ id, path, method });
			}
		}
		if (name === '+page.server.ts') {
			const source = readFileSync(file, 'utf8');
			const block = /export const actions\s*=\s*\{([\s\S]*?)\n\}\s*satisfies/.exec(source)?.[1];
			if (!block) continue;
			for (const match of block.matchAll(/^\t(\w+)\s*:/gm)) {
				const action = match[1]!;
				routes.push({ id, path, method: 'POST', action: action === 'default' ? undefined : action });
			}
		}
	}
	return routes;
}

function requiredRole(path: string): RoleName | 'signed-in' | null {
	const first = path.split('/')[1] ?? '';
	if (first in AREA_ROLE) return AREA_ROLE[first]!;
	if (first === 'account') return 'signed-in';
	return null;
}

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

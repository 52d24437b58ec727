import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { LoginPage, PASSWORD, waitForHydration } from './support/accounts';
import { e2eDatabasePath } from './support/fingerprint';
import { createProbeAccounts, logInRaw, rawRequest } from './support/probes';

test.describe('headers, files and the content security policy', () => {
	test('no page applies an inline style or script that the CSP blocks, including SvelteKit’s own announcer', async ({ page }) => {
		const [learner] = createProbeAccounts('csp', [{ roles: ['learner'] }]);
		const violations: string[] = [];
		page.on('console', (message) => {
			if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
		});
		const login = new LoginPage(page);
		await login.goto();
		await login.logIn(learner!.email, PASSWORD);
		await expect(page).toHaveURL('/learn');
		await waitForHydration(page);
		// Client-side navigations make SvelteKit announce the new page in its live region.
		await page.getByRole('link', { name: 'Coverage', exact: false }).first().click();
		await expect(page).toHaveURL(/\/learn\/coverage/);
		await page.goBack();
		await expect(page).toHaveURL('/learn');
		await expect(page.locator('#svelte-announcer')).toHaveCSS('position', 'absolute');
		expect(violations).toEqual([]);
	});

	test('static files and the app’s scripts are sent with nosniff', async ({ request }) => {
		const html = await (await request.get('/login')).text();
		const script = /\/_app\/immutable\/[^"']+\.js/.exec(html)?.[0];
		expect(script, 'the log-in page loads a script').toBeTruthy();
		for (const path of ['/favicon.svg', '/refused.css', script!]) {
			const response = await request.get(path);
			expect(response.status(), path).toBe(200);
			expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
		}
	});

	test('pages with personal data and their data requests are never cached', async ({ baseURL }) => {
		const [learner] = createProbeAccounts('cache', [{ roles: ['learner'] }]);
		const cookie = await logInRaw(baseURL!, learner!, PASSWORD);
		for (const path of ['/learn', '/learn/coverage', '/learn/__data.json', '/account/password']) {
			const response = await rawRequest(baseURL!, 'GET', path, { cookie });
			expect(response.status, path).toBe(200);
			expect(response.headers['cache-control'], path).toBe('no-store');
		}
	});

	test('a redirect target outside ASCII is carried through log-in percent-encoded, not answered with a server error', async ({ baseURL }) => {
		const page = await rawRequest(baseURL!, 'GET', '/login?redirectTo=/%C4%80');
		expect(page.status).toBe(200);
		const anonymous = await rawRequest(baseURL!, 'GET', '/%C4%80/%61dmin');
		expect(anonymous.status).toBe(404);
	});

	test('a refused page is answered by the hook, before the route’s code runs, and the refusal is logged', async ({ baseURL }) => {
		const [learner] = createProbeAccounts('refused', [{ roles: ['learner'] }]);
		const cookie = await logInRaw(baseURL!, learner!, PASSWORD);
		const response = await rawRequest(baseURL!, 'GET', '/%61dmin/users', { cookie });
		expect(response.status).toBe(403);
		// The hook's own page (no layout, no load): it names only the role that was missing.
		expect(response.body).toContain('/refused.css');
		expect(response.body).toContain('admin role');
		expect(response.body).not.toContain('@custodian.test');
		const db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
		try {
			const events = db
				.prepare(`SELECT type, route_id AS routeId FROM security_event WHERE user_id = ? AND type = 'access.refused'`)
				.all(learner!.id) as { type: string; routeId: string }[];
			expect(events).toEqual([{ type: 'access.refused', routeId: '/(guarded)/admin/users' }]);
		} finally {
			db.close();
		}
	});
});

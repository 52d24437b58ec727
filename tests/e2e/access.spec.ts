import type { Role } from '../../src/lib/server/db/schema';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, test } from './support/fixtures';

const AREAS: Record<Role, string[]> = {
	learner: ['/learn'],
	assessor: ['/assess'],
	tutor: ['/author'],
	admin: ['/admin', '/admin/settings'],
	iqa: ['/iqa', '/iqa/assessors'],
	eqa: ['/eqa']
};

test.describe('role guards', () => {
	for (const role of Object.keys(AREAS) as Role[]) {
		test(`the ${role} gets 403 on every other role's pages and only sees their own area in the menu`, async ({ page }) => {
			await logInAsOwn(page, await createOwnUser([role]));
			const nav = page.getByRole('navigation', { name: 'Your areas' });
			await expect(nav.getByRole('link')).toHaveCount(1);
			for (const [other, paths] of Object.entries(AREAS)) {
				for (const path of paths) {
					const response = await page.goto(path);
					if (other === role) {
						expect(response?.status(), path).toBe(200);
					} else {
						expect(response?.status(), path).toBe(403);
						await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page');
						// the 403 page carries the same security headers as any other page
						expect(response?.headers()['x-content-type-options']).toBe('nosniff');
					}
				}
			}
		});
	}

	test('a form post to another role’s action is refused', async ({ page, learner }) => {
		await logInAsOwn(page, learner);
		const response = await page.request.post('/admin/settings', {
			form: { name: 'Hijacked', region: 'scotland', dpoName: 'X Y', dpoEmail: 'x@y.org' },
			headers: { origin: `http://localhost:${process.env.E2E_PORT}` }
		});
		expect(response.status()).toBe(403);
	});

	test('a form post from another origin is refused', async ({ page }) => {
		// An administrator of a centre of the test's own: were the post taken, no other test would see it.
		await logInAsOwn(page, await createOwnUser(['admin'], 'admin', { organisationId: await createOwnCentre() }));
		const response = await page.request.post('/admin/settings', {
			form: { name: 'Cross-site', region: 'scotland', dpoName: 'X Y', dpoEmail: 'x@y.org' },
			headers: { origin: 'https://evil.example' }
		});
		expect(response.status()).toBe(403);
		await page.goto('/admin');
		await expect(page.getByText('Cross-site')).toHaveCount(0);
	});

	test('every page sends a content security policy and the security headers', async ({ page }) => {
		for (const path of ['/', '/login']) {
			const response = await page.goto(path);
			const headers = response!.headers();
			expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
			expect(headers['content-security-policy']).toContain("object-src 'none'");
			expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
			expect(headers['x-content-type-options']).toBe('nosniff');
			expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
		}
	});
});

test.describe('centre settings', () => {
	test('an administrator changes the region; an invalid email is shown next to its field and nothing is lost', async ({ page }) => {
		// A centre of the test's own: the settings it saves are seen by no other test.
		await logInAsOwn(page, await createOwnUser(['admin'], 'admin', { organisationId: await createOwnCentre() }));
		await page.goto('/admin/settings');
		await page.getByLabel('Centre name').fill('Northgate Skills Centre (Leeds)');
		await page.getByLabel('Data protection officer’s email').fill('not-an-email');
		await page.getByLabel('Scotland').check();
		await page.getByRole('button', { name: 'Save settings' }).click();
		await expect(page.locator('#dpoEmail-error')).toContainText('Enter an email address');
		await expect(page.getByLabel('Centre name')).toHaveValue('Northgate Skills Centre (Leeds)');
		await expect(page.getByLabel('Scotland')).toBeChecked();
		await page.getByLabel('Data protection officer’s email').fill('dpo@northgate-skills.example');
		await page.getByLabel('England and Wales').check();
		await page.getByRole('button', { name: 'Save settings' }).click();
		await expect(page).toHaveURL('/admin?saved=settings');
		await expect(page.getByText('Northgate Skills Centre (Leeds)')).toBeVisible();
	});
});

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ACCOUNTS, logInAs, type RoleName } from './support/accounts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

test('the log-in page has no WCAG 2.2 A/AA violations, also with an error shown', async ({ page }) => {
	await page.goto('/login');
	await expectNoViolations(page);
	await page.getByLabel('Email address').fill('someone@custodian.test');
	await page.getByLabel('Password').fill('wrong password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expectNoViolations(page);
});

test('the public home page has no WCAG 2.2 A/AA violations', async ({ page }) => {
	await page.goto('/');
	await expectNoViolations(page);
});

for (const role of Object.keys(ACCOUNTS) as RoleName[]) {
	test(`the ${role} home page has no WCAG 2.2 A/AA violations`, async ({ page }) => {
		await logInAs(page, role);
		await expectNoViolations(page);
	});
}

test('the settings form and the 403 page have no WCAG 2.2 A/AA violations', async ({ page }) => {
	await logInAs(page, 'admin');
	await page.goto('/admin/settings');
	await page.getByLabel('Centre name').fill('');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.locator('#name-error')).toBeVisible();
	await expectNoViolations(page);
	await page.goto('/learn');
	await expectNoViolations(page);
});

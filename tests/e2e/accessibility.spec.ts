import type { Role } from '../../src/lib/server/db/schema';
import { expectNoViolations, GEOMETRY_RULES } from './support/accessibility';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, test } from './support/fixtures';

test('the log-in page has no WCAG 2.2 A/AA violations, also with an error shown', async ({ page }) => {
	await page.goto('/login');
	await expectNoViolations(page);
	await page.getByLabel('Email address').fill('someone@custodian.test');
	await page.getByLabel('Password').fill('wrong password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expectNoViolations(page);
});

test('the accessibility check itself fails on a violation, naming the rule and the element, also with the geometry rules only', async ({ page }) => {
	await page.goto('/login');
	await expectNoViolations(page);
	// An image with no text alternative: a markup rule, checked by the full scan.
	await page.evaluate(() => {
		const image = document.createElement('img');
		image.id = 'image-without-alt';
		image.src = '/favicon.png';
		document.querySelector('main')!.append(image);
	});
	await expect(expectNoViolations(page)).rejects.toThrow(/image-alt: .*#image-without-alt/);
	// Two 8 px buttons side by side: too small a target (WCAG 2.5.8), found by the geometry scan too.
	await page.evaluate(() => {
		for (const id of ['tiny-one', 'tiny-two']) {
			const button = document.createElement('button');
			button.id = id;
			button.textContent = 'x';
			Object.assign(button.style, { width: '8px', height: '8px', padding: '0', margin: '0', border: '0', fontSize: '4px', display: 'inline-block' });
			document.querySelector('main')!.prepend(button);
		}
	});
	await expect(expectNoViolations(page, { rules: GEOMETRY_RULES })).rejects.toThrow(/target-size: .*#tiny-/);
});

test('the public home page has no WCAG 2.2 A/AA violations', async ({ page }) => {
	await page.goto('/');
	await expectNoViolations(page);
});

for (const role of ['learner', 'assessor', 'tutor', 'admin'] as const satisfies readonly Role[]) {
	// Users of the test's own, with a cohort (its assignments on the learner's home, its people on the staff's).
	test(`the ${role} home page has no WCAG 2.2 A/AA violations`, async ({ page, learner, assessor, tutor, admin, cohort }) => {
		await logInAsOwn(page, { learner, assessor, tutor, admin }[role]);
		await expectNoViolations(page);
	});
}

test('the settings form and the 403 page have no WCAG 2.2 A/AA violations', async ({ page }) => {
	// A centre of the test's own, in case the empty name were ever taken.
	await logInAsOwn(page, await createOwnUser(['admin'], 'admin', { organisationId: await createOwnCentre() }), '/admin/settings');
	await page.getByLabel('Centre name').fill('');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.locator('#name-error')).toBeVisible();
	await expectNoViolations(page);
	await page.goto('/learn');
	await expectNoViolations(page);
});

import { expect, test } from '@playwright/test';
import { LoginPage, PASSWORD, waitForHydration } from './support/accounts';
import { createOwnAccounts } from './support/fingerprint';

// Uses the second demo learner, whom no other test logs in as, so the change does not disturb them.
const EMAIL = 'learner2@custodian.test';
const NEW_PASSWORD = 'a brand new passphrase';

test('a learner changes their password: errors sit next to their fields, other sessions end, the new password works', async ({ browser }) => {
	const elsewhere = await browser.newContext();
	const other = await elsewhere.newPage();
	await new LoginPage(other).goto();
	await new LoginPage(other).logIn(EMAIL, PASSWORD);
	await expect(other).toHaveURL('/learn');

	const context = await browser.newContext();
	const page = await context.newPage();
	const login = new LoginPage(page);
	await login.goto();
	await login.logIn(EMAIL, PASSWORD);
	await page.getByRole('link', { name: 'Tomás Ó Briain' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change your password');

	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
	await page.getByLabel('New password again').fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.locator('#currentPassword-error')).toHaveText(/current password is not right/);

	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByLabel('New password', { exact: true }).fill('short');
	await page.getByLabel('New password again').fill('short');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.locator('#newPassword-error')).toHaveText(/at least 12 characters/);

	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
	await page.getByLabel('New password again').fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('status')).toContainText('Your password has been changed');

	// This browser stays logged in; the other one was logged out by the change.
	await page.goto('/learn');
	await expect(page).toHaveURL('/learn');
	await other.goto('/learn');
	await expect(other).toHaveURL(/\/login/);

	await new LoginPage(other).logIn(EMAIL, PASSWORD);
	await expect(other.getByRole('alert')).toContainText('do not match');
	await new LoginPage(other).logIn(EMAIL, NEW_PASSWORD);
	await expect(other).toHaveURL('/learn');
	await context.close();
	await elsewhere.close();
});

test('a common password is refused with the reason next to the new password field', async ({ page }) => {
	const [own] = createOwnAccounts('refusal', ['learner']);
	const login = new LoginPage(page);
	await login.goto();
	await login.logIn(own!.email, PASSWORD);
	await expect(page).toHaveURL('/learn');
	await page.goto('/account/password');
	await waitForHydration(page);
	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByLabel('New password', { exact: true }).fill('password1234');
	await page.getByLabel('New password again').fill('password1234');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.locator('#newPassword-error')).toHaveText(/on a list of common and breached passwords/);
	await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	// Nothing changed: the old password still logs in elsewhere.
	const elsewhere = await page.context().browser()!.newContext();
	const other = await elsewhere.newPage();
	await new LoginPage(other).goto();
	await new LoginPage(other).logIn(own!.email, PASSWORD);
	await expect(other).toHaveURL('/learn');
	await elsewhere.close();
});

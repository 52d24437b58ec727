import { LoginPage, waitForHydration } from './support/accounts';
import { addressHeaders, expect, test } from './support/fixtures';

// Each test changes the password of a learner of its own, so no other test is disturbed.
const NEW_PASSWORD = 'a brand new passphrase';

test('a learner changes their password: errors sit next to their fields, other sessions end, the new password works', async ({ browser, learner }) => {
	const EMAIL = learner.email;
	const PASSWORD = learner.password;
	const elsewhere = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const other = await elsewhere.newPage();
	await new LoginPage(other).goto();
	await new LoginPage(other).logIn(EMAIL, PASSWORD);
	await expect(other).toHaveURL('/learn');

	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const page = await context.newPage();
	const login = new LoginPage(page);
	await login.goto();
	await login.logIn(EMAIL, PASSWORD);
	await page.getByRole('link', { name: learner.name }).click();
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

test('a common password is refused with the reason next to the new password field', async ({ page, learner: own }) => {
	const PASSWORD = own.password;
	const login = new LoginPage(page);
	await login.goto();
	await login.logIn(own.email, PASSWORD);
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
	const elsewhere = await page.context().browser()!.newContext({ extraHTTPHeaders: addressHeaders() });
	const other = await elsewhere.newPage();
	await new LoginPage(other).goto();
	await new LoginPage(other).logIn(own.email, PASSWORD);
	await expect(other).toHaveURL('/learn');
	await elsewhere.close();
});

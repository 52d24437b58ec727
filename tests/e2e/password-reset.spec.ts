import type { Page } from '@playwright/test';
import { LoginPage, waitForHydration } from './support/accounts';
import { expectNoViolations } from './support/accessibility';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, requestContextAsOwn, test, uniqueSuffix } from './support/fixtures';
import { mailTo, resetPathIn } from './support/mail';

/**
 * Self-service password reset by email (the e2e server's mail sink receives the mail:
 * scripts/mail-sink.js), and an administrator editing a user's name and email.
 */

/** The request page, reached from the log-in page's link, and the answer to a request. */
async function askForLink(page: Page, email: string): Promise<string> {
	await new LoginPage(page).goto();
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await expect(page).toHaveURL('/login/forgot');
	await waitForHydration(page);
	await expectNoViolations(page);
	await page.getByLabel('Email address').fill(email);
	await page.getByRole('button', { name: 'Email me a link' }).click();
	const answer = page.getByRole('status');
	await expect(answer).toContainText('If an account has this email address');
	return (await answer.textContent())!.trim();
}

test('a learner who forgot their password gets a link by email, chooses a new password and logs in with it; the link works once', async ({ page, learner }) => {
	await askForLink(page, learner.email.toUpperCase());
	await expect.poll(() => mailTo(learner.email).length).toBe(1);
	const [mail] = mailTo(learner.email);
	expect(mail!.subject).toBe('Choose a new password for Custodian');
	const link = resetPathIn(mail!);

	await page.goto(link);
	await waitForHydration(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
	// The password rules apply, with the reason next to the field.
	await page.getByLabel('New password', { exact: true }).fill('password1234');
	await page.getByLabel('New password again').fill('password1234');
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await expect(page.locator('#newPassword-error')).toContainText('common and breached passwords');
	await expect(page.getByLabel('New password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expectNoViolations(page);

	const newPassword = 'nine kettles by the harbour at dawn';
	await page.getByLabel('New password', { exact: true }).fill(newPassword);
	await page.getByLabel('New password again').fill(newPassword);
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await expect(page).toHaveURL('/login?reset=done');
	await expect(page.getByRole('status')).toContainText('Your new password is saved');

	// The old password no longer works; the new one does.
	await waitForHydration(page);
	await new LoginPage(page).logIn(learner.email, learner.password);
	await expect(page.getByRole('alert')).toContainText('do not match');
	await new LoginPage(page).logIn(learner.email, newPassword);
	await expect(page).toHaveURL(learner.home);

	// The same link a second time: one clear message, and a way to ask again.
	await page.goto(link);
	await expect(page.locator('#link-not-working')).toContainText('This link does not work');
	await expect(page.getByLabel('New password', { exact: true })).toHaveCount(0);
	await page.getByRole('link', { name: 'Ask for a new link' }).click();
	await expect(page).toHaveURL('/login/forgot');
});

test('an email no account has gets the very same answer, and no mail', async ({ page, learner }) => {
	const unknown = `nobody.${uniqueSuffix()}@custodian.test`;
	const forUnknown = await askForLink(page, unknown);
	const forKnown = await askForLink(page, learner.email);
	expect(forUnknown).toBe(forKnown);
	await expect.poll(() => mailTo(learner.email).length).toBe(1);
	expect(mailTo(unknown)).toEqual([]);
});

test('an unknown reset link says it does not work and offers a new one, without a form', async ({ page }) => {
	const response = await page.goto(`/login/reset/${'A'.repeat(43)}`);
	expect(response!.status()).toBe(200);
	await expect(page.locator('#link-not-working')).toContainText('Ask for a new one');
	await expect(page.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/login/forgot');
});

test('an administrator changes a user’s name and email, with each refusal next to its field, and finds it in the security log', async ({ page, admin, learner }) => {
	await logInAsOwn(page, admin, `/admin/users/${learner.id}`);
	const name = page.getByLabel('Name', { exact: true });
	const email = page.getByLabel('Email address', { exact: true });
	const save = page.getByRole('button', { name: 'Save name and email' });
	await expect(name).toHaveValue(learner.name);
	await expect(email).toHaveValue(learner.email);

	await name.fill('   ');
	await email.fill('not an email');
	await save.click();
	await expect(page.locator('#displayName-error')).toHaveText('Enter the person’s name.');
	await expect(page.locator('#email-error')).toHaveText('Enter an email address like name@example.org.');
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expectNoViolations(page);

	// Another account's email, in other capitals.
	await name.fill(learner.name);
	await email.fill(admin.email.toUpperCase());
	await save.click();
	await expect(page.locator('#email-error')).toHaveText('There is already an account with this email address.');
	await expect(page.locator('#displayName-error')).toHaveCount(0);

	const suffix = uniqueSuffix();
	const newName = `Renamed Learner ${suffix}`;
	const newEmail = `renamed.${suffix}@custodian.test`;
	await name.fill(newName);
	await email.fill(newEmail);
	await save.click();
	await expect(page.getByRole('status')).toContainText('The name and email are saved');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(newName);
	await expect(page.locator('#email-error')).toHaveCount(0);

	await page.goto(`/admin/security?person=${encodeURIComponent(newEmail)}`);
	await waitForHydration(page);
	const row = page.getByRole('table').locator('tbody tr').filter({ hasText: 'Account changed' });
	await expect(row).toHaveCount(1);
	await expect(row).toContainText(admin.name);
	await expect(row).toContainText(`email ${learner.email} → ${newEmail}`);
});

test('an administrator of another centre cannot see or change a user of this one', async ({ learner }) => {
	const elsewhere = await createOwnUser(['admin'], 'elsewhere admin', { organisationId: await createOwnCentre() });
	const client = await requestContextAsOwn(elsewhere);
	expect((await client.get(`/admin/users/${learner.id}`, { maxRedirects: 0 })).status()).toBe(404);
	const posted = await client.post(`/admin/users/${learner.id}?/account`, { form: { displayName: 'Taken Over', email: `taken.${uniqueSuffix()}@custodian.test` }, maxRedirects: 0 });
	expect(posted.status()).toBe(404);
	await client.dispose();
	// Still as it was: the learner logs in with their own email.
	const own = await requestContextAsOwn(learner);
	expect((await own.get('/learn', { maxRedirects: 0 })).status()).toBe(200);
	await own.dispose();
});

import { LoginPage, waitForHydration } from './support/accounts';
import Database from 'better-sqlite3';
import { createAccount, firstLogIn, uniquePerson } from './support/admin';
import { expectNoViolations } from './support/accessibility';
import { e2eDatabasePath } from './support/fingerprint';
import { addressHeaders, expect, logInAsOwn, test } from './support/fixtures';
import { enrolMfa } from './support/mfa';

const OWN_PASSWORD = 'my own long passphrase';

/** Moves the account's one-time password past its expiry, as if it had been issued days ago. */
function expireOneTimePassword(email: string) {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		db.prepare('UPDATE user SET one_time_password_expires_at = ? WHERE email = ?').run(Date.now() - 1000, email);
	} finally {
		db.close();
	}
}

test('an admin creates a user, who logs in with the one-time password and must change it first', async ({ page, browser, admin }) => {
	await logInAsOwn(page, admin);
	await page.goto('/admin/users/new');
	await waitForHydration(page);
	// Errors first: nothing typed is lost.
	await page.getByLabel('Full name').fill('Half Filled');
	await page.getByLabel('Email address').fill('not-an-email');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.locator('#email-error')).toContainText('email address');
	await expect(page.locator('#roles-error')).toContainText('at least one role');
	await expect(page.getByLabel('Full name')).toHaveValue('Half Filled');
	await expectNoViolations(page);

	const person = uniquePerson('New Tutor');
	const password = await createAccount(page, person, ['tutor']);
	expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
	await expectNoViolations(page);
	await page.goto('/admin/users');
	const row = page.getByRole('row', { name: new RegExp(person.name) });
	await expect(row).toContainText('Has not yet changed the one-time password');
	await expectNoViolations(page);

	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const theirs = await context.newPage();
	await firstLogIn(theirs, person.email, password, OWN_PASSWORD);
	// A tutor must use MFA: set up right after choosing a password, before any page of the area.
	await enrolMfa(theirs);
	await expect(theirs).toHaveURL('/author');
	// The one-time password no longer works.
	await theirs.getByRole('button', { name: 'Log out' }).click();
	const login = new LoginPage(theirs);
	await login.goto();
	await login.logIn(person.email, password);
	await expect(theirs.getByRole('alert')).toContainText('do not match');
	await context.close();
});

test('a CSV import reports every bad row by row and column and imports the good ones with one-time passwords', async ({ page, admin, learner, cohort }) => {
	await logInAsOwn(page, admin);
	await page.goto('/admin/users/import');
	await waitForHydration(page);
	await expectNoViolations(page);
	const good = uniquePerson('Imported');
	const other = uniquePerson('Imported Two');
	const csv = [
		'email,name,cohort',
		`${good.email},${good.name},"${cohort.name}"`,
		'not-an-email,Someone,',
		`${good.email},Twice Listed,`,
		`${other.email},,`,
		`${learner.email},Someone Again,`,
		`${other.email.replace('@', '.x@')},${other.name},No Such Cohort`
	].join('\n');
	await page.getByLabel('Or paste the rows').fill(csv);
	await page.getByRole('button', { name: 'Import learners' }).click();
	const report = page.getByRole('region', { name: 'Import report' });
	await expect(report.getByRole('status')).toContainText('Imported 1 of 6 learners');
	await expect(report.getByRole('status')).toContainText('5 rows have problems');
	const problems = report.getByRole('table', { name: /Problems/ });
	await expect(problems.getByRole('row', { name: /^3 email/ })).toContainText('is not an email address');
	await expect(problems.getByRole('row', { name: /^4 email/ })).toContainText('also on row 2');
	await expect(problems.getByRole('row', { name: /^5 name/ })).toContainText('name is missing');
	await expect(problems.getByRole('row', { name: /^6 email/ })).toContainText('already an account');
	await expect(problems.getByRole('row', { name: /^7 cohort/ })).toContainText('no active cohort');
	const imported = report.getByRole('table', { name: /one-time passwords/ });
	await expect(imported.getByRole('row')).toHaveCount(2);
	await expect(imported).toContainText(good.email);
	await expect(imported.locator('code')).toHaveText(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
	await expectNoViolations(page);

	await page.goto('/admin/users');
	await expect(page.getByRole('row', { name: new RegExp(good.name) })).toContainText('learner');
});

test('deactivating a logged-in user ends their session at once; reactivating lets them back in', async ({ page, browser, admin }) => {
	await logInAsOwn(page, admin);
	const person = uniquePerson('Leaving Learner');
	const password = await createAccount(page, person, ['learner']);

	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const theirs = await context.newPage();
	await firstLogIn(theirs, person.email, password, OWN_PASSWORD);
	await expect(theirs).toHaveURL('/learn');

	await page.goto('/admin/users');
	await page.getByRole('link', { name: person.name }).click();
	await waitForHydration(page);
	await expectNoViolations(page);
	await page.getByRole('button', { name: 'Deactivate account' }).click();
	await expect(page.getByRole('status')).toContainText('every session of it has ended');

	// Their very next request finds them logged out.
	await theirs.goto('/learn/history');
	await expect(theirs).toHaveURL(/\/login/);
	const login = new LoginPage(theirs);
	await login.logIn(person.email, OWN_PASSWORD);
	await expect(theirs.getByRole('alert')).toContainText('do not match an active account');

	await page.getByRole('button', { name: 'Reactivate account' }).click();
	await expect(page.getByRole('status')).toContainText('active again');
	await login.goto();
	await login.logIn(person.email, OWN_PASSWORD);
	await expect(theirs).toHaveURL('/learn');
	await context.close();
});

test('an admin cannot deactivate themselves or drop their own admin role', async ({ page, admin }) => {
	await logInAsOwn(page, admin);
	await page.goto('/admin/users');
	await page.getByRole('main').getByRole('link', { name: admin.name }).click();
	await waitForHydration(page);
	await expect(page.getByRole('button', { name: 'Deactivate account' })).toHaveCount(0);
	await page.getByRole('checkbox', { name: 'admin' }).uncheck();
	await page.getByRole('button', { name: 'Save roles' }).click();
	await expect(page.getByRole('alert')).toContainText('Choose at least one role');
	await page.getByRole('checkbox', { name: 'tutor' }).check();
	await page.getByRole('checkbox', { name: 'admin' }).uncheck();
	await page.getByRole('button', { name: 'Save roles' }).click();
	await expect(page.getByRole('alert')).toContainText('cannot remove your own admin role');
	await page.reload();
	await expect(page.getByRole('checkbox', { name: 'admin' })).toBeChecked();
	await expect(page.getByRole('checkbox', { name: 'tutor' })).not.toBeChecked();
});

test('the admin pages and the retention rules form have no WCAG 2.2 A/AA violations, also with errors shown', async ({ page, admin }) => {
	await logInAsOwn(page, admin);
	await expectNoViolations(page);
	await page.goto('/admin/settings/retention');
	await waitForHydration(page);
	await page.getByLabel('Code').fill('Not A Code');
	await page.getByLabel('Period in months').fill('forever');
	await page.getByRole('button', { name: 'Add rule' }).click();
	await expect(page.locator('#code-error')).toContainText('lower-case');
	await expect(page.locator('#periodMonths-error')).toContainText('whole number');
	await expect(page.getByLabel('Code')).toHaveValue('Not A Code');
	await expectNoViolations(page);
});

test('unknown users and rules answer 404', async ({ page, admin }) => {
	await logInAsOwn(page, admin);
	expect((await page.goto('/admin/users/not-a-real-id'))?.status()).toBe(404);
	expect((await page.goto('/admin/settings/retention?edit=not-a-real-id'))?.status()).toBe(404);
});

test('a user page says when the one-time password has expired and issues a new one that logs in', async ({ page, browser, admin }) => {
	await logInAsOwn(page, admin);
	const person = uniquePerson('Late Starter');
	const expired = await createAccount(page, person, ['learner']);
	const id = await page.getByRole('link', { name: `See ${person.name}’s account` }).getAttribute('href');
	expireOneTimePassword(person.email);

	await page.goto(id!);
	await waitForHydration(page);
	await expect(page.locator('#one-time-password-expired')).toContainText('The one-time password has expired');
	await expectNoViolations(page);
	await page.getByRole('button', { name: 'Issue a new one-time password' }).click();
	const shown = page.getByRole('status').locator('.password code');
	await expect(shown).toBeVisible();
	const fresh = (await shown.textContent())!.trim();
	expect(fresh).not.toBe(expired);
	await expect(page.locator('#one-time-password-expired')).toHaveCount(0);

	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const theirs = await context.newPage();
	await firstLogIn(theirs, person.email, fresh, OWN_PASSWORD);
	await expect(theirs).toHaveURL('/learn');
	await context.close();
});

import Database from 'better-sqlite3';
import { ACCOUNTS, LoginPage, logInThroughForm, passMfaStep, type RoleName } from './support/accounts';
import { e2eDatabasePath } from './support/fingerprint';
import { addressHeaders, createOwnUser, expect, logInAsOwn, test } from './support/fixtures';

/** Makes the account's password a one-time password that stops working at `expiresAt` (epoch ms). */
function setOneTimePassword(userId: string, expiresAt: number) {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		db.prepare('UPDATE user SET must_change_password = 1, one_time_password_expires_at = ? WHERE id = ?').run(expiresAt, userId);
	} finally {
		db.close();
	}
}

test.describe('logging in and out', () => {
	// The demo's own accounts log in as the README says (the demo is what these four tests are about);
	// every other test here logs in, fails to, or logs out as an account of its own.
	for (const role of Object.keys(ACCOUNTS) as RoleName[]) {
		test(`the demo ${role} logs in and lands on the ${role} home page`, async ({ page }) => {
			await new LoginPage(page).goto();
			await logInThroughForm(page, ACCOUNTS[role].email);
			await expect(page).toHaveURL(ACCOUNTS[role].home);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(ACCOUNTS[role].heading);
			await expect(page.getByRole('banner').getByRole('link', { name: ACCOUNTS[role].name })).toBeVisible();
			await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
		});
	}

	test('a wrong password shows an error and keeps the typed email', async ({ page, learner }) => {
		const login = new LoginPage(page);
		await login.goto();
		await login.logIn(learner.email, 'not the password');
		await expect(page.getByRole('alert')).toContainText('That email and password do not match');
		await expect(page.getByLabel('Email address')).toHaveValue(learner.email);
		await expect(page.getByLabel('Password')).toHaveValue('');
		await expect(page).toHaveURL(/\/login/);
	});

	test('an unknown email gets the same message as a wrong password', async ({ page }) => {
		const login = new LoginPage(page);
		await login.goto();
		await login.logIn('nobody-here@custodian.test', 'whatever password');
		await expect(page.getByRole('alert')).toContainText('That email and password do not match an active account');
	});

	test('the log-in form works without JavaScript', async ({ browser, tutor }) => {
		const context = await browser.newContext({ extraHTTPHeaders: addressHeaders(), javaScriptEnabled: false });
		const page = await context.newPage();
		const login = new LoginPage(page);
		await page.goto('/login'); // no scripts, so no hydration to wait for
		await login.logIn(tutor.email, 'wrong password');
		await expect(page.getByRole('alert')).toContainText('do not match');
		await expect(page.getByLabel('Email address')).toHaveValue(tutor.email);
		await login.logIn(tutor.email, tutor.password);
		await passMfaStep(page, tutor.email);
		await expect(page).toHaveURL('/author');
		await context.close();
	});

	test('an anonymous visit to a guarded page goes to log in and returns there afterwards', async ({ page, admin }) => {
		await page.goto('/admin/settings');
		await expect(page).toHaveURL('/login?redirectTo=%2Fadmin%2Fsettings');
		await new LoginPage(page).logIn(admin.email, admin.password);
		await passMfaStep(page, admin.email);
		await expect(page).toHaveURL('/admin/settings');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Centre settings');
	});

	test('log-in does not redirect to another site', async ({ page, learner }) => {
		await page.goto('/login?redirectTo=//evil.example/phish');
		await new LoginPage(page).logIn(learner.email, learner.password);
		await expect(page).toHaveURL('/learn');
	});

	test('log out ends the session: the old cookie no longer works', async ({ page, context, request, learner }) => {
		await logInAsOwn(page, learner);
		const cookie = (await context.cookies()).find((c) => c.name === 'session');
		expect(cookie?.httpOnly).toBe(true);
		expect(cookie?.sameSite).toBe('Lax');
		await page.getByRole('button', { name: 'Log out' }).click();
		await expect(page).toHaveURL('/login');
		// Replay the old cookie from a client that never logged out.
		const replay = await request.get('/learn', { headers: { cookie: `session=${cookie!.value}` }, maxRedirects: 0 });
		expect(replay.status()).toBe(303);
		expect(replay.headers()['location']).toContain('/login');
	});

	test('a session token planted before log-in is not promoted (no session fixation)', async ({ page, context, learner }) => {
		const planted = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
		await context.addCookies([{ name: 'session', value: planted, url: `http://localhost:${process.env.E2E_PORT}` }]);
		// Through the form, carrying the planted cookie, as a victim's browser would.
		const login = new LoginPage(page);
		await login.goto();
		await login.logIn(learner.email, learner.password);
		await expect(page).toHaveURL('/learn');
		const cookie = (await context.cookies()).find((c) => c.name === 'session');
		expect(cookie?.value).not.toBe(planted);
	});

	test('an expired one-time password gets the same answer as a wrong password, and a used one works only once', async ({ browser }) => {
		// The account's own password stands for a one-time password an administrator issued.
		const own = await createOwnUser(['learner'], 'expired otp');
		setOneTimePassword(own.id, Date.now() - 1000);
		const first = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
		const page = await first.newPage();
		const login = new LoginPage(page);
		await login.goto();
		await login.logIn(own.email, own.password);
		await expect(page.getByRole('alert')).toContainText('That email and password do not match an active account');
		await expect(page).toHaveURL(/\/login/);

		// Still within its time it logs in once, straight to choosing a password …
		setOneTimePassword(own.id, Date.now() + 3_600_000);
		await login.logIn(own.email, own.password);
		await expect(page).toHaveURL(/\/account\/password/);
		// … and a second log-in with it, from another browser, is refused.
		const second = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
		const other = await second.newPage();
		await new LoginPage(other).goto();
		await new LoginPage(other).logIn(own.email, own.password);
		await expect(other.getByRole('alert')).toContainText('That email and password do not match an active account');
		await first.close();
		await second.close();
	});
});

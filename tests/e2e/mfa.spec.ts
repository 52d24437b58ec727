import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { generateHOTP } from '@oslojs/otp';
import { LoginPage, PASSWORD, waitForHydration } from './support/accounts';
import { expectNoViolations } from './support/accessibility';
import { e2eDatabasePath } from './support/fingerprint';
import { addressHeaders, expect, logInAsOwn, test } from './support/fixtures';
import { codeForManualKey, enrolMfa, nextCodeForManualKey } from './support/mfa';
import { createProbeAccounts } from './support/probes';

/**
 * Two-step log-in (issue 13, item 4): a tutor of the test's own enrols by reading the key from the
 * page, as someone typing it into an app would, and logs in with a TOTP computed here; recovery
 * codes work once; an administrator resets a user's MFA. Every account is the test's own.
 */

/** A tutor of the test's own who has not set up MFA (password: the demo password). */
function tutorWithoutMfa(): { id: string; email: string } {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		const demo = db.prepare(`SELECT organisation_id AS org, password_hash AS hash FROM user WHERE email = 'learner@custodian.test'`).get() as { org: string; hash: string };
		const id = randomUUID();
		const email = `mfa-tutor-${id.slice(0, 8)}@custodian.test`;
		db.transaction(() => {
			db.prepare(`INSERT INTO user (id, organisation_id, email, display_name, password_hash, must_change_password, active, created_at) VALUES (?, ?, ?, ?, ?, 0, 1, ?)`).run(
				id, demo.org, email, `Tutor ${id.slice(0, 8)}`, demo.hash, new Date().toISOString()
			);
			db.prepare(`INSERT INTO user_role (user_id, role) VALUES (?, 'tutor')`).run(id);
		}).immediate();
		return { id, email };
	} finally {
		db.close();
	}
}

function securityEventsOf(userId: string): { type: string; actorId: string | null; detail: string | null }[] {
	const db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
	try {
		return db.prepare('SELECT type, actor_id AS actorId, detail FROM security_event WHERE user_id = ? ORDER BY id').all(userId) as never;
	} finally {
		db.close();
	}
}

async function logInWithPassword(page: Page, email: string) {
	const login = new LoginPage(page);
	await login.goto();
	await login.logIn(email, PASSWORD);
}

async function enterCode(page: Page, code: string) {
	await expect(page).toHaveURL(/\/account\/mfa\/verify/);
	await waitForHydration(page);
	await page.getByLabel('Code').fill(code);
	await page.getByRole('button', { name: 'Continue' }).click();
}

async function logOut(page: Page) {
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL('/login');
}

test('a tutor without MFA reaches no page of their area before enrolling, then logs in with a TOTP and with a recovery code once', async ({ page }) => {
	test.slow(); // five log-ins, each hashing a password with argon2id
	const tutor = tutorWithoutMfa();
	await logInWithPassword(page, tutor.email);
	await expect(page).toHaveURL(/^[^?]*\/account\/mfa(\?|$)/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two-step log-in (MFA)');
	await expect(page.getByText('Your account must use two-step log-in')).toBeVisible();
	await expect(page.locator('.qr svg')).toBeVisible();
	await expectNoViolations(page);

	// Every page of the area, by any navigation, leads back to enrolment; nothing of the area is shown.
	for (const path of ['/author', '/author/scenarios', '/author/cohorts', '/account/password']) {
		await page.goto(path);
		await expect(page, path).toHaveURL(`/account/mfa?redirectTo=${encodeURIComponent(path)}`);
	}
	// A data request gets SvelteKit's redirect (as JSON), never the page's data.
	const data = await page.request.get('/author/scenarios/__data.json', { maxRedirects: 0 });
	expect(await data.json()).toEqual({ type: 'redirect', location: expect.stringMatching(/^\/account\/mfa\?/) });

	// Enrols from the last redirect, and lands where it was going.
	const { manualKey, recoveryCodes } = await enrolMfa(page);
	expect(recoveryCodes).toHaveLength(10);
	await expect(page).toHaveURL('/account/password');
	await page.goto('/author');
	await expect(page).toHaveURL('/author');

	// Log-in now asks for a code; a wrong one is refused next to the field.
	await logOut(page);
	await logInWithPassword(page, tutor.email);
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	const right = nextCodeForManualKey(manualKey);
	await enterCode(page, right === '000000' ? '111111' : '000000');
	await expect(page.locator('#code-error')).toContainText('That code is not right');
	await expect(page.getByLabel('Code')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Code')).toHaveValue('');
	await expectNoViolations(page);
	// The enrolment spent this half-minute's code, so the app's next one is used (one step of drift is allowed).
	await enterCode(page, right);
	await expect(page).toHaveURL('/author');

	// A recovery code instead of the app: accepted once, refused the second time.
	await logOut(page);
	await logInWithPassword(page, tutor.email);
	await enterCode(page, recoveryCodes[0]!.toUpperCase());
	await expect(page).toHaveURL('/author');
	await logOut(page);
	await logInWithPassword(page, tutor.email);
	await enterCode(page, recoveryCodes[0]!);
	await expect(page.locator('#code-error')).toContainText('That code is not right');
	await expect(page).toHaveURL(/\/account\/mfa\/verify/);

	const types = securityEventsOf(tutor.id).map((e) => e.type);
	expect(types).toEqual(expect.arrayContaining(['mfa.enrolled', 'mfa.failed', 'mfa.verified', 'mfa.recovery-code-used']));
	expect(JSON.stringify(securityEventsOf(tutor.id))).not.toContain(recoveryCodes[0]);
});

test('the account page shows MFA is on and makes new recovery codes only with a current code', async ({ page }) => {
	const tutor = tutorWithoutMfa();
	await logInWithPassword(page, tutor.email);
	const { manualKey, recoveryCodes } = await enrolMfa(page);
	await page.goto('/account/mfa');
	await waitForHydration(page);
	await expect(page.getByRole('status')).toContainText('You have 10 of 10 recovery codes left');
	await expect(page.getByText('Your account must use two-step log-in. If you have a new phone')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Turn off two-step log-in' })).toHaveCount(0);

	await page.getByLabel('Code from your app').fill('12345');
	await page.getByRole('button', { name: 'Make new recovery codes' }).click();
	await expect(page.locator('#regenerate-code-error')).toContainText('That code is not right');
	await page.getByLabel('Code from your app').fill(nextCodeForManualKey(manualKey));
	await page.getByRole('button', { name: 'Make new recovery codes' }).click();
	await expect(page.getByRole('heading', { name: 'Store these recovery codes now' })).toBeVisible();
	const fresh = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
	expect(fresh).toHaveLength(10);
	expect(fresh.map((c) => c.trim())).not.toContain(recoveryCodes[0]);
});

test('an administrator resets a user’s MFA: their sessions end, the reset is logged, and they enrol again', async ({ page, browser, admin }) => {
	const [user] = createProbeAccounts('mfa-reset', [{ roles: ['tutor'] }]);
	const key = user!.totpKey!;

	// The user is logged in elsewhere.
	const theirs = await (await browser.newContext({ extraHTTPHeaders: addressHeaders() })).newPage();
	await logInWithPassword(theirs, user!.email);
	await enterCode(theirs, generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000)), 6));
	await expect(theirs).toHaveURL('/author');

	await logInAsOwn(page, admin, `/admin/users/${user!.id}`);
	await waitForHydration(page);
	const section = page.getByRole('region', { name: 'Two-step log-in (MFA)' });
	await expect(section).toContainText('On since');
	await section.getByRole('button', { name: 'Reset MFA' }).click();
	await expect(page.locator('#confirm-error')).toContainText('Tick the box to confirm');
	await section.getByRole('checkbox', { name: /I have checked this request really comes from/ }).check();
	await section.getByRole('button', { name: 'Reset MFA' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'MFA is reset' })).toBeVisible();
	await expect(section).toContainText('Not set up');

	const reset = securityEventsOf(user!.id).find((e) => e.type === 'mfa.reset');
	expect(reset?.actorId).toBe(admin.id);

	// Their session has ended; at the next log-in they set MFA up again before anything else.
	await theirs.goto('/author');
	await expect(theirs).toHaveURL(/\/login/);
	await logInWithPassword(theirs, user!.email);
	await expect(theirs).toHaveURL(/\/account\/mfa(\?|$)/);
	const { manualKey } = await enrolMfa(theirs);
	expect(codeForManualKey(manualKey)).toMatch(/^\d{6}$/);
	await expect(theirs).toHaveURL('/author');
	await theirs.context().close();
});

import { expect, type Page } from '@playwright/test';
import { unusedCode, withLock } from './mfa';

/**
 * The demo accounts the server creates on an empty database (src/lib/server/demo.ts, README), for
 * the tests of the demo itself (auth.spec); every other test uses accounts of its own (fixtures.ts).
 */
export const PASSWORD = 'custodian-demo-2026';
export const ACCOUNTS = {
	learner: { email: 'learner@custodian.test', name: 'Amira Khan', home: '/learn', heading: /Welcome, Amira Khan/ },
	assessor: { email: 'assessor@custodian.test', name: 'Gareth Llewellyn', home: '/assess', heading: /Assessment/ },
	tutor: { email: 'tutor@custodian.test', name: 'Priya Raman', home: '/author', heading: /Authoring/ },
	admin: { email: 'admin@custodian.test', name: 'Morag Campbell', home: '/admin', heading: /Centre administration/ },
	iqa: { email: 'iqa@custodian.test', name: 'Helen Achterberg', home: '/iqa', heading: /Quality assurance/ },
	eqa: { email: 'eqa@custodian.test', name: 'Nkechi Adeyemi', home: '/eqa', heading: /External quality assurance/ }
} as const;
export type RoleName = keyof typeof ACCOUNTS;

/**
 * Demo accounts that must use MFA (staff), enrolled with the demo key (src/lib/server/demo.ts), and
 * the page each lands on.
 */
export const STAFF_HOMES: Readonly<Record<string, string>> = {
	'assessor@custodian.test': '/assess',
	'tutor@custodian.test': '/author',
	'admin@custodian.test': '/admin',
	'lead@custodian.test': '/assess',
	'iqa@custodian.test': '/iqa',
	'eqa@custodian.test': '/eqa'
};

/**
 * Waits until the page has hydrated (the root layout marks <html data-hydrated>), so that what the
 * test types is not typed into a page that is about to be taken over by its scripts.
 */
export async function waitForHydration(page: Page) {
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** The log-in page, as a user meets it. */
export class LoginPage {
	constructor(readonly page: Page) {}
	async goto(path = '/login') {
		await this.page.goto(path);
		await waitForHydration(this.page);
	}
	async logIn(email: string, password: string) {
		await this.page.getByLabel('Email address').fill(email);
		await this.page.getByLabel('Password').fill(password);
		await this.page.getByRole('button', { name: 'Log in' }).click();
	}
}

/**
 * The second step of log-in, on the page it leads to: a code the server has not accepted yet for
 * this account (support/mfa.ts), entered while no other test enters one for the same account.
 */
export async function passMfaStep(page: Page, email: string) {
	await expect(page).toHaveURL(/\/account\/mfa\/verify/);
	await withLock(email, async () => {
		await page.getByLabel('Code').fill(await unusedCode(email));
		await page.getByRole('button', { name: 'Continue' }).click();
		await expect(page).not.toHaveURL(/\/account\/mfa\/verify/);
	});
}

/** Logs in through the form, with a code from the demo key when the account uses MFA. */
export async function logInThroughForm(page: Page, email: string, password = PASSWORD) {
	await new LoginPage(page).logIn(email, password);
	if (email in STAFF_HOMES) await passMfaStep(page, email);
}

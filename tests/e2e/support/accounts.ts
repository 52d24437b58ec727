import { expect, type Page } from '@playwright/test';

/** The demo accounts the server creates on an empty database (src/lib/server/demo.ts, README). */
export const PASSWORD = 'custodian-demo-2026';
export const ACCOUNTS = {
	learner: { email: 'learner@custodian.test', name: 'Amira Khan', home: '/learn', heading: /Welcome, Amira Khan/ },
	assessor: { email: 'assessor@custodian.test', name: 'Gareth Llewellyn', home: '/assess', heading: /Assessment/ },
	tutor: { email: 'tutor@custodian.test', name: 'Priya Raman', home: '/author', heading: /Authoring/ },
	admin: { email: 'admin@custodian.test', name: 'Morag Campbell', home: '/admin', heading: /Centre administration/ }
} as const;
export type RoleName = keyof typeof ACCOUNTS;

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

export async function logInAs(page: Page, role: RoleName) {
	const login = new LoginPage(page);
	await login.goto();
	await login.logIn(ACCOUNTS[role].email, PASSWORD);
	await expect(page).toHaveURL(ACCOUNTS[role].home);
}

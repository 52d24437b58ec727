import { expect, type Page } from '@playwright/test';
import { LoginPage, waitForHydration } from './accounts';
import { logInAsOwn, type OwnUser } from './fixtures';

/** A name and email no other run or test uses. */
export function uniquePerson(label: string) {
	const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	return { name: `${label} ${id}`, email: `${label.toLowerCase().replace(/\s+/g, '.')}.${id}@example.org` };
}

/** The admin's "Add a user" page: creates an account and returns its one-time password as shown. */
export async function createAccount(page: Page, person: { name: string; email: string }, roles: string[]): Promise<string> {
	await page.goto('/admin/users/new');
	await waitForHydration(page);
	await page.getByLabel('Full name').fill(person.name);
	await page.getByLabel('Email address').fill(person.email);
	for (const role of roles) await page.getByRole('checkbox', { name: new RegExp(`^${role}\\b`) }).check();
	await page.getByRole('button', { name: 'Create account' }).click();
	const shown = page.getByRole('status').locator('.password code');
	await expect(shown).toBeVisible();
	return (await shown.textContent())!.trim();
}

/** Creates accounts as `admin` on a page of its own, returning each one-time password. */
export async function createAccountsAsAdmin(page: Page, admin: OwnUser, people: { person: { name: string; email: string }; roles: string[] }[]): Promise<string[]> {
	await logInAsOwn(page, admin);
	const passwords: string[] = [];
	for (const { person, roles } of people) passwords.push(await createAccount(page, person, roles));
	return passwords;
}

/** The first log-in with a one-time password: the user must choose their own before anything else. */
export async function firstLogIn(page: Page, email: string, oneTimePassword: string, newPassword: string) {
	const login = new LoginPage(page);
	await login.goto();
	await login.logIn(email, oneTimePassword);
	await expect(page).toHaveURL(/\/account\/password/);
	await waitForHydration(page);
	await page.getByLabel('Current password').fill(oneTimePassword);
	await page.getByLabel('New password', { exact: true }).fill(newPassword);
	await page.getByLabel('New password again').fill(newPassword);
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page).not.toHaveURL(/\/account\/password/);
}

import type { Page } from '@playwright/test';
import { waitForHydration } from './support/accounts';
import { createAccount, uniquePerson } from './support/admin';
import { expectNoViolations } from './support/accessibility';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';

/** The admin's security log page, as an administrator uses it. */
class SecurityLogPage {
	constructor(readonly page: Page) {}
	async goto(query = '') {
		await this.page.goto(`/admin/security${query}`);
		await waitForHydration(this.page);
	}
	async filter(filters: { event?: string; person?: string; address?: string; from?: string; to?: string }) {
		if (filters.event !== undefined) await this.page.getByLabel('Event', { exact: true }).selectOption({ label: filters.event });
		if (filters.person !== undefined) await this.page.getByLabel('Person').fill(filters.person);
		if (filters.address !== undefined) await this.page.getByLabel('Address').fill(filters.address);
		if (filters.from !== undefined) await this.page.getByLabel('From').fill(filters.from);
		if (filters.to !== undefined) await this.page.getByLabel('To', { exact: true }).fill(filters.to);
		await this.page.getByRole('button', { name: 'Filter' }).click();
	}
	rows() {
		return this.page.getByRole('table').locator('tbody tr');
	}
}

/** The roles form of a user's page: ticks exactly these roles and saves. */
async function saveRoles(page: Page, roles: string[]) {
	for (const role of ['learner', 'assessor', 'tutor', 'admin']) {
		await page.getByRole('checkbox', { name: new RegExp(`^${role}\\b`) }).setChecked(roles.includes(role));
	}
	// The message stays from the save before: wait for this save and for the page's data to be
	// reloaded after it, so the next ticks are not undone by a reload still on its way.
	const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('?/roles'));
	const reloaded = page.waitForResponse((r) => r.url().includes('__data.json'));
	await page.getByRole('button', { name: 'Save roles' }).click();
	expect((await saved).status()).toBe(200);
	await reloaded;
	await expect(page.getByRole('status')).toContainText('The roles are saved');
}

const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

test('an admin finds the account they created and the roles they changed in the security log, through the filters', async ({ page, admin }) => {
	await logInAsOwn(page, admin);
	const person = uniquePerson('Logged Learner');
	await createAccount(page, person, ['learner']);
	await page.getByRole('link', { name: `See ${person.name}’s account` }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(person.name);
	await waitForHydration(page);
	await saveRoles(page, ['learner', 'tutor']);

	const log = new SecurityLogPage(page);
	await log.goto();
	await expectNoViolations(page);
	await log.filter({ person: person.email, event: 'Accounts and roles: all', from: today(), to: today() });
	await expect(page).toHaveURL(/event=accounts/);
	await expect(log.rows()).toHaveCount(2);
	const roles = log.rows().nth(0);
	await expect(roles.getByRole('rowheader')).toHaveText('Roles changed');
	await expect(roles).toContainText(person.name);
	await expect(roles).toContainText(admin.name);
	await expect(roles).toContainText('Roles learner → learner, tutor');
	await expect(roles).toContainText('/(guarded)/admin/users/[userId]');
	const created = log.rows().nth(1);
	await expect(created.getByRole('rowheader')).toHaveText('Account created');
	await expect(created).toContainText(admin.name);
	await expectNoViolations(page);

	// One kind of event, and the one-time password issued with the account.
	await log.filter({ event: 'Roles changed' });
	await expect(log.rows()).toHaveCount(1);
	await log.filter({ event: 'One-time password issued' });
	await expect(log.rows()).toHaveCount(1);
	await expect(log.rows().first()).not.toContainText(/[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/);

	// The person's link leads to their account.
	await log.filter({ event: 'Accounts and roles: all' });
	await log.rows().first().getByRole('link', { name: person.name }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(person.name);
});

test('a tutor’s downloads of a cohort’s results and of a scenario file are in the log, under their name', async ({ page, browser, admin, tutor: tutorAccount, cohort }) => {
	const tutor = await newPageAsOwn(browser, tutorAccount, '/author/results');
	await tutor.getByRole('table').getByRole('link', { name: cohort.name }).click();
	const csv = await tutor.request.get((await tutor.getByRole('link', { name: 'Download the results as CSV' }).getAttribute('href'))!);
	expect(csv.status()).toBe(200);
	await tutor.goto('/author/scenarios');
	await tutor.getByRole('table').locator('a[href^="/author/scenarios/"]').first().click();
	const yaml = await tutor.request.get((await tutor.locator('a[href*="/export?version="]').first().getAttribute('href'))!);
	expect(yaml.status()).toBe(200);
	await tutor.context().close();

	await logInAsOwn(page, admin);
	const log = new SecurityLogPage(page);
	await log.goto();
	await log.filter({ person: tutorAccount.email, event: 'Exports: all', from: today() });
	// The tutor is the test's own: these two downloads are all the log holds of theirs.
	await expect(log.rows()).toHaveCount(2);
	await expect(log.rows().filter({ hasText: 'Cohort results downloaded (CSV)' })).toContainText(tutorAccount.name);
	await expect(log.rows().filter({ hasText: 'Scenario file downloaded' })).toContainText(/Scenario id: \S+; version: \S+/);
	await expectNoViolations(page);
});

test('the log pages through a person’s events, older and newer, ten at a time', async ({ page, admin }) => {
	await logInAsOwn(page, admin);
	const person = uniquePerson('Paged Person');
	await createAccount(page, person, ['learner']);
	await page.getByRole('link', { name: `See ${person.name}’s account` }).click();
	await waitForHydration(page);
	for (let i = 0; i < 6; i++) {
		await saveRoles(page, ['learner', 'tutor']);
		await saveRoles(page, ['learner']);
	}

	const log = new SecurityLogPage(page);
	await log.goto(`?event=roles.changed&person=${encodeURIComponent(person.email)}&size=10`);
	await expect(log.rows()).toHaveCount(10);
	await expect(log.rows().first()).toContainText('Roles learner, tutor → learner');
	await expect(page.getByRole('link', { name: 'Newer events' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Older events' }).click();
	await expect(log.rows()).toHaveCount(2);
	await expect(log.rows().last()).toContainText('Roles learner → learner, tutor');
	await expect(page.getByRole('link', { name: 'Older events' })).toHaveCount(0);
	await expect(page.getByLabel('Person')).toHaveValue(person.email);
	await page.getByRole('link', { name: 'Newer events' }).click();
	await expect(log.rows()).toHaveCount(10);
	await expect(page.getByRole('link', { name: 'Older events' })).toBeVisible();
});

test('filters that cannot be used are explained next to their field, and a search that finds nothing says so', async ({ page, admin }) => {
	await logInAsOwn(page, admin);
	const log = new SecurityLogPage(page);
	await log.goto();
	await log.filter({ address: 'not an address', from: '2026-03-02', to: '2026-03-01' });
	await expect(page.locator('#address-error')).toHaveText(/Enter an IP address or its beginning/);
	await expect(page.locator('#to-error')).toHaveText('The last date must be on or after the first date.');
	await expect(page.getByLabel('Address')).toHaveValue('not an address');
	await expect(page.getByRole('table')).toHaveCount(0);
	await expectNoViolations(page);

	await log.goto(`?person=${uniquePerson('Nobody').email}`);
	await expect(page.getByRole('status')).toContainText('No event matches these filters.');
	await log.goto('?before=not-a-cursor');
	await expect(page.getByRole('alert')).toContainText('That page link is not valid');
});

test('the security log keeps events for the period set in the centre settings, whose field explains a wrong value', async ({ page }) => {
	// A centre of the test's own: its settings are saved, and no other test's centre changes.
	await logInAsOwn(page, await createOwnUser(['admin'], 'admin', { organisationId: await createOwnCentre() }));
	await page.goto('/admin/settings');
	await waitForHydration(page);
	const field = page.getByLabel('Keep security log events for (days)');
	const kept = await field.inputValue();
	await field.fill('7');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.locator('#securityLogRetentionDays-error')).toHaveText('Keep events from 30 to 3650 days (about ten years).');
	await expect(field).toHaveAttribute('aria-invalid', 'true');
	await expectNoViolations(page);
	await field.fill(kept);
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page).toHaveURL('/admin?saved=settings');
	await page.getByRole('link', { name: 'View the security log' }).click();
	await expect(page.getByRole('main')).toContainText(`Events are kept for ${kept} days`);
});

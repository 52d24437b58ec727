import { expect, type Locator, type Page } from '@playwright/test';
import { waitForHydration } from './accounts';

/**
 * The simulation screen (/learn/attempts/[attemptId]) as a learner meets it: the call on one side,
 * the organisation's record system on the other. Every helper acts through what is on the screen
 * (labels, buttons, links), so a test reads like someone working the desk.
 */
export class SimulationScreen {
	constructor(readonly page: Page) {}

	async goto(attemptId: string) {
		await this.page.goto(`/learn/attempts/${attemptId}`);
		await waitForHydration(this.page);
	}

	/** The transcript of the call. */
	transcript(): Locator {
		return this.page.getByRole('region', { name: 'Transcript' });
	}
	lines(): Locator {
		return this.transcript().getByRole('listitem');
	}
	/** The desk's one live region: in the page from the start, written to after each change. */
	announcer(): Locator {
		return this.page.locator('#desk-announcer');
	}
	/** The open section's heading, where focus goes when a section opens. */
	panelHeading(): Locator {
		return this.page.locator('#panel-heading');
	}
	clock(): Locator {
		return this.page.locator('.sim-header time');
	}

	/** The learner's replies at this point of the call. */
	replies(): Locator {
		return this.page.getByRole('group', { name: /^(Your reply|Or say)$/ });
	}
	reply(words: string | RegExp): Locator {
		return this.replies().getByRole('button', { name: words });
	}
	/** Says a reply and waits for the other side to answer (or the call to end). */
	async say(words: string | RegExp) {
		const before = await this.lines().count();
		await this.reply(words).click();
		await expect(this.lines()).not.toHaveCount(before);
	}

	section(name: string): Locator {
		return this.page.getByRole('navigation', { name: 'Record system sections' }).getByRole('link', { name: new RegExp(`^${name}`) });
	}
	async open(name: string) {
		await this.section(name).click();
		await expect(this.section(name)).toHaveAttribute('aria-current', 'page');
	}
	/** A form of the record system, by what it does (its button or fold title). */
	form(name: string | RegExp): Locator {
		return this.page.getByRole('form', { name });
	}
	/** Unfolds a task of the open section ("Correct a detail") and returns its form. */
	async task(title: string): Promise<Locator> {
		const fold = this.page.locator('details.task', { has: this.page.locator('summary', { hasText: title }) });
		if ((await fold.getAttribute('open')) === null) await fold.locator('summary').click();
		return this.form(title);
	}
	/** What the system said about the form's last action. */
	outcome(form: Locator): Locator {
		return form.getByRole('status');
	}

	async search(criteria: { name?: string; postcode?: string; purpose?: string }) {
		await this.open('Search');
		const form = this.form('Search');
		if (criteria.name) await form.getByLabel('Name').fill(criteria.name);
		if (criteria.postcode) await form.getByLabel('Postcode').fill(criteria.postcode);
		if (criteria.purpose) await form.getByLabel('Why are you searching?').selectOption({ label: criteria.purpose });
		await form.getByRole('button', { name: 'Search' }).click();
		await expect(this.outcome(form)).toContainText('found');
	}
	async view(reference: string, purpose: string) {
		const form = this.form(`View ${reference}`);
		await form.getByLabel('Purpose for opening it').selectOption({ label: purpose });
		await form.getByRole('button', { name: 'View record' }).click();
		// With scripts, the record opens in the Customer record section, and the live region says what was shown.
		await expect(this.section('Customer record')).toHaveAttribute('aria-current', 'page');
		await expect(this.page.getByRole('heading', { name: 'Customer record' })).toBeFocused();
		await expect(this.announcer()).toContainText('fields shown');
	}
	async checkAuthority(ask: { person: string; about: string[]; act: string }) {
		await this.open('Identity & authority');
		const form = await this.task('Check a third party’s authority');
		await form.getByLabel('Who the person says they are').selectOption({ label: ask.person });
		for (const category of ask.about) await form.getByRole('checkbox', { name: category }).check();
		await form.getByLabel('What they want to do').selectOption({ label: ask.act });
		await form.getByRole('button', { name: 'Check the authority' }).click();
		await expect(this.outcome(form)).toBeVisible();
	}
	async logContact(contact: { customer?: RegExp; who: string; about: string; notes?: string }) {
		await this.open('Log contact');
		const form = this.form('Log the contact');
		if (contact.customer) {
			const option = await form.getByLabel('Customer record').locator('option', { hasText: contact.customer }).getAttribute('value');
			await form.getByLabel('Customer record').selectOption(option!);
		}
		await form.getByLabel('Who you dealt with').selectOption({ label: contact.who });
		await form.getByLabel('What it was about').fill(contact.about);
		if (contact.notes) await form.getByLabel('Notes').fill(contact.notes);
		await form.getByRole('button', { name: 'Log the contact' }).click();
		await expect(this.outcome(form)).toContainText('logged');
	}

	/** Ends the attempt (it asks first) and lands on the debrief. */
	async end() {
		const end = this.page.locator('.sim-header details.end-attempt');
		await end.locator('summary').click();
		await end.getByRole('button', { name: 'Yes, end and see my debrief' }).click();
		await expect(this.page).toHaveURL(/\/debrief$/);
	}
}

/** Presses Tab until `target` has focus, as a keyboard user would; fails if it never does. */
export async function tabTo(page: Page, target: Locator, limit = 400) {
	for (let i = 0; i < limit; i++) {
		if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab never reached ${target.toString()}`);
}

/** Tabs to a select and chooses an option by typing the start of it, as a keyboard user does. */
export async function typeToSelect(page: Page, select: Locator, label: string, typed = label) {
	await tabTo(page, select);
	await page.keyboard.type(typed, { delay: 20 });
	await expect(select.locator('option:checked')).toHaveText(label);
}

import type { Locator, Page } from '@playwright/test';
import { waitForHydration } from './support/accounts';
import { addressHeaders, expect, logInAsOwn, test } from './support/fixtures';
import { SimulationScreen, tabTo, typeToSelect } from './support/simulation';

/**
 * Issue 16: the simulation desk never loses your place. On a 390 px phone, after the skip link (a
 * fragment in the address), the model answer is played by keyboard alone; after every step focus is on
 * what changed and the live region that was in the page from the start says what it is.
 */

const SUPPLY = 'Energy supply and billing';
const DANIEL = 'NWE-2048817';

const focused = (page: Page) =>
	page.evaluate(() => {
		const el = document.activeElement;
		return el ? { tag: el.tagName.toLowerCase(), id: el.id, text: (el as HTMLElement).innerText?.replace(/\s+/g, ' ').trim() ?? '' } : null;
	});

test('at 390 px, after the skip link, the model answer is played by keyboard alone and focus and the live region follow each change', async ({ page, learner, cohort }) => {
	// A whole call, step by step, by keyboard: longer than one page's test.
	test.setTimeout(180_000);
	expect(cohort.assignments['spouse-caller']).toBeTruthy();
	await page.setViewportSize({ width: 390, height: 844 });
	await logInAsOwn(page, learner);
	const key = (k: string) => page.keyboard.press(k);

	// The brief, started from the keyboard.
	await page.goto('/learn/scenarios/spouse-caller');
	await waitForHydration(page);
	const start = page.getByRole('button', { name: /^(Start|Start a new attempt)$/ });
	await tabTo(page, start);
	await key('Enter');
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
	await waitForHydration(page);
	const sim = new SimulationScreen(page);
	const live = sim.announcer();

	// The live region is in the page from the start, polite and empty.
	await expect(live).toHaveAttribute('aria-live', 'polite');
	await expect(live).toHaveText('');

	// The skip link first: the address now has a fragment.
	const skip = page.getByRole('link', { name: 'Skip to main content' });
	await tabTo(page, skip);
	await key('Enter');
	await expect(page).toHaveURL(/#main$/);
	await expect(page.locator('main')).toBeFocused();

	/** Says a reply; focus goes to what the other side said, which the live region reads out. */
	const say = async (words: RegExp, heard?: string) => {
		const before = await sim.lines().count();
		await tabTo(page, sim.reply(words));
		await key('Enter');
		await expect(sim.lines()).not.toHaveCount(before);
		const answer = sim.transcript().locator('li.persona, li.narration').last();
		if (heard) await expect(answer).toContainText(heard);
		await expect(answer).toBeFocused();
		expect((await focused(page))?.tag).toBe('li');
		await expect(live).toContainText((await answer.locator('.words').innerText()).trim());
	};
	/** Opens a section of the record system from its tab: no page load, no jump to the top. */
	const openSection = async (tab: string, heading: string) => {
		const link = sim.section(tab);
		await tabTo(page, link);
		const marker = await page.evaluate(() => ((window as unknown as { deskMarker?: number }).deskMarker = Math.random()));
		await key('Enter');
		await expect(link).toHaveAttribute('aria-current', 'page');
		await expect(sim.panelHeading()).toHaveText(heading);
		await expect(sim.panelHeading()).toBeFocused();
		await expect(live).toHaveText(`${heading}.`);
		// The same document (no page load), and the page did not jump to the top.
		expect(await page.evaluate(() => (window as unknown as { deskMarker?: number }).deskMarker)).toBe(marker);
		expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
		await expect(sim.panelHeading()).toBeInViewport();
	};
	const expectFocusOn = async (target: Locator) => {
		await expect(target).toBeFocused();
	};

	// Search, from the keyboard: focus goes to the result, which is announced; what was typed stays.
	const search = sim.form('Search');
	await tabTo(page, search.getByLabel('Name'));
	await page.keyboard.type('Hughes');
	await tabTo(page, search.getByLabel('Postcode'));
	await page.keyboard.type('NN15 7QA');
	await typeToSelect(page, search.getByLabel('Why are you searching?'), SUPPLY);
	await tabTo(page, search.getByRole('button', { name: 'Search' }));
	await key('Enter');
	await expectFocusOn(sim.outcome(search));
	await expect(live).toContainText('1 found');
	await expect(search.getByLabel('Name')).toHaveValue('Hughes');
	await expect(search.getByLabel('Postcode')).toHaveValue('NN15 7QA');
	await expect(search.getByLabel('Why are you searching?').locator('option:checked')).toHaveText(SUPPLY);

	// A reply with the fragment still in the address: focus is on the caller's answer, not on <main>.
	await expect(page).toHaveURL(/#main$/);
	await say(/Bear with me a moment/, "No problem, I'll hang on.");

	// View record opens the Customer record section on that record; focus on its heading.
	const view = sim.form(`View ${DANIEL}`);
	await typeToSelect(page, view.getByLabel('Purpose for opening it'), SUPPLY);
	await tabTo(page, view.getByRole('button', { name: 'View record' }));
	await key('Space');
	await expect(sim.section('Customer record')).toHaveAttribute('aria-current', 'page');
	await expectFocusOn(sim.panelHeading());
	await expect(sim.panelHeading()).toHaveText('Customer record');
	await expect(live).toContainText('fields shown');
	await expect(live).toContainText('Customer record.');
	await expect(page.locator('.system .panel-body')).toContainText(DANIEL);
	expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);

	// The authority check: focus on the outcome; the caller's line that follows is announced too.
	await openSection('Identity & authority', 'Identity and authority');
	const check = sim.form('Check a third party’s authority');
	await typeToSelect(page, check.getByLabel('Who the person says they are'), 'Someone not listed on the account');
	await tabTo(page, check.getByRole('checkbox', { name: 'Financial' }));
	await key('Space');
	await typeToSelect(page, check.getByLabel('What they want to do'), 'Receive information');
	await tabTo(page, check.getByRole('button', { name: 'Check the authority' }));
	await key('Enter');
	await expectFocusOn(sim.outcome(check));
	await expect(live).toContainText('Are you still there?');
	await expect(sim.lines().last()).toContainText('Are you still there?');

	// The 390 px jump link to the call puts another fragment in the address; replies still land on the new line.
	const jump = page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'The call' });
	await tabTo(page, jump);
	await key('Enter');
	await expect(page).toHaveURL(/#conversation-heading$/);

	await say(/nobody apart from Mr Hughes himself is authorised/);
	await say(/I do understand, and I'm sorry it's frustrating/);
	await say(/Daniel can call us on 0306 999 0412/);
	await say(/can't change the address on your say-so/);
	await say(/Does that all make sense/);
	// The last reply: the end of the call is announced with the caller's goodbye.
	await say(/Have a good weekend/);
	await expect(live).toContainText('The call has ended.');
	await expect(page.getByText('The call has ended.').first()).toBeVisible();

	// The whole conversation is in the page: no box clips it on a phone.
	const clipped = await sim.transcript().evaluate((el) => el.scrollHeight - el.clientHeight);
	expect(clipped).toBeLessThanOrEqual(1);

	// Log the contact; sent empty first, focus goes to the first field with a problem and the problem is announced.
	await openSection('Log contact', 'Log the contact');
	const log = sim.form('Log the contact');
	await tabTo(page, log.getByRole('button', { name: 'Log the contact' }));
	await key('Enter');
	await expectFocusOn(log.locator('[aria-invalid="true"]').first());
	await expect(live).toContainText(/There (is a problem|are problems)/);
	await typeToSelect(page, log.getByLabel('Customer record'), `${DANIEL} · Daniel Hughes`, 'NWE');
	await typeToSelect(page, log.getByLabel('Who you dealt with'), 'Third party with no authority');
	await tabTo(page, log.getByLabel('What it was about'));
	await page.keyboard.type('Balance enquiry and change of address');
	await tabTo(page, log.getByRole('button', { name: 'Log the contact' }));
	await key('Enter');
	await expectFocusOn(sim.outcome(log));
	await expect(live).toContainText('logged');

	// End the attempt, by keyboard.
	const end = page.locator('.sim-header details.end-attempt');
	await tabTo(page, end.locator('summary'));
	await key('Enter');
	await tabTo(page, end.getByRole('button', { name: 'Yes, end and see my debrief' }));
	await key('Enter');
	await expect(page).toHaveURL(/\/debrief$/);
	await expect(page.getByRole('heading', { level: 2, name: 'Passed' })).toBeVisible();
});

test('on a wide screen the conversation scrolls as a named region a keyboard reaches, with its newest line in view', async ({ page, learner }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	await logInAsOwn(page, learner);
	await page.goto('/learn/scenarios/spouse-caller');
	await waitForHydration(page);
	await page.getByRole('button', { name: /^(Start|Start a new attempt)$/ }).click();
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
	await waitForHydration(page);
	const sim = new SimulationScreen(page);
	await sim.say(/Bear with me a moment/);
	const transcript = sim.transcript();
	await expect(transcript).toHaveAttribute('tabindex', '0');
	await tabTo(page, transcript);
	await expect(transcript).toBeFocused();
	await expect(sim.lines().last()).toBeInViewport();
});

test('without JavaScript the record system’s sections are ordinary links', async ({ browser, learner }) => {
	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders(), javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Email address').fill(learner.email);
	await page.getByLabel('Password').fill(learner.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL('/learn');
	await page.goto('/learn/scenarios/spouse-caller');
	await page.getByRole('button', { name: /^(Start|Start a new attempt)$/ }).click();
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
	const sim = new SimulationScreen(page);
	await sim.section('Identity & authority').click();
	await expect(page).toHaveURL(/\?panel=identity$/);
	await expect(sim.section('Identity & authority')).toHaveAttribute('aria-current', 'page');
	await expect(sim.panelHeading()).toHaveText('Identity and authority');
	// Back on Search, a search is a plain post that comes back to the same section.
	await sim.section('Search').click();
	await sim.form('Search').getByLabel('Name').fill('Hughes');
	await sim.form('Search').getByRole('button', { name: 'Search' }).click();
	await expect(sim.outcome(sim.form('Search'))).toContainText('1 found');
	await context.close();
});

import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { addressHeaders, expect, logInAsOwn, test } from './support/fixtures';
import { DebriefPage, ScenarioBrief, expectEveryFailGivesItsReason } from './support/learner';
import { SimulationScreen, tabTo, typeToSelect } from './support/simulation';

const SUPPLY = 'Energy supply and billing';
const DANIEL = 'NWE-2048817';

/** A fresh attempt at the spouse-caller scenario, started from its brief; the page is then the simulation screen. */
async function startSpouseCaller(page: Page): Promise<SimulationScreen> {
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	await waitForHydration(page);
	await brief.start();
	await waitForHydration(page);
	return new SimulationScreen(page);
}

/** Finds Mr Hughes's account and opens it for billing, as the model answer does. */
async function findAndOpenDaniel(sim: SimulationScreen) {
	await sim.search({ name: 'Hughes', postcode: 'NN15 7QA', purpose: SUPPLY });
	await sim.view(DANIEL, SUPPLY);
}

const checkForHerAuthority = { person: 'Someone not listed on the account', about: ['Financial'], act: 'Receive information' };

// Each test is a learner of its own, whose attempts no other test sees.
test.beforeEach(async ({ page, learner }) => {
	await logInAsOwn(page, learner);
});

test('the model answer, played on the screen, meets every marking point', async ({ page }) => {
	// A whole call, step by step: longer than one page's test.
	test.setTimeout(120_000);
	const sim = await startSpouseCaller(page);
	await expect(sim.clock()).toHaveText('Fri 7 Mar 2025, 15:40');
	await expect(sim.lines().first()).toContainText('Sarah Hughes');

	await findAndOpenDaniel(sim);
	await sim.say(/Bear with me a moment/);
	await expect(page.getByText('Sarah Hughes is waiting while you work in the system')).toBeVisible();
	// The waiting line never names what to do in the system.
	await expect(page.getByRole('status').filter({ hasText: 'is waiting' })).not.toContainText(/authority|check/i);

	await sim.open('Customer record');
	await expect(page.getByRole('table').filter({ hasText: 'Financial' })).toContainText('Balance');
	// What a UK agent reads, not the stored canonical forms (182.40, 1979-04-18, +447700900318).
	await expect(page.getByRole('table', { name: 'Financial' })).toContainText('£182.40 in credit');
	await expect(page.getByRole('table', { name: 'Identity' })).toContainText('18 April 1979');
	await expect(page.getByRole('table', { name: 'Contact' })).toContainText('07700 900318');
	await sim.checkAuthority(checkForHerAuthority);
	await expect(sim.transcript()).toContainText('no such authority on file');
	await expect(sim.lines().last()).toContainText('Are you still there?');

	await sim.say(/nobody apart from Mr Hughes himself is authorised/);
	await sim.say(/I do understand, and I'm sorry it's frustrating/);
	await sim.say(/Daniel can call us on 0306 999 0412/);
	await sim.say(/can't change the address on your say-so/);
	await sim.say(/Does that all make sense/);
	await sim.say(/Have a good weekend/);
	await expect(page.getByText('The call has ended.', { exact: true })).toBeVisible();
	await expect(page.getByText('Finish your work in the system, then end the attempt.')).toBeVisible();
	await expect(sim.replies()).toHaveCount(0);

	await sim.logContact({ customer: new RegExp(DANIEL), who: 'Third party with no authority', about: 'Balance enquiry and change of address', notes: 'Wife called; not authorised. Told how Mr Hughes can add her.' });
	await sim.end();

	await expect(page.getByRole('heading', { level: 2, name: 'Passed' })).toBeVisible();
	await expect(page.getByText('28 of 28 marks')).toBeVisible();
	const points = page.getByRole('article');
	await expect(points).toHaveCount(11);
	for (const point of await points.all()) await expect(point).not.toContainText('Not met');
});

test('a colleague on the internal chat is a chat on the screen: no call, no line, no caller', async ({ page }) => {
	const brief = new ScenarioBrief(page);
	await brief.goto('colleague-requests');
	await waitForHydration(page);
	await brief.start();
	await waitForHydration(page);
	await expect(page.getByRole('heading', { level: 2, name: 'The chat' })).toBeVisible();
	await expect(page.getByText('In the chat: Amira Haddad')).toBeVisible();
	// The jump links show on a phone only (hidden here, so found by their element).
	await expect(page.locator('nav.jump a[href="#conversation-heading"]')).toHaveText('The chat');
	await expect(page.getByRole('region', { name: 'The chat' })).not.toContainText(/\bcall\b|\bcaller\b|on the line/i);
});

test('disclosing the balance is a critical miss, with its feedback, and the breach it caused is in the register', async ({ page }) => {
	// A whole call, step by step: longer than one page's test.
	test.setTimeout(120_000);
	const sim = await startSpouseCaller(page);
	await sim.say(/Bear with me a moment/);
	await findAndOpenDaniel(sim);
	await sim.checkAuthority(checkForHerAuthority);
	await sim.say(/The account's £182.40 in credit at the moment/);
	await expect(sim.transcript()).toContainText('Right, in credit, good.');

	// The core judged the disclosure unauthorised and opened a breach, with its 72-hour report-by time.
	await sim.open('Breaches');
	const register = page.getByRole('list', { name: 'Breach register' });
	await expect(register.getByRole('listitem')).toHaveCount(1);
	const breach = register.getByRole('listitem').first();
	await expect(breach).toContainText('Opened by the system: unauthorised disclosure');
	await expect(breach).toContainText('Report to the ICO by');
	await expect(breach).toContainText('Mon 10 Mar 2025, 15:4');
	await expect(sim.section('Breaches')).toContainText('1');

	await sim.say(/I shouldn't go any further/);
	await sim.say(/Daniel can call us/);
	await sim.say(/can't change the address on your say-so/);
	await sim.say(/Bye now/);
	await sim.end();

	// The verdict leads, with its reason and both checks side by side: the critical point failed it, whatever the score.
	const debrief = new DebriefPage(page);
	await expect(page.getByRole('heading', { level: 2, name: 'Not passed — 1 critical error' })).toBeVisible();
	await expect(debrief.verdict()).toContainText('UK GDPR Art 5(1)(f): integrity and confidentiality; DPA 2018 s170: You told Mrs Hughes about her husband\'s account.');
	await expect(debrief.checks()).toHaveText([/Critical points: 1 missed ✗/, /Score [\d.]+ % \(pass mark 80 %\) [✓✗]/]);
	await expectEveryFailGivesItsReason(page);

	// The critical-error card first, headed with what went wrong (never the point's praise), then the
	// moment it happened, what happened, the rule by name and what to do instead.
	const miss = page.getByRole('article').first();
	await expect(miss.getByRole('heading', { level: 3 })).toHaveText('UK GDPR Art 5(1)(f): integrity and confidentiality; DPA 2018 s170: You told Mrs Hughes about her husband\'s account.');
	await expect(miss).toContainText('Critical error');
	await expect(miss).not.toContainText('Gave the caller no information about the account.');
	await expect(miss.getByRole('definition').nth(0)).toContainText(/15:\d\d\s*You:\s*“Thanks for holding\. The account's £182\.40 in credit at the moment\.”/);
	await expect(miss.getByRole('definition').nth(1)).toContainText('now in the breach register');
	await expect(miss.getByRole('definition').nth(2)).toHaveText('UK GDPR Art 5(1)(f): integrity and confidentiality; DPA 2018 s170');
	await expect(miss.getByRole('definition').nth(3)).toContainText('Check the account for a recorded authority.');

	// Then the timeline of choices: the disclosure tagged as a critical error, with the scenario's comment.
	const said = debrief.choices().getByRole('listitem').filter({ hasText: '£182.40 in credit at the moment' });
	await expect(said).toContainText('Critical error');
	await expect(said).toContainText('The file shows no authority, and the balance goes to her anyway.');
	// (The failed debrief's accessibility scan is in learner.spec.ts: this journey is long enough.)

	// The ended attempt's screen is a record of it: the call and the register as they were, nothing more to do.
	await page.goBack();
	await page.reload();
	await expect(page.getByText('This attempt has ended.').first()).toBeVisible();
	await expect(sim.replies()).toHaveCount(0);
	await expect(page.getByRole('form')).toHaveCount(0);
	await expect(page.getByRole('list', { name: 'Breach register' }).getByRole('listitem')).toHaveCount(1);
	await expectNoViolations(page);
});

test('an attempt survives a reload, and a form sent again is not applied twice', async ({ page }) => {
	const sim = await startSpouseCaller(page);
	const id = new URL(page.url()).pathname.split('/').at(-1)!;
	await findAndOpenDaniel(sim);
	await sim.say(/Bear with me a moment/);
	const lines = await sim.lines().allInnerTexts();
	const clock = await sim.clock().innerText();

	await page.reload();
	await waitForHydration(page);
	expect(await sim.lines().allInnerTexts()).toEqual(lines);
	await expect(sim.clock()).toHaveText(clock);
	await sim.open('Customer record');
	await expect(page.getByRole('paragraph').filter({ hasText: `${DANIEL} · Daniel Hughes` })).toBeVisible();

	// The reply and the search, sent again exactly as their forms sent them (a resubmitted reload, a double click).
	const origin = new URL(page.url()).origin;
	const again = await page.request.post(`/learn/attempts/${id}?/choose`, {
		form: { choiceId: 'bring-up-account', expectedActionSeq: '3' },
		headers: { origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	expect(await again.json()).toMatchObject({ type: 'success' });
	const search = await page.request.post(`/learn/attempts/${id}?/op`, {
		form: { formId: 'search', operation: 'searchCustomers', expectedActionSeq: '1', name: 'Hughes', postcode: 'NN15 7QA', purposeCode: 'supply-and-billing' },
		headers: { origin, accept: 'application/json', 'x-sveltekit-action': 'true' }
	});
	const searched = (await search.json()) as { type: string; data: string };
	expect(searched.type).toBe('success');
	expect(searched.data).toMatch(/"replayed":\d+\}.*,true\]$/);

	await page.reload();
	await waitForHydration(page);
	expect(await sim.lines().allInnerTexts()).toEqual(lines);
	await expect(sim.clock()).toHaveText(clock);
});

test('a second tab that fell behind shows where the attempt is now, and applies nothing', async ({ page, context }) => {
	const sim = await startSpouseCaller(page);
	const other = await context.newPage();
	const behind = new SimulationScreen(other);
	await behind.goto(new URL(page.url()).pathname.split('/').at(-1)!);

	await sim.say(/Bear with me a moment/);
	await behind.reply(/I can only discuss an account with the account holder/).click();
	await expect(other.locator('#desk-notice')).toHaveText('This attempt moved on in another tab: here is where it is now.');
	await expect(behind.transcript()).toContainText('Bear with me a moment');
	await expect(behind.transcript()).not.toContainText('I can only discuss an account with the account holder');
	await expect(behind.lines()).toHaveCount(3);
	await other.close();
});

test('a core validation error is shown next to its field, and what was typed is kept', async ({ page }) => {
	const sim = await startSpouseCaller(page);
	await sim.open('New customer');
	const form = sim.form('New customer');
	await form.getByRole('checkbox', { name: SUPPLY }).check();
	await form.getByLabel('Given name').fill('Priya');
	await form.getByLabel('Family name').fill('Shah');
	await form.getByLabel('Postcode').fill('NOT A POSTCODE');
	await form.getByLabel('Address line 1').fill('27 Mill Lane');
	await form.getByRole('button', { name: 'Record the customer' }).click();

	// Focus goes to the first field with a problem; the list of problems, read out through the live region, links to each field, where the core's message is shown again.
	const problems = form.getByRole('alert');
	await expect(form.locator('[aria-invalid="true"]').first()).toBeFocused();
	await expect(sim.announcer()).toContainText('Enter a real UK postcode, like SW1A 1AA');
	await expect(problems).toContainText('Enter a real UK postcode, like SW1A 1AA');
	const postcode = form.getByLabel('Postcode');
	await expect(postcode).toHaveAttribute('aria-invalid', 'true');
	const describedBy = (await postcode.getAttribute('aria-describedby'))!;
	await expect(page.locator(`[id="${describedBy}"]`)).toHaveText('Enter a real UK postcode, like SW1A 1AA');
	await problems.getByRole('link', { name: 'Enter a real UK postcode, like SW1A 1AA' }).click();
	await expect(postcode).toBeFocused();
	// Every problem the core found is beside its own field.
	await expect(form.getByLabel('Town')).toHaveAttribute('aria-invalid', 'true');
	await expect(postcode).toHaveValue('NOT A POSTCODE');
	await expect(form.getByLabel('Given name')).toHaveValue('Priya');
	await expect(form.getByLabel('Address line 1')).toHaveValue('27 Mill Lane');
	await expect(form.getByRole('checkbox', { name: SUPPLY })).toBeChecked();
	await expectNoViolations(page);

	// The refusal is in the record of what the learner did, like any other action.
	await expect(sim.transcript()).toContainText('Record a new customer');
});

test('the forms work without JavaScript, and a reloaded post is not applied twice', async ({ browser, learner }) => {
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

	const search = sim.form('Search');
	await search.getByLabel('Name').fill('Hughes');
	await search.getByRole('button', { name: 'Search' }).click();
	await expect(sim.outcome(sim.form('Search'))).toContainText('1 found');
	await sim.form(`View ${DANIEL}`).getByRole('button', { name: 'View record' }).click();
	// A missing purpose is the core's error, beside the field; the panel stays where it was.
	const purpose = sim.form(`View ${DANIEL}`).getByLabel('Purpose for opening it');
	await expect(purpose).toHaveAttribute('aria-invalid', 'true');
	await expect(sim.form(`View ${DANIEL}`)).toContainText('Choose the purpose you are opening the record for');

	await sim.reply(/Bear with me a moment/).click();
	await expect(sim.lines().last()).toContainText("No problem, I'll hang on.");
	const lines = await sim.lines().count();
	// The browser sends the same post again on reload: the runtime answers with what it did the first time.
	await page.reload();
	await expect(page.getByText('You sent that reply twice')).toBeVisible();
	await expect(sim.lines()).toHaveCount(lines);
	await context.close();
});

test('a whole call can be played with the keyboard alone', async ({ page }) => {
	// A whole call, step by step: longer than one page's test.
	test.setTimeout(120_000);
	const sim = await startSpouseCaller(page);
	const key = (k: string) => page.keyboard.press(k);
	const say = async (words: RegExp) => {
		const before = await sim.lines().count();
		await tabTo(page, sim.reply(words));
		await key('Enter');
		await expect(sim.lines()).not.toHaveCount(before);
	};

	// Search, from the keyboard.
	const search = sim.form('Search');
	await tabTo(page, search.getByLabel('Name'));
	await page.keyboard.type('Hughes');
	await tabTo(page, search.getByLabel('Postcode'));
	await page.keyboard.type('NN15 7QA');
	await typeToSelect(page, search.getByLabel('Why are you searching?'), SUPPLY);
	await tabTo(page, search.getByRole('button', { name: 'Search' }));
	await key('Enter');
	await expect(sim.outcome(search)).toBeFocused();

	await say(/Bear with me a moment/);
	// After a reply, focus is on what the caller said.
	await expect(sim.lines().last()).toBeFocused();

	const view = sim.form(`View ${DANIEL}`);
	await typeToSelect(page, view.getByLabel('Purpose for opening it'), SUPPLY);
	await tabTo(page, view.getByRole('button', { name: 'View record' }));
	await key('Space');
	// The record opens in its own section, and focus goes to its heading.
	await expect(sim.section('Customer record')).toHaveAttribute('aria-current', 'page');
	await expect(sim.panelHeading()).toBeFocused();
	await expect(sim.announcer()).toContainText('fields shown');

	await tabTo(page, sim.section('Identity & authority'));
	await key('Enter');
	const check = sim.form('Check a third party’s authority');
	await typeToSelect(page, check.getByLabel('Who the person says they are'), 'Someone not listed on the account');
	await tabTo(page, check.getByRole('checkbox', { name: 'Financial' }));
	await key('Space');
	await typeToSelect(page, check.getByLabel('What they want to do'), 'Receive information');
	await tabTo(page, check.getByRole('button', { name: 'Check the authority' }));
	await key('Enter');
	await expect(sim.outcome(check)).toBeFocused();
	await expect(sim.lines().last()).toContainText('Are you still there?');

	await say(/nobody apart from Mr Hughes himself is authorised/);
	await say(/I do understand, and I'm sorry it's frustrating/);
	await say(/Daniel can call us on 0306 999 0412/);
	await say(/can't change the address on your say-so/);
	await say(/Does that all make sense/);
	await say(/Have a good weekend/);
	await expect(page.getByText('The call has ended.', { exact: true })).toBeVisible();

	await tabTo(page, sim.section('Log contact'));
	await key('Enter');
	const log = sim.form('Log the contact');
	await typeToSelect(page, log.getByLabel('Customer record'), `${DANIEL} · Daniel Hughes`, 'NWE');
	await typeToSelect(page, log.getByLabel('Who you dealt with'), 'Third party with no authority');
	await tabTo(page, log.getByLabel('What it was about'));
	await page.keyboard.type('Balance enquiry and change of address');
	await tabTo(page, log.getByRole('button', { name: 'Log the contact' }));
	await key('Enter');
	await expect(sim.outcome(log)).toBeFocused();

	const end = page.locator('.sim-header details.end-attempt');
	await tabTo(page, end.locator('summary'));
	await key('Enter');
	await tabTo(page, end.getByRole('button', { name: 'Yes, end and see my debrief' }));
	await key('Enter');
	await expect(page).toHaveURL(/\/debrief$/);
	await expect(page.getByRole('heading', { level: 2, name: 'Passed' })).toBeVisible();
});

test('the simulation screen has no WCAG 2.2 A/AA violations in its main states', async ({ page }) => {
	// A whole call, step by step: longer than one page's test.
	test.setTimeout(120_000);
	const sim = await startSpouseCaller(page);
	await expectNoViolations(page);
	await page.locator('.sim-header summary', { hasText: 'Your brief' }).click();
	await expectNoViolations(page);

	await findAndOpenDaniel(sim);
	await expectNoViolations(page);
	await sim.open('Customer record');
	await page.getByRole('link', { name: 'History of balance' }).click();
	await expect(page.getByRole('heading', { name: 'History of balance' })).toBeFocused();
	await expectNoViolations(page);
	await sim.task('Correct a detail');
	await expectNoViolations(page);

	await sim.say(/Bear with me a moment/);
	await sim.checkAuthority(checkForHerAuthority);
	await sim.task('Verify identity');
	await expectNoViolations(page);

	await sim.say(/The account's £182.40 in credit at the moment/);
	for (const section of ['Disclose', 'Log contact', 'New customer', 'Rights requests', 'Consent', 'Breaches']) {
		await sim.open(section);
		await expectNoViolations(page);
	}
	await sim.open('Log contact');
	await sim.form('Log the contact').getByRole('button', { name: 'Log the contact' }).click();
	await expect(sim.form('Log the contact').locator('.field-error', { hasText: 'Choose who you dealt with' })).toBeVisible();
	await expectNoViolations(page);

	await sim.say(/I shouldn't go any further/);
	await sim.say(/Daniel can call us/);
	await sim.say(/can't change the address on your say-so/);
	await sim.say(/Bye now/);
	await expect(page.getByText('The call has ended.', { exact: true })).toBeVisible();
	await expectNoViolations(page);
});

test('on a 390 px phone the screen fits its width and the call comes first', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	const sim = await startSpouseCaller(page);
	await findAndOpenDaniel(sim);
	await sim.open('Customer record');
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	const call = await page.getByRole('heading', { name: 'The call' }).boundingBox();
	const system = await page.getByRole('heading', { name: 'Record system' }).boundingBox();
	expect(call!.y).toBeLessThan(system!.y);
	await expectNoViolations(page);
});

test('an attempt that is not the learner’s is not found, and bad posts get a clear answer, never a server error', async ({ page }) => {
	const madeUp = '00000000-0000-4000-8000-000000000000';
	expect((await page.goto(`/learn/attempts/${madeUp}`))?.status()).toBe(404);
	const origin = new URL(page.url()).origin;
	const json = { origin, accept: 'application/json', 'x-sveltekit-action': 'true' };
	for (const action of ['choose', 'op', 'end']) {
		const response = await page.request.post(`/learn/attempts/${madeUp}?/${action}`, { form: { expectedActionSeq: '1', choiceId: 'opening', formId: 'search', operation: 'searchCustomers', name: 'x' }, headers: json });
		expect(response.status(), action).toBe(404);
	}

	const sim = await startSpouseCaller(page);
	const id = new URL(page.url()).pathname.split('/').at(-1)!;
	const post = (action: string, form: Record<string, string>) => page.request.post(`/learn/attempts/${id}?/${action}`, { form, headers: json });
	const cases: [string, Record<string, string>, string][] = [
		['choose', {}, 'This form is out of date'],
		['choose', { expectedActionSeq: '1' }, 'Choose one of the replies'],
		['choose', { expectedActionSeq: '1', choiceId: 'give-balance' }, 'is not one of the choices'],
		['op', {}, 'does not know this form'],
		['op', { formId: 'search', operation: 'disclose', expectedActionSeq: '1' }, 'does not know this form'],
		['op', { formId: 'breach', operation: 'registerBreach', expectedActionSeq: '1', approxSubjects: 'many', awareAt: 'yesterday' }, 'Enter a whole number'],
		['op', { formId: 'search', operation: 'searchCustomers', expectedActionSeq: '1', name: 'x'.repeat(20_000) }, 'This is too long'],
		['op', { formId: 'search', operation: 'searchCustomers', expectedActionSeq: 'one' }, 'This form is out of date']
	];
	for (const [action, form, message] of cases) {
		const response = await post(action, form);
		expect(response.status(), `${action} ${JSON.stringify(form).slice(0, 80)}`).toBe(200);
		const answer = (await response.json()) as { type: string; data: string };
		expect(answer.type).toBe('failure');
		expect(answer.data).toContain(message);
	}
	// Nothing of that reached the attempt.
	await page.reload();
	await expect(sim.lines()).toHaveCount(1);
});

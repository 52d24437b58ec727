import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { endedAttempt } from './support/assessor';
import { expect, logInAsOwn, test } from './support/fixtures';
import { AttemptActions, CoverageMap, DebriefPage, LearnerHome, ReflectionPage, ScenarioBrief, expectEveryFailGivesItsReason } from './support/learner';
import { SimulationScreen } from './support/simulation';

const SPOUSE = 'spouse-caller';
const SPOUSE_TITLE = /I'm his wife/;

/** A spouse-caller attempt in which the learner reads the balance out to the caller, ended. */
async function attemptWithDisclosure(page: Page): Promise<string> {
	await new ScenarioBrief(page).goto(SPOUSE);
	const id = await new ScenarioBrief(page).start();
	const actions = new AttemptActions(page, id);
	await actions.choose('ask-his-security', 'security-passed-give-balance');
	await actions.end();
	return id;
}

/** colleague-requests played to its model answer and ended: an attempt that passes under the pass rule. */
async function passedAttempt(page: Page): Promise<string> {
	const brief = new ScenarioBrief(page);
	await brief.goto('colleague-requests');
	await waitForHydration(page);
	const id = await brief.start();
	await waitForHydration(page);
	const sim = new SimulationScreen(page);
	await sim.say(/Just so I send the right thing/);
	await sim.open('Search');
	const search = sim.form('Search');
	await search.getByLabel('Account reference').fill('NWE-3306174');
	await search.getByLabel('Why are you searching?').selectOption({ label: 'Metering and meter installations' });
	await search.getByRole('button', { name: 'Search' }).click();
	await expect(sim.outcome(search)).toContainText('1 found');
	await sim.view('NWE-3306174', 'Metering and meter installations');
	await sim.say(/I can see she's on the Priority Services Register/);
	await sim.say(/add her mobile to the work order/);
	await sim.open('Disclose');
	const form = sim.form('Disclose');
	await form.getByRole('group', { name: 'What you are disclosing' }).getByRole('checkbox', { name: 'Mobile phone' }).check();
	await form.getByLabel('Recipient', { exact: true }).selectOption({ label: 'A colleague' });
	await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Amira Haddad');
	await form.getByLabel('Team or organisation').selectOption({ label: 'Field Services (team)' });
	await form.getByLabel('How').selectOption({ label: 'Internal' });
	await form.getByLabel('Purpose (for a colleague)').selectOption({ label: 'Metering and meter installations' });
	await form.getByRole('button', { name: 'Disclose and log it' }).click();
	await expect(sim.outcome(form)).toContainText('disclosure logged as authorised');
	await sim.say(/Just to confirm: you have her mobile/);
	await sim.say(/Close the chat/);
	await sim.say(/What's it for\? I need to check the purpose/);
	await sim.say(/Sorry, I can't\. Calling her to sell boiler cover/);
	await sim.say(/No, it's fine to ask/);
	await sim.logContact({ customer: /NWE-3306174/, who: 'A colleague', about: 'Home Services asked for her mobile for a sales call', notes: 'Declined: she has said no to marketing.' });
	await sim.say(/Purpose limitation/);
	await sim.say(/Data minimisation/);
	await sim.say(/Integrity and confidentiality/);
	await sim.end();
	return id;
}

// Each test is a learner of its own, who has done nothing but what the test does.
test.beforeEach(async ({ page, learner }) => {
	await logInAsOwn(page, learner);
});

test('the home lists every scenario with its difficulty and the criteria it covers', async ({ page, learner }) => {
	const home = new LearnerHome(page);
	await home.goto();
	await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${learner.name}` })).toBeVisible();
	expect(await home.scenarios().count()).toBeGreaterThanOrEqual(5);
	const spouse = home.scenario(SPOUSE_TITLE);
	await expect(spouse.getByText('Foundation', { exact: true })).toBeVisible();
	await expect(spouse.getByRole('list', { name: 'Criteria covered' })).toContainText('EMP03');
	await expect(spouse.getByText(/Your best/)).toBeVisible();
	for (const card of await home.scenarios().all()) {
		await expect(card.getByText(/^(Foundation|Intermediate|Advanced)$/)).toBeVisible();
		await expect(card.getByRole('list', { name: 'Criteria covered' }).getByRole('listitem').first()).toBeVisible();
	}
	await expect(page.getByRole('complementary', { name: 'Your coverage' })).toContainText('No evidence yet');
	await page.getByRole('link', { name: 'See the coverage map' }).click();
	await expect(page).toHaveURL('/learn/coverage');
});

test('a scenario is started from its brief; the history lists the attempt and resumes it', async ({ page }) => {
	const home = new LearnerHome(page);
	await home.goto();
	await home.scenario(/spelt my name wrong/).getByRole('link', { name: /Read the brief|Brief/ }).click();
	await expect(page).toHaveURL('/learn/scenarios/record-correction');
	await expect(page.getByRole('heading', { name: 'What you are told' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'What you are told' })).toContainText('Pennine Telecom');
	await expect(page.getByRole('region', { name: 'Criteria this scenario covers' })).toContainText('Update existing customer information');
	await expect(page.getByRole('region', { name: 'How you are marked' })).toContainText('critical');

	const id = await new ScenarioBrief(page).start();

	await page.goto('/learn/history');
	const resume = page.getByRole('link', { name: /^Resume ?: .*spelt my name wrong/ }).and(page.locator(`[href="/learn/attempts/${id}"]`));
	await expect(resume).toBeVisible();
	await resume.click();
	await expect(page).toHaveURL(`/learn/attempts/${id}`);

	// The brief now offers the attempt under way as well as a fresh one.
	await new ScenarioBrief(page).goto('record-correction');
	await expect(page.getByRole('link', { name: 'Resume your attempt' })).toHaveAttribute('href', /\/learn\/attempts\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('button', { name: 'Start a new attempt' })).toBeVisible();
});

test('the debrief of an attempt with a disclosure shows the critical miss first, its feedback and evidence linked to the transcript', async ({ page }) => {
	const id = await attemptWithDisclosure(page);
	const debrief = new DebriefPage(page);
	await debrief.goto(id);
	await expect(page.getByRole('heading', { level: 2, name: 'Not passed — 1 critical error' })).toBeVisible();
	await expect(debrief.checks()).toHaveText([/Critical points: 1 missed ✗/, /Score [\d.]+ % \(pass mark 80 %\) [✓✗]/]);
	await expectEveryFailGivesItsReason(page);

	// The verdict, then the critical error before everything else: the choices, then every other marking point.
	const sections = await page.locator('main section h2').allInnerTexts();
	expect(sections.slice(0, 3).map((s) => s.trim())).toEqual(['Not passed — 1 critical error', 'Critical error', 'Your choices']);
	const first = page.getByRole('article').first();
	await expect(first).toContainText('Critical error');
	await expect(first.getByRole('heading', { level: 3 })).toContainText("You told Mrs Hughes about her husband's account.");
	await expect(first).toContainText('breach register');
	await expect(debrief.choices()).toContainText('Knowing his answers does not make her him.');

	// Its evidence is the line where the balance was given, linked to the transcript.
	const evidence = first.getByRole('link', { name: /£182\.40/ });
	const href = await evidence.getAttribute('href');
	expect(href).toMatch(/^#t-\d+$/);
	await evidence.click();
	await expect(page).toHaveURL(new RegExp(`${href}$`));
	const line = page.locator(href!);
	await expect(line).toContainText('The balance is £182.40 in credit');
	await expect(line.getByRole('link', { name: 'Gave the caller no information about the account.' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Transcript' })).toContainText('Sarah Hughes');

	// Try again starts a fresh attempt.
	await page.getByRole('button', { name: 'Try again' }).click();
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
	expect(page.url()).not.toContain(id);

	// Every list that shows the attempt gives the verdict's reason and the pass mark beside the score.
	for (const path of ['/learn/history', '/learn', `/learn/scenarios/${SPOUSE}`, '/learn/portfolio']) {
		await page.goto(path);
		await expectEveryFailGivesItsReason(page);
	}
	await page.goto('/learn/history');
	await expect(page.getByRole('listitem').filter({ has: page.locator(`a[href="/learn/attempts/${id}/debrief"]`) })).toContainText(
		/Not passed — 1 critical error\s*Score [\d.]+ % \(pass mark 80 %\)/
	);
});

test('a learner writes a reflection: a draft is saved, an empty part is refused next to it, then it is submitted and read-only', async ({ page }) => {
	const id = await endedAttempt(page);
	await new DebriefPage(page).goto(id);
	await page.getByRole('link', { name: 'Write your reflection' }).click();
	await expect(page).toHaveURL(`/learn/attempts/${id}/reflection`);

	const reflection = new ReflectionPage(page);
	await reflection.part('Situation').fill('A caller said she was the account holder’s wife and asked for his balance.');
	await reflection.part('Task').fill('Help her without disclosing anything, following the data protection policy and UK GDPR.');
	await reflection.saveDraft();
	await expect(page.getByRole('status')).toContainText('Draft saved');
	await page.reload();
	await expect(reflection.part('Task')).toHaveValue(/following the data protection policy/);

	// Too long: refused with a message saying by how much, and the text is kept.
	const long = 'x'.repeat(6100);
	await reflection.part('Result').fill(long);
	await reflection.saveDraft();
	await expect(page.locator('#result-error')).toHaveText(/limit is 6,000\. Shorten it by 100 characters/);
	await expect(reflection.part('Result')).toHaveValue(long);

	// An empty part: refused next to it, and what was typed elsewhere stays.
	await reflection.part('Action').fill('I checked the account for a recorded authority and found none, so I explained why I could not help.');
	await reflection.part('Result').fill('');
	await reflection.submit();
	await expect(page.getByRole('alert')).toContainText('not submitted');
	await expect(page.locator('#result-error')).toContainText('this part is empty');
	await expect(reflection.part('Result')).toHaveAttribute('aria-invalid', 'true');
	await expect(reflection.part('Action')).toHaveValue(/recorded authority/);
	await expectNoViolations(page);

	await reflection.part('Result').fill('Nothing was disclosed and the call was logged on the account holder’s record.');
	await reflection.submit();
	// Read over before it goes: what happens next, and the text as it will be submitted.
	await expect(page.getByRole('region', { name: 'Result' })).toContainText('Nothing was disclosed');
	await expectNoViolations(page);
	await reflection.confirm();
	await expect(page.getByRole('status')).toContainText('Submitted for assessment on');
	await expect(page.getByRole('textbox')).toHaveCount(0);
	await expect(page.getByRole('region', { name: 'Result' })).toContainText('Nothing was disclosed');
	await expectNoViolations(page);

	await new DebriefPage(page).goto(id);
	await expect(page.getByRole('link', { name: 'Read your reflection' })).toBeVisible();
});

test('the coverage map changes with an attempt: its criteria are in progress, then evidenced by the ended attempt', async ({ page }) => {
	// PC01 (collect and record new customer information) is covered by the sign-up scenario alone.
	const map = new CoverageMap(page);
	await map.goto();
	const before = await map.criterion('PC01').locator('.state').innerText();

	await new ScenarioBrief(page).goto('new-customer-signup');
	const id = await new ScenarioBrief(page).start();
	await map.goto();
	const row = map.criterion('PC01');
	await expect(row.locator(`a[href="/learn/attempts/${id}"]`)).toBeVisible();
	await expect(row.locator('.state')).toHaveText(/In progress|Met in the simulator|Signed off/);
	if (before.includes('No evidence yet')) await expect(row.locator('.state')).toHaveText('In progress');

	// Ended early, after declining to discuss the previous occupant: that point is met, and evidence for its criteria
	// (the points met only by doing nothing wrong were not reached, and evidence nothing).
	const actions = new AttemptActions(page, id);
	await actions.choose('start-properly', 'ask-address', 'look-up-address', 'reassure-without-disclosing');
	await actions.end();
	await map.goto();
	const evidenced = page.locator(`li.criterion:has(a[href="/learn/attempts/${id}/debrief"])`);
	expect(await evidenced.count()).toBeGreaterThan(0);
	await expect(evidenced.first().locator('.state')).toHaveText(/In progress|Met in the simulator|Signed off/);
	await expectNoViolations(page);
});

test('an attempt or scenario that is not the learner’s is not found, and an unfinished attempt has no debrief yet', async ({ page }) => {
	const madeUp = '00000000-0000-4000-8000-000000000000';
	for (const path of [`/learn/attempts/${madeUp}/debrief`, `/learn/attempts/${madeUp}/reflection`, '/learn/scenarios/no-such-scenario']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(404);
	}
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	await expectNoViolations(page);

	const origin = new URL(page.url()).origin;
	for (const action of [`/learn/attempts/${madeUp}/debrief?/again`, `/learn/attempts/${madeUp}/reflection?/submit`, '/learn/scenarios/no-such-scenario?/start']) {
		const response = await page.request.post(action, { form: { situation: 'x' }, headers: { origin }, maxRedirects: 0 });
		expect(response.status(), action).toBe(404);
	}

	await new ScenarioBrief(page).goto(SPOUSE);
	const id = await new ScenarioBrief(page).start();
	await page.goto(`/learn/attempts/${id}/debrief`);
	await expect(page).toHaveURL(`/learn/attempts/${id}`);
});

test('the home, history, coverage map and scenario briefs have no WCAG 2.2 A/AA violations', async ({ page }) => {
	for (const path of ['/learn', '/learn/history', '/learn/coverage', `/learn/scenarios/${SPOUSE}`, '/learn/scenarios/police-address-request']) {
		await page.goto(path);
		await expectNoViolations(page);
	}
});

test('the debrief of a failed and of a passed attempt, and the reflection form, have no WCAG 2.2 A/AA violations', async ({ page }) => {
	const failed = await attemptWithDisclosure(page);
	for (const path of [`/learn/attempts/${failed}/debrief`, `/learn/attempts/${failed}/reflection`]) {
		await page.goto(path);
		await expectNoViolations(page);
	}
	// A whole model answer through the screen, then three accessibility scans: well over a page's test.
	test.setTimeout(240_000);
	const passed = await passedAttempt(page);
	await page.goto(`/learn/attempts/${passed}/debrief`);
	await expect(page.getByRole('heading', { level: 2, name: 'Passed' })).toBeVisible();
	await expectNoViolations(page);
});

test('a scenario can be chosen and started with the keyboard alone', async ({ page }) => {
	await new LearnerHome(page).goto();
	const target = page.getByRole('link', { name: /^(Read the brief|Brief) ?: .*spelt my name wrong/ });
	for (let i = 0; i < 150 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(target).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL('/learn/scenarios/record-correction');
	const start = page.getByRole('button', { name: /^(Start|Start a new attempt)$/ });
	for (let i = 0; i < 40 && !(await start.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(start).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
});

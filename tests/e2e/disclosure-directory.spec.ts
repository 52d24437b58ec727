import type { Page } from '@playwright/test';
import { waitForHydration } from './support/accounts';
import { expect, logInAsOwn, test } from './support/fixtures';
import { ScenarioBrief } from './support/learner';
import { SimulationScreen } from './support/simulation';

const METERING = 'Metering and meter installations';
const DOREEN = 'NWE-3306174';

/** colleague-requests, up to Amira waiting for her mobile number to be recorded. */
async function startToAmiraWaiting(page: Page): Promise<SimulationScreen> {
	const brief = new ScenarioBrief(page);
	await brief.goto('colleague-requests');
	await waitForHydration(page);
	await brief.start();
	await waitForHydration(page);
	const sim = new SimulationScreen(page);
	await sim.say(/Just so I send the right thing/);
	await sim.open('Search');
	const search = sim.form('Search');
	await search.getByLabel('Account reference').fill(DOREEN);
	await search.getByLabel('Why are you searching?').selectOption({ label: METERING });
	await search.getByRole('button', { name: 'Search' }).click();
	await expect(sim.outcome(search)).toContainText('1 found');
	await sim.view(DOREEN, METERING);
	await sim.say(/I can see she's on the Priority Services Register/);
	await sim.say(/add her mobile to the work order/);
	return sim;
}

/** Records the mobile number as disclosed to Amira, to the team chosen from the directory. */
async function discloseToAmira(sim: SimulationScreen, team: string) {
	await sim.open('Disclose');
	const form = sim.form('Disclose');
	await form.getByRole('group', { name: 'What you are disclosing' }).getByRole('checkbox', { name: 'Mobile phone' }).check();
	await form.getByLabel('Recipient', { exact: true }).selectOption({ label: 'A colleague' });
	await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Amira Haddad');
	await form.getByLabel('Team or organisation').selectOption({ label: team });
	await form.getByLabel('How').selectOption({ label: 'Internal' });
	await form.getByLabel('Purpose (for a colleague)').selectOption({ label: METERING });
	await form.getByRole('button', { name: 'Disclose and log it' }).click();
	return sim.outcome(form);
}

test.beforeEach(async ({ page, learner }) => {
	await logInAsOwn(page, learner);
});

test('the recipient is chosen from the directory; the wrong team draws the supervisor at once and opens a breach; the right one moves the chat on', async ({ page }) => {
	test.setTimeout(120_000);
	const sim = await startToAmiraWaiting(page);
	// The waiting line is neutral: it does not say what to do.
	await expect(page.getByRole('status').filter({ hasText: 'Amira is waiting on the chat while you work in the system.' })).toBeVisible();

	await sim.open('Disclose');
	// No typed role: the directory, with what each team may receive.
	await expect(sim.form('Disclose').getByLabel('Role', { exact: true })).toHaveCount(0);
	await page.getByText('The directory: who may receive what').click();
	await expect(page.getByRole('row', { name: /Field Services \(team\)/ })).toContainText('Mobile phone');
	await expect(page.getByRole('row', { name: /Home Services sales \(team\)/ })).toContainText('Nothing');

	const wrong = await discloseToAmira(sim, 'Priority Services team (team)');
	await expect(wrong).toContainText('logged as UNAUTHORISED: Priority Services team may not receive customers’ data for the purpose “Metering and meter installations” (UK GDPR Art 5(1)(b), (f); Art 4(12))');
	await expect(sim.lines().last()).toContainText('Sam Whitlock');
	await expect(sim.lines().last()).toContainText('Stop there: that was an unauthorised disclosure.');
	await expect(sim.lines().last()).toContainText('complete the breach form');
	await expect(sim.section('Breaches')).toContainText('1');

	const right = await discloseToAmira(sim, 'Field Services (team)');
	await expect(right).toContainText('disclosure logged as authorised');
	await expect(sim.transcript()).toContainText('Got it, thanks.');
	await expect(sim.section('Breaches')).toContainText('1');
});

import type { Locator, Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { uniqueScenarioId } from './support/author';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, newPageAsOwn, requestContextAsOwn, test } from './support/fixtures';
import { SimulationScreen } from './support/simulation';

/**
 * Issue 16: a tutor makes a scenario without typing YAML. A new scenario starts from the starter
 * (a customer checking her email address), and the form editor changes its details, people,
 * customer record and marking points; the YAML view is never opened.
 */

const status = (page: Page) => page.locator('#problems-status');
const persona = (page: Page, key: string) => page.locator(`#persona-${key}`);
const point = (page: Page, id: string) => page.locator(`#point-${id}`);

/** Creates a new scenario from the library, landing in the form editor. */
async function newScenario(page: Page, id: string, title: string) {
	await page.goto('/author/scenarios');
	await page.getByRole('link', { name: 'New scenario' }).click();
	await expect(page.getByRole('heading', { name: 'New scenario' })).toBeVisible();
	await waitForHydration(page);
	await page.getByLabel('Title').fill(title);
	// The id follows the title until it is typed.
	await expect(page.getByLabel('Id')).toHaveValue(/^e2e-form-/);
	await page.getByLabel('Id').fill(id);
	await page.getByLabel('Difficulty').selectOption('intermediate');
	await page.getByRole('button', { name: 'Create the scenario' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/form\\?created`));
	await waitForHydration(page);
}

async function saveIn(section: Locator, button: string | RegExp = /^Save/) {
	await section.getByRole('button', { name: button }).first().click();
}

test('a tutor creates a scenario, edits it in forms, fixes a problem they caused, previews it to the end and publishes it, without the YAML view', async ({ page, tutor }) => {
	test.setTimeout(180_000);
	const id = uniqueScenarioId('form');
	const title = `E2E form ${id}`;
	await logInAsOwn(page, tutor);
	await newScenario(page, id, title);
	await expect(status(page)).toHaveText('No problems: this draft can be previewed and published.');
	await expectNoViolations(page);

	// Details: a new title and brief, and a criterion no marking point evidences yet (a problem).
	const details = page.getByRole('region', { name: 'Details' });
	await details.getByLabel('Title').fill(`${title}: the “moved house” call`);
	await details.getByLabel('Brief').fill('You work at **Northdale Energy**. A customer calls about her email address.\n\nTake security first.');
	await details.getByText('Examiner marking points').click();
	await details.getByRole('checkbox', { name: /^EMP02/ }).check();
	await saveIn(details, 'Save details');
	await expect(page.locator('#details-status')).toBeFocused();
	await expect(page.locator('#details-status')).toHaveText('Details saved.');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('moved house');
	await expect(status(page)).toContainText('1 problem');
	const problem = page.locator('.problems li').first();
	await expect(problem).toContainText('EMP02');
	await expect(problem.getByRole('link')).toHaveAttribute('href', '#details-criteria');

	// A person: the team leader gets a new name.
	const leader = persona(page, 'team-leader');
	await leader.getByLabel('Name').fill('Priya Shah');
	await leader.getByLabel('Description').fill('The learner’s team leader: calm, quick to answer.');
	await saveIn(leader);
	await expect(page.locator('#persona-team-leader-status')).toHaveText('Priya Shah: saved.');
	await expect(page.locator('#persona-team-leader-status')).toBeFocused();

	// The customer record: a value changed.
	const record = page.locator('#customer-account-holder');
	await record.getByLabel('Town').fill('Bradford');
	await saveIn(record);
	await expect(page.locator('#customer-account-holder-status')).toContainText('saved');
	await expect(record.getByLabel('Town')).toHaveValue('Bradford');

	// A marking point evidences EMP02, which fixes the problem; its marks change too.
	const confirmed = point(page, 'email-confirmed');
	await expect(confirmed.getByRole('link', { name: /Yes, that's the address on your account/ }).first()).toHaveAttribute('href', `/author/scenarios/${id}/dialogue?node=gives-answers`);
	await confirmed.getByRole('checkbox', { name: /^EMP02/ }).check();
	await confirmed.getByLabel('Marks').fill('2');
	await saveIn(confirmed);
	await expect(page.locator('#point-email-confirmed-status')).toHaveText('Marking point email-confirmed: saved.');
	await expect(status(page)).toHaveText('No problems: this draft can be previewed and published.');
	await expectNoViolations(page);

	// Preview: played to its end as a learner would.
	await page.getByRole('link', { name: 'Preview', exact: true }).first().click();
	await page.getByRole('button', { name: 'Start a preview' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/preview/[0-9a-f-]{36}$`));
	await waitForHydration(page);
	const sim = new SimulationScreen(page);
	await sim.say(/First I need to take you through security/);
	await sim.say(/Can I confirm an email address/);
	await expect(sim.transcript()).toContainText('Priya Shah');
	await sim.say(/Yes, that's the address on your account/);
	const end = page.locator('.sim-header details.end-attempt');
	await end.locator('summary').click();
	await end.getByRole('button', { name: /^Yes, end/ }).click();
	await expect(page.getByText('This preview has ended.')).toBeVisible();
	await expect(page.locator('[data-point="email-confirmed"]')).toContainText('Met');

	// Publish, from the form editor.
	await page.goto(`/author/scenarios/${id}/form`);
	await waitForHydration(page);
	await page.getByRole('button', { name: 'Publish' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}\\?published=`));
	await expect(page.getByRole('status')).toContainText('Published as version');
	// Never once on the YAML view.
	expect(page.url()).not.toContain('/edit');
});

test('bad input is refused beside its field with what was typed kept, and a form from a stale tab saves nothing', async ({ page, tutor }) => {
	test.setTimeout(120_000);
	const id = uniqueScenarioId('form-bad');
	await logInAsOwn(page, tutor);
	await newScenario(page, id, `E2E form bad ${id}`);
	const details = page.getByRole('region', { name: 'Details' });

	// An empty title: the message is next to the field, the brief typed with it stays, nothing is saved.
	await details.getByLabel('Title').fill('   ');
	await details.getByLabel('Brief').fill('A brief typed with the empty title.');
	await saveIn(details, 'Save details');
	await expect(details.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('#details-title-error')).toHaveText('Enter a title.');
	await expect(details.getByLabel('Brief')).toHaveValue('A brief typed with the empty title.');
	await expect(page.locator('#details-status')).toBeFocused();
	await page.reload();
	await expect(page.getByRole('region', { name: 'Details' }).getByLabel('Title')).toHaveValue(`E2E form bad ${id}`);

	// An unknown criterion posted by hand.
	await page.locator('#details-criteria input[value="PC03"]').evaluate((el) => ((el as HTMLInputElement).value = 'XX99'));
	await saveIn(page.getByRole('region', { name: 'Details' }), 'Save details');
	await expect(page.locator('#details-criteria-error')).toContainText('Unknown criterion "XX99"');

	// A huge description.
	const caller = persona(page, 'caller');
	await caller.getByLabel('Description').fill('x'.repeat(5_000));
	await saveIn(caller);
	await expect(page.locator('#persona-caller-description-error')).toContainText('Use at most 4,000 characters');
	await expect(caller.getByLabel('Description')).toHaveValue('x'.repeat(4_001));

	// Removing a person the dialogue needs is refused, naming the nodes.
	await persona(page, 'team-leader').getByRole('button', { name: /^Remove/ }).click();
	await expect(page.locator('#persona-team-leader-status')).toContainText('“team-leader-answers”');

	// A second tab saves first; the first tab's form is then stale and saves nothing.
	await page.reload();
	await waitForHydration(page);
	const second = await page.context().newPage();
	await second.goto(`/author/scenarios/${id}/form`);
	await waitForHydration(second);
	await persona(second, 'caller').getByLabel('Role').fill('caller (from the second tab)');
	await saveIn(persona(second, 'caller'));
	await expect(second.locator('#persona-caller-status')).toContainText('saved');
	await second.close();
	await persona(page, 'team-leader').getByLabel('Role').fill('supervisor (stale)');
	await saveIn(persona(page, 'team-leader'));
	await expect(page.locator('#persona-team-leader-status')).toContainText('changed somewhere else');
	await expect(persona(page, 'caller').getByLabel('Role')).toHaveValue('caller (from the second tab)');
	await expect(persona(page, 'team-leader').getByLabel('Role')).toHaveValue('team leader');
});

test('another centre’s tutor is told the form editor’s scenario was not found, and changes nothing', async ({ page, tutor }) => {
	const id = uniqueScenarioId('form-idor');
	await logInAsOwn(page, tutor);
	await newScenario(page, id, `E2E form idor ${id}`);
	const elsewhere = await createOwnUser(['tutor'], 'form elsewhere tutor', { organisationId: await createOwnCentre() });
	const client = await requestContextAsOwn(elsewhere);
	expect((await client.get(`/author/scenarios/${id}/form`, { maxRedirects: 0 })).status()).toBe(404);
	for (const action of ['details', 'persona', 'addPersona', 'removePersona', 'customer', 'addField', 'removeField', 'addCustomer', 'point', 'addPoint', 'removePoint', 'publish']) {
		const response = await client.post(`/author/scenarios/${id}/form?/${action}`, { form: { key: 'caller', title: 'Taken over', name: 'x', updatedAt: 'x' }, maxRedirects: 0 });
		expect(response.status(), action).toBe(404);
	}
	await client.dispose();
	// A built-in scenario is edited in its file, not here.
	expect((await page.request.get('/author/scenarios/spouse-caller/form', { maxRedirects: 0 })).status()).toBe(404);
	await page.reload();
	await expect(page.getByRole('region', { name: 'Details' }).getByLabel('Title')).toHaveValue(`E2E form idor ${id}`);
});

test('the form editor works without JavaScript', async ({ page, browser, tutor }) => {
	const id = uniqueScenarioId('form-nojs');
	await logInAsOwn(page, tutor);
	await newScenario(page, id, `E2E form no script ${id}`);
	const plain = await newPageAsOwn(browser, tutor, `/author/scenarios/${id}/form`, { javaScript: false });
	const caller = persona(plain, 'caller');
	await caller.getByLabel('Name').fill('Amira Haddad-Khan');
	await caller.getByRole('button', { name: /^Save/ }).click();
	await expect(plain.locator('#persona-caller-status')).toHaveText('Amira Haddad-Khan: saved.');
	await plain.getByRole('region', { name: 'Details' }).getByLabel('Title').fill('');
	await plain.getByRole('button', { name: 'Save details' }).click();
	await expect(plain.locator('#details-title-error')).toHaveText('Enter a title.');
	await expect(persona(plain, 'caller').getByLabel('Name')).toHaveValue('Amira Haddad-Khan');
	await plain.context().close();
});

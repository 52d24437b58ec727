import { readFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { waitForHydration } from './support/accounts';
import { expect, logInAsOwn, test } from './support/fixtures';
import { ScenarioEditor, uniqueScenarioId } from './support/author';
import { SimulationScreen } from './support/simulation';

/** The LPA case as a tutor would write it: the library's file, under the tutor's own id and title. */
function lpaCase(id: string, title: string): string {
	return readFileSync('scenarios/lpa-attorney-caller.yaml', 'utf8')
		.replace(/^id: lpa-attorney-caller$/m, `id: ${id}`)
		.replace(/^title: .*$/m, `title: "${title}"`);
}

/** Picks the option whose text matches, when its full label does not matter. */
async function choose(select: Locator, text: RegExp) {
	const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
	await select.selectOption(value!);
}

test('a tutor writes the LPA case in the editor: it checks, and in the preview it plays and marks as written', async ({ page, tutor }) => {
	test.setTimeout(240_000);
	const id = uniqueScenarioId('lpa-case');
	const title = `An attorney calls about his mother's account ${id}`;
	await logInAsOwn(page, tutor);
	// A tutor starts from a copy of a scenario in the library (slow on a loaded machine: it checks and stores the copy).
	await page.goto('/author/scenarios/spouse-caller/duplicate');
	await waitForHydration(page);
	await page.getByLabel('New id').fill(id);
	await page.getByLabel('Title').fill(title);
	await page.getByRole('button', { name: 'Duplicate' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/edit`), { timeout: 30_000 });
	await waitForHydration(page);

	// The tutor writes the case, with two slips the checker names by their path.
	const editor = new ScenarioEditor(page);
	const written = lpaCase(id, title);
	const slipped = written
		.replace('      pfaLpaReference: 7000 4821 3366', '      pfaLpaRef: 7000 4821 3366')
		.replace('set: { asked-about-pfa: true }', 'set: { asked-about-pfa: "yes" }');
	expect(slipped).not.toBe(written);
	await editor.type(slipped);
	await expect(editor.problem('personas[0].knows.pfaLpaRef')).toContainText('neither a field nor a declared fact');
	await expect(editor.problem('facts[0].key')).toContainText('no persona knows it');
	await expect(editor.problem('set.asked-about-pfa')).toContainText('holds true or false');
	await editor.type(written);
	await expect(editor.status()).toContainText('No problems');
	await editor.save();

	// The help beside the editor links to the topic that explains authorities and the register.
	await expect(page.locator('.format-help').getByRole('link', { name: 'Customer record' })).toHaveAttribute('href', '/author/help/customers');

	// Preview it and play the model answer through the record system.
	await page.getByRole('link', { name: 'Preview', exact: true }).click();
	await page.getByRole('button', { name: 'Start a preview' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/preview/[0-9a-f-]{36}$`));
	await waitForHydration(page);
	const sim = new SimulationScreen(page);
	const point = (pointId: string) => page.locator(`[data-point="${pointId}"] .state`);

	await sim.say(/bring the account up and check what we hold/);
	await sim.search({ name: 'Ellis', postcode: 'NN8 4TL', purpose: 'Energy supply and billing' });
	await sim.view('NWE-3310462', 'Energy supply and billing');

	// The LPA on file is for health and welfare: the check says it does not reach her money.
	await sim.open('Identity & authority');
	const check = await sim.task('Check a third party’s authority');
	await choose(check.getByLabel('Who the person says they are'), /Peter Ellis \(son, health and welfare LPA\)/);
	await check.getByRole('checkbox', { name: 'Financial' }).check();
	await check.getByLabel('What they want to do').selectOption({ label: 'Receive information' });
	await check.getByRole('button', { name: 'Check the authority' }).click();
	await expect(sim.outcome(check)).toContainText('not covered (the LPA is of another type)');
	await expect(point('checked-authority-on-file')).toHaveText('Met');

	// Explaining and asking sets a variable: the point that tests it is met, and the branch on it goes his calm way.
	await expect(point('explained-lpa-types')).toHaveText('Not met');
	await sim.say(/The power of attorney we hold is a health and welfare LPA/);
	await expect(point('explained-lpa-types')).toHaveText('Met');
	await expect(sim.transcript()).toContainText('I didn\'t realise there was a difference');
	await sim.say(/I'll check that on the Office of the Public Guardian's register now/);

	// The OPG register: a real lookup of the entries the file declares.
	const register = await sim.task('Check the OPG register');
	await register.getByLabel('LPA reference').fill('7000 4821 3366');
	await register.getByLabel('Caller’s name, to check they are an attorney').fill('Peter Ellis');
	await register.getByRole('button', { name: 'Search the register' }).click();
	await expect(sim.outcome(register)).toContainText('found: property and financial affairs; registered');
	await expect(sim.outcome(register)).toContainText('the caller is a listed attorney');
	await expect(sim.transcript()).toContainText('Is it there?');
	await sim.say(/it's registered, it's for property and financial affairs/);

	// Recorded after the register check: the critical point stays met and the recording point is met.
	const record = await sim.task('Record a third party’s authority');
	await record.getByLabel('Their full name').fill('Peter Ellis');
	await record.getByLabel('Relationship to the customer').fill('son');
	await record.getByLabel('Kind of authority').selectOption({ label: 'Lasting power of attorney' });
	await record.getByLabel('Type of LPA').selectOption({ label: 'Property and financial affairs' });
	await record.getByLabel('Evidence seen').fill('OPG LPA 7000-4821-3366, checked on the OPG register');
	await record.getByRole('checkbox', { name: 'Everything' }).check();
	await record.getByRole('checkbox', { name: 'Receive information' }).check();
	await record.getByRole('checkbox', { name: 'Make changes' }).check();
	await record.getByRole('button', { name: 'Record the authority' }).click();
	await expect(sim.outcome(record)).toContainText('authority recorded');
	await expect(point('recorded-financial-lpa')).toHaveText('Met');
	await expect(point('checked-opg-register')).toHaveText('Met');
	await expect(point('told-about-register-check')).toHaveText('Met');
});

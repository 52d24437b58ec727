import { waitForHydration } from './support/accounts';
import { expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { ScenarioBrief } from './support/learner';
import { SimulationScreen } from './support/simulation';

/**
 * Issue 16: the simulation desk keeps the learner's place: a search keeps what was typed without
 * JavaScript too, and on a laptop the call stays in view beside the record system however long it gets.
 */

const SUPPLY = 'Energy supply and billing';

test('without JavaScript, a search comes back with what was typed still in its fields', async ({ browser, learner }) => {
	const page = await newPageAsOwn(browser, learner, learner.home, { javaScript: false });
	await page.goto('/learn/scenarios/spouse-caller');
	await page.getByRole('button', { name: /^(Start|Start a new attempt)$/ }).click();
	await expect(page).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
	const sim = new SimulationScreen(page);
	await sim.open('Search');
	const search = sim.form('Search');
	await search.getByLabel('Name').fill('Hughes');
	await search.getByLabel('Postcode').fill('NN15 7QA');
	await search.getByLabel('Why are you searching?').selectOption({ label: SUPPLY });
	await search.getByRole('button', { name: 'Search' }).click();
	await expect(sim.outcome(sim.form('Search'))).toContainText('1 found');
	await expect(sim.form('Search').getByLabel('Name')).toHaveValue('Hughes');
	await expect(sim.form('Search').getByLabel('Postcode')).toHaveValue('NN15 7QA');
	await expect(sim.form('Search').getByLabel('Why are you searching?').locator('option:checked')).toHaveText(SUPPLY);
	await page.context().close();
});

test('at 1280 × 800, after several turns, the newest line and the first reply are in view without scrolling the page', async ({ page, learner }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	await logInAsOwn(page, learner);
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	await waitForHydration(page);
	await brief.start();
	await waitForHydration(page);
	const sim = new SimulationScreen(page);
	// Searching and opening the record makes the record system long; the call has several turns.
	await sim.search({ name: 'Hughes', postcode: 'NN15 7QA', purpose: SUPPLY });
	await sim.view('NWE-2048817', SUPPLY);
	await sim.say(/Bear with me a moment/);
	await sim.checkAuthority({ person: 'Someone not listed on the account', about: ['Financial'], act: 'Receive information' });
	await sim.say(/nobody apart from Mr Hughes himself is authorised/);
	await sim.say(/I do understand, and I'm sorry it's frustrating/);
	await sim.say(/Daniel can call us on 0306 999 0412/);

	// The page itself is where it was: the call scrolls in its own region.
	await page.evaluate(() => window.scrollTo(0, 0));
	await expect(sim.lines().last()).toBeInViewport();
	await expect(sim.replies().getByRole('button').first()).toBeInViewport();
	// The transcript is still the named region the keyboard can reach, and it scrolls on its own.
	await expect(sim.transcript()).toHaveAttribute('tabindex', '0');
	const scrolls = await sim.transcript().evaluate((el) => el.scrollHeight > el.clientHeight);
	expect(scrolls).toBe(true);
});

import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { ScenarioEditor, duplicateScenario, publish, uniqueScenarioId } from './support/author';
import { addressHeaders, createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { SimulationScreen } from './support/simulation';

/** The story's way of breaking a scenario: an unknown event in a marking rule. */
const BROKEN_PATH = 'marking[0].rule.all[1].absent.event';
const breakRule = (source: string) => source.replace('event: data.read.out\n', 'event: data.read.aloud\n');

/** A due date a few weeks ahead, as the date input takes it. */
function dueDate(): string {
	const d = new Date(Date.now() + 21 * 24 * 3600 * 1000);
	return d.toISOString().slice(0, 10);
}

test('a tutor duplicates a scenario, breaks and fixes it, previews and publishes it; a learner plays it and the tutor sees the attempt', async ({ page, browser, tutor, learner: learnerAccount, cohort }) => {
	test.setTimeout(180_000);
	const id = uniqueScenarioId('spouse-gas');
	const title = `A spouse calls about the gas account ${id}`;
	await logInAsOwn(page, tutor);

	// Duplicate a built-in scenario from the library.
	await page.goto('/author/scenarios');
	// By its id: other tests import copies of it under the same title.
	await page.locator('a[href="/author/scenarios/spouse-caller/duplicate"]').click();
	await expect(page.getByRole('heading', { name: 'Duplicate a scenario' })).toBeVisible();
	await duplicateScenario(page, 'spouse-caller', id, title);

	// Break it: the error appears at its path, live, and clicking it puts the caret on its line.
	const editor = new ScenarioEditor(page);
	await expect(editor.status()).toContainText('No problems');
	const original = await editor.text();
	const broken = breakRule(original);
	expect(broken).not.toBe(original);
	await editor.type(broken);
	await expect(editor.problem(BROKEN_PATH)).toBeVisible();
	await expect(editor.problem(BROKEN_PATH)).toContainText('data.read.aloud');
	await expect(editor.status()).toContainText('1 problem');
	const line = broken.split('\n').findIndex((l) => l.includes('data.read.aloud')) + 1;
	await expect(editor.problem(BROKEN_PATH)).toContainText(`Line ${line}`);
	await editor.problem(BROKEN_PATH).getByRole('link').click();
	await expect(editor.source()).toBeFocused();
	expect(await editor.caretLine()).toBe(line);
	// A broken draft is saved all the same, and the error is there after a reload.
	await editor.save();
	await editor.goto(id);
	await expect(editor.problem(BROKEN_PATH)).toBeVisible();
	// Publishing it is refused, with the error.
	await page.getByRole('button', { name: 'Publish' }).click();
	await expect(page.getByRole('alert')).toContainText('1 problem');
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/edit`));

	// Fix it.
	await editor.type(original);
	await expect(editor.status()).toContainText('No problems');
	await expect(editor.problems()).toHaveCount(0);
	await editor.save();

	// Preview it: a choice changes the points panel.
	await page.getByRole('link', { name: 'Preview', exact: true }).click();
	await page.getByRole('button', { name: 'Start a preview' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/preview/[0-9a-f-]{36}$`));
	await waitForHydration(page);
	const readOut = page.locator('[data-point="nothing-read-out"]');
	await expect(readOut).toContainText('Met');
	const sim = new SimulationScreen(page);
	await sim.say(/Let me just check I've got the right account/);
	await expect(readOut).toContainText('Not met');
	await expect(page.locator('#points-tally')).toBeVisible();

	// Publish it.
	await editor.goto(id);
	await publish(page, id);
	await expect(page.getByRole('status')).toContainText('Published as version');
	await expect(page.getByRole('row', { name: /Current/ })).toHaveCount(1);

	// Assign it to the test's own cohort.
	await page.goto(`/author/cohorts/${cohort.id}`);
	await waitForHydration(page);
	await page.getByLabel('Scenario', { exact: true }).selectOption({ label: title });
	await page.getByLabel('Due date').fill(dueDate());
	await page.getByRole('button', { name: 'Assign', exact: true }).click();
	await expect(page.getByRole('table').filter({ hasText: title })).toBeVisible();

	// A learner of that cohort sees and plays it.
	const learner = await newPageAsOwn(browser, learnerAccount);
	const assignments = learner.getByRole('region', { name: 'Your assignments' });
	await expect(assignments).toContainText(title);
	await learner.goto(`/learn/scenarios/${id}`);
	await learner.getByRole('button', { name: /^(Start|Start a new attempt)$/ }).click();
	await expect(learner).toHaveURL(/\/learn\/attempts\/[0-9a-f-]{36}$/);
	await waitForHydration(learner);
	const learnerSim = new SimulationScreen(learner);
	await learnerSim.say(/I can only discuss an account with the account holder/);
	await learnerSim.end();
	await learner.context().close();

	// The tutor sees the attempt in the results.
	await page.goto(`/author/results/${cohort.id}`);
	await expect(page.getByRole('heading', { name: title })).toBeVisible();

	// And in the library: one attempt on the current version; the preview is not counted.
	await page.goto(`/author/scenarios/${id}`);
	await expect(page.getByRole('row', { name: /Current/ }).getByRole('cell').nth(2)).toHaveText('1');
});

test('a preview can be opened only by the tutor who started it; another tutor is told it was not found', async ({ page, browser, tutor }) => {
	const id = uniqueScenarioId('preview-owner');
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'spouse-caller', id, `Preview owner ${id}`);
	await page.goto(`/author/scenarios/${id}/preview`);
	await page.getByRole('button', { name: 'Start a preview' }).click();
	await expect(page).toHaveURL(/\/preview\/[0-9a-f-]{36}$/);
	const url = new URL(page.url()).pathname;

	const lead = await newPageAsOwn(browser, await createOwnUser(['tutor'], 'other tutor'));
	const response = await lead.goto(url);
	expect(response?.status()).toBe(404);
	await expect(lead.getByText('That preview was not found')).toBeVisible();
	// The scenario is their centre's too, but the preview stays the tutor's own: playing it is refused as well.
	const post = await lead.request.post(`${url}?/choose`, {
		form: { choiceId: 'refuse-straight-away', expectedActionSeq: '1' },
		headers: { origin: new URL(page.url()).origin, 'x-sveltekit-action': 'true', accept: 'application/json' }
	});
	expect(post.status()).toBe(404);
	await lead.context().close();
});

test('a file is imported as a draft with the checker’s errors; an id clash and a non-YAML file are refused', async ({ page, tutor }) => {
	await logInAsOwn(page, tutor);
	const base = await (await page.request.get('/author/scenarios/spouse-caller/export')).text();
	expect(base).toMatch(/^id: spouse-caller$/m);

	const id = uniqueScenarioId('imported');
	await page.goto('/author/scenarios/import');
	await waitForHydration(page);
	const file = page.getByLabel('Scenario file');
	await file.setInputFiles({ name: `${id}.yaml`, mimeType: 'text/yaml', buffer: Buffer.from(breakRule(base.replace(/^id: spouse-caller$/m, `id: ${id}`))) });
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page.getByRole('status')).toContainText('with 1 problem');
	await expect(page.locator('#problem-list')).toContainText(BROKEN_PATH);
	await expectNoViolations(page);

	await file.setInputFiles({ name: 'spouse-caller.yaml', mimeType: 'text/yaml', buffer: Buffer.from(base) });
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page.getByRole('alert')).toContainText('There is already a scenario with the id "spouse-caller"');

	await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(base) });
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page.getByRole('alert')).toContainText('.yaml');

	// The imported draft opens in the editor with the same error.
	const editor = new ScenarioEditor(page);
	await editor.goto(id);
	await expect(editor.problem(BROKEN_PATH)).toBeVisible();
});

test('a version and a draft download as YAML files; an unknown version is not found', async ({ page, tutor }) => {
	await logInAsOwn(page, tutor);
	const id = uniqueScenarioId('export');
	await duplicateScenario(page, 'record-correction', id, `Export ${id}`);
	const draft = await page.request.get(`/author/scenarios/${id}/export?version=draft`);
	expect(draft.status()).toBe(200);
	expect(draft.headers()['content-type']).toContain('text/yaml');
	expect(draft.headers()['content-disposition']).toBe(`attachment; filename="${id}.yaml"`);
	expect(await draft.text()).toMatch(new RegExp(`^id: ${id}$`, 'm'));
	expect((await page.request.get(`/author/scenarios/${id}/export?version=${id}@nope`)).status()).toBe(404);
	expect((await page.request.get(`/author/scenarios/not-a-real-id/export`)).status()).toBe(404);
});

test('archiving a published scenario takes it out of learners’ lists, and unarchiving brings it back', async ({ page, browser, tutor, learner: learnerAccount }) => {
	const id = uniqueScenarioId('archive');
	const title = `Archive me ${id}`;
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'record-correction', id, title);
	await publish(page, id);

	const learner = await newPageAsOwn(browser, learnerAccount);
	await expect(learner.getByRole('heading', { level: 3, name: title })).toBeVisible();

	await page.getByRole('button', { name: 'Archive' }).click();
	await expect(page.getByText('Archived: learners no longer see this scenario')).toBeVisible();
	await learner.reload();
	await expect(learner.getByRole('heading', { level: 3, name: title })).toHaveCount(0);

	await page.goto(`/author/scenarios/${id}`);
	await page.getByRole('button', { name: 'Unarchive' }).click();
	await expect(page.getByText('Archived: learners no longer see this scenario')).toHaveCount(0);
	await learner.reload();
	await expect(learner.getByRole('heading', { level: 3, name: title })).toBeVisible();
	await learner.context().close();
});

test('a duplicate refuses an id in use, keeping what was typed', async ({ page, tutor }) => {
	await logInAsOwn(page, tutor);
	await page.goto('/author/scenarios/spouse-caller/duplicate');
	await waitForHydration(page);
	await page.getByLabel('New id').fill('record-correction');
	await page.getByLabel('Title').fill('My own title');
	await page.getByRole('button', { name: 'Duplicate' }).click();
	await expect(page.locator('#scenarioId-error')).toContainText('already a scenario with the id "record-correction"');
	await expect(page.getByLabel('Title')).toHaveValue('My own title');
	await expect(page.getByLabel('New id')).toHaveAttribute('aria-invalid', 'true');
	await expectNoViolations(page);
});

test('without JavaScript, the editor saves a broken draft and shows its errors after the reload', async ({ page, browser, tutor }) => {
	await logInAsOwn(page, tutor);
	const id = uniqueScenarioId('nojs');
	await duplicateScenario(page, 'spouse-caller', id, `No script ${id}`);
	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders(), javaScriptEnabled: false, storageState: await page.context().storageState() });
	const plain = await context.newPage();
	await plain.goto(`/author/scenarios/${id}/edit`);
	const editor = new ScenarioEditor(plain);
	await expect(editor.status()).toContainText('No problems');
	await editor.type(breakRule(await editor.text()));
	await plain.getByRole('button', { name: 'Save draft' }).click();
	await expect(plain.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeVisible();
	await expect(editor.problem(BROKEN_PATH)).toBeVisible();
	expect(await editor.text()).toContain('data.read.aloud');
	await context.close();
});

test('the library, a scenario, the editor with errors and the previews have no WCAG 2.2 A/AA violations', async ({ page, tutor }) => {
	test.setTimeout(120_000);
	await logInAsOwn(page, tutor);
	await page.goto('/author');
	await expectNoViolations(page);
	await page.goto('/author/scenarios');
	await expectNoViolations(page);

	const id = uniqueScenarioId('axe');
	await duplicateScenario(page, 'spouse-caller', id, `Accessible ${id}`);
	const editor = new ScenarioEditor(page);
	await editor.type(breakRule(await editor.text()));
	await expect(editor.problem(BROKEN_PATH)).toBeVisible();
	await expectNoViolations(page);
	await editor.save();

	await page.goto(`/author/scenarios/${id}/preview`);
	await expectNoViolations(page);
	await editor.goto(id);
	await editor.type((await editor.text()).replace('data.read.aloud', 'data.read.out'));
	await editor.save();
	await page.goto(`/author/scenarios/${id}/preview`);
	await page.getByRole('button', { name: 'Start a preview' }).click();
	await expect(page).toHaveURL(/\/preview\/[0-9a-f-]{36}$/);
	await waitForHydration(page);
	await expectNoViolations(page);

	await page.goto(`/author/scenarios/${id}`);
	await expectNoViolations(page);
});

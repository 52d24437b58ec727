import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { hostileScenario } from '../../src/lib/sim/hostile-scenarios';
import { ScenarioEditor, duplicateScenario, importScenarioFile, uniqueScenarioId } from './support/author';
import { addressHeaders, createOwnCentre, createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';

/**
 * The dialogue page (/author/scenarios/<id>/dialogue): the dialogue drawn as a graph whose nodes
 * are links, and the selected node's editor, writing the same draft the YAML view shows.
 */

const graph = (page: Page) => page.getByRole('group', { name: 'Nodes of the dialogue: choose one to edit it' });
const nodeLink = (page: Page, name: RegExp) => graph(page).getByRole('link', { name });

async function openDialogue(page: Page, id: string, node?: string) {
	await page.goto(`/author/scenarios/${id}/dialogue${node ? `?node=${node}` : ''}`);
	await waitForHydration(page);
}

test('a tutor selects a node on the graph by keyboard, edits it, adds a choice to a new node, links it back, and the YAML view shows it', async ({ page, tutor }) => {
	const id = uniqueScenarioId('dialogue');
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'spouse-caller', id, `Dialogue ${id}`);
	await page.getByRole('link', { name: 'See the dialogue as a graph and edit it with forms' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/dialogue$`));
	await waitForHydration(page);
	await expect(page.getByRole('heading', { name: 'Node opening' })).toBeVisible();
	await expect(nodeLink(page, /^Sarah Hughes: Hiya\. I'm ringing about my husband's account:.*, start, selected$/)).toBeVisible();

	// By keyboard: into the graph's region, then Tab along the nodes to the one wanted, and Enter.
	const target = nodeLink(page, /^Sarah Hughes: Hello\? Are you still there\?/);
	await page.getByRole('region', { name: 'Dialogue graph' }).focus();
	for (let i = 0; i < 40 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
	await expect(target).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\?node=authority-checked$/);
	await expect(page.getByRole('heading', { name: 'Node authority-checked' })).toBeVisible();
	await expect(nodeLink(page, /Hello\? Are you still there\?.*selected$/)).toBeVisible();

	// Its text.
	await page.getByRole('textbox', { name: 'What is said' }).fill('Hello? Are you still there, love? So what is the balance?');
	await page.getByRole('button', { name: 'Save node' }).click();
	await expect(page.locator('#node-status')).toHaveText('Node saved.');
	await expect(page.locator('#node-status')).toBeFocused();
	await expect(nodeLink(page, /^Sarah Hughes: Hello\? Are you still there, love\?/)).toBeVisible();

	// A new choice, to a new node: the new node has no choices yet, a problem the graph and the editor show.
	const add = page.getByRole('form', { name: 'Add a choice' });
	await add.getByLabel('What the learner says or does').fill('“Shall I ask Mr Hughes to call us?”');
	await expect(add.getByLabel('Goes to')).toHaveValue('(new node)');
	await add.getByLabel('How good a choice it is').selectOption('best');
	await add.getByLabel('Marking point it is judged under').selectOption('no-account-information-disclosed');
	await add.getByLabel('Feedback: why it is good or poor').fill('Offers a way forward without disclosing anything.');
	await add.getByRole('button', { name: 'Add choice' }).click();
	await expect(page.locator('#add-choice-status')).toHaveText('Choice saved.');
	await expect(page.locator('#add-choice-status')).toBeFocused();
	const fresh = nodeLink(page, /^Sarah Hughes: New node: write what is said here.*problems?$/);
	await expect(fresh).toBeVisible();
	await expect(page.getByRole('form', { name: 'Choice “Shall I ask Mr Hughes to call us?”' })).toBeVisible();

	await fresh.click();
	await expect(page).toHaveURL(/\?node=authority-checked-next$/);
	await expect(page.locator('#node-problems')).toContainText('No end can be reached from here');
	await expect(page.locator('#node-problems')).toContainText('a node needs `choices`');

	// Linking it back to the node before fixes both.
	await page.getByRole('textbox', { name: 'What is said' }).fill('Fine, I will ask him to ring you.');
	await page.getByRole('button', { name: 'Save node' }).click();
	await expect(page.locator('#node-status')).toHaveText('Node saved.');
	const back = page.getByRole('form', { name: 'Add a choice' });
	await back.getByLabel('What the learner says or does').fill('“Is there anything else?”');
	await back.getByLabel('Goes to').selectOption('authority-checked');
	await back.getByRole('button', { name: 'Add choice' }).click();
	await expect(page.locator('#add-choice-status')).toHaveText('Choice saved.');
	await expect(page.locator('#node-problems')).toHaveText('No problems at this node.');
	await expect(nodeLink(page, /^Sarah Hughes: Fine, I will ask him to ring you\., selected$/)).toBeVisible();
	await expect(page.locator('#dialogue-summary')).toContainText('No problems: this draft can be previewed and published.');

	// The YAML view edits the same draft.
	const editor = new ScenarioEditor(page);
	await editor.goto(id);
	const text = await editor.text();
	expect(text).toContain('text: Hello? Are you still there, love? So what is the balance?');
	expect(text).toContain('- id: authority-checked-next');
	expect(text).toContain('goto: authority-checked-next');
	expect(text).toContain('“Is there anything else?”');
	await expect(editor.status()).toContainText('No problems');
});

test('a node something leads to is not removed, and the page says what leads to it; without JavaScript the forms work', async ({ page, browser, tutor }) => {
	const id = uniqueScenarioId('dialogue-nojs');
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'spouse-caller', id, `Dialogue no script ${id}`);
	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders(), javaScriptEnabled: false, storageState: await page.context().storageState() });
	const plain = await context.newPage();
	await plain.goto(`/author/scenarios/${id}/dialogue?node=on-hold`);
	// What the forms do not edit is shown as written, and kept.
	await expect(plain.getByRole('definition').filter({ hasText: 'event: third-party.authority.checked' })).toBeVisible();
	await expect(plain.getByRole('term').filter({ hasText: 'Waits for' })).toBeVisible();
	await plain.getByRole('button', { name: 'Remove this node' }).click();
	await expect(plain.locator('#node-actions-status')).toContainText('Node on-hold cannot be removed while something leads to it: choice “Of course. Bear with me a moment while I bring the account up.” of node opening');

	// A choice refused for a missing marking point keeps what was typed.
	const add = plain.getByRole('form', { name: 'Add a choice' });
	await add.getByLabel('What the learner says or does').fill('“One moment.”');
	await add.getByLabel('How good a choice it is').selectOption('acceptable');
	await add.getByRole('button', { name: 'Add choice' }).click();
	const refused = plain.getByRole('form', { name: 'Add a choice' });
	await expect(refused.getByLabel('Marking point it is judged under')).toHaveAttribute('aria-invalid', 'true');
	await expect(refused.getByText('A choice with a quality is judged under a marking point: choose one.')).toBeVisible();
	await expect(refused.getByLabel('What the learner says or does')).toHaveValue('“One moment.”');
	await refused.getByLabel('Marking point it is judged under').selectOption('checked-authority-before-declining');
	await refused.getByRole('button', { name: 'Add choice' }).click();
	await expect(plain.locator('#add-choice-status')).toHaveText('Choice saved.');
	await expect(plain.getByRole('form', { name: 'Choice “One moment.”' })).toBeVisible();
	await context.close();
});

test('a node or goto posted by hand that does not exist, and a stale form, are refused and change nothing', async ({ page, browser, tutor }) => {
	const id = uniqueScenarioId('dialogue-bad');
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'spouse-caller', id, `Dialogue bad input ${id}`);
	await openDialogue(page, id);
	const updatedAt = await page.locator('input[name="updatedAt"]').first().inputValue();
	const draft = async () => (await page.request.get(`/author/scenarios/${id}/export?version=draft`)).text();
	const before = await draft();
	const origin = new URL(page.url()).origin;
	const post = (action: string, form: Record<string, string>) =>
		page.request.post(`/author/scenarios/${id}/dialogue?/${action}`, { form: { updatedAt, ...form }, headers: { origin, 'x-sveltekit-action': 'true', accept: 'application/json' } });

	// An action answers a script's post with the outcome as data: a failure with status 400.
	const ghost = await (await post('node', { form: 'node', node: 'no-such-node', speaker: '', text: 'Hello' })).json();
	expect(ghost).toMatchObject({ type: 'failure', status: 400 });
	expect(ghost.data).toContain('There is no node “no-such-node”');
	const nowhere = await (await post('addChoice', { form: 'add-choice', node: 'opening', label: 'Go', goto: 'nowhere', quality: '', point: '', comment: '', event: '' })).json();
	expect(nowhere).toMatchObject({ type: 'failure', status: 400 });
	expect(nowhere.data).toContain('There is no node “nowhere”');
	expect(await draft()).toBe(before);

	// Another tab saves first: the form drawn before is refused with the notice, and the page shows the draft as it is now.
	const other = await browser.newContext({ extraHTTPHeaders: addressHeaders(), storageState: await page.context().storageState() });
	const second = await other.newPage();
	await openDialogue(second, id);
	await second.getByRole('textbox', { name: 'What is said' }).fill('Changed in another tab.');
	await second.getByRole('button', { name: 'Save node' }).click();
	await expect(second.locator('#node-status')).toHaveText('Node saved.');
	await other.close();

	await page.getByRole('textbox', { name: 'What is said' }).fill('Changed here, too late.');
	await page.getByRole('button', { name: 'Save node' }).click();
	await expect(page.locator('#stale-notice')).toContainText('This draft was changed somewhere else');
	await expect(page.locator('#stale-notice')).toBeFocused();
	await expect(page.getByRole('textbox', { name: 'What is said' })).toHaveValue('Changed in another tab.');
	expect(await draft()).not.toContain('Changed here, too late.');
});

test('another centre’s tutor, and a built-in scenario, get “not found” from the dialogue page and its forms', async ({ page, browser, tutor }) => {
	const id = uniqueScenarioId('dialogue-centre');
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'spouse-caller', id, `Dialogue centre ${id}`);
	await openDialogue(page, id);
	const updatedAt = await page.locator('input[name="updatedAt"]').first().inputValue();
	const before = await (await page.request.get(`/author/scenarios/${id}/export?version=draft`)).text();

	const stranger = await newPageAsOwn(browser, await createOwnUser(['tutor'], 'other centre tutor', { organisationId: await createOwnCentre() }));
	expect((await stranger.goto(`/author/scenarios/${id}/dialogue`))?.status()).toBe(404);
	const origin = new URL(page.url()).origin;
	for (const action of ['node', 'choice', 'addChoice', 'removeChoice', 'removeNode', 'start']) {
		const response = await stranger.request.post(`/author/scenarios/${id}/dialogue?/${action}`, {
			form: { form: 'node', node: 'opening', choice: 'bring-up-account', updatedAt, speaker: '', text: 'Taken over', label: 'x', goto: 'opening' },
			headers: { origin, 'x-sveltekit-action': 'true', accept: 'application/json' }
		});
		expect(response.status(), action).toBe(404);
	}
	await stranger.context().close();
	expect(await (await page.request.get(`/author/scenarios/${id}/export?version=draft`)).text()).toBe(before);
	expect((await page.goto('/author/scenarios/spouse-caller/dialogue'))?.status()).toBe(404);
});

test('the dialogue page has no WCAG 2.2 A/AA violations, with a node with problems selected', async ({ page, tutor }) => {
	const id = uniqueScenarioId('dialogue-axe');
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'spouse-caller', id, `Dialogue axe ${id}`);
	await openDialogue(page, id, 'on-hold');
	const add = page.getByRole('form', { name: 'Add a choice' });
	await add.getByLabel('What the learner says or does').fill('Wait');
	await add.getByRole('button', { name: 'Add choice' }).click();
	await expect(page.locator('#add-choice-status')).toHaveText('Choice saved.');
	await openDialogue(page, id, 'on-hold-next');
	await expect(page.locator('#node-problems')).toContainText('No end can be reached');
	await expectNoViolations(page);
});

test('a 250 kB dialogue of 2,300 nodes shows the selected node’s neighbourhood and a paged list, and its choices can be edited', async ({ page, tutor }) => {
	test.setTimeout(180_000);
	await logInAsOwn(page, tutor);
	const id = uniqueScenarioId('dialogue-big');
	await importScenarioFile(page, `${id}.yaml`, hostileScenario('chain').source.replace(/^id: hostile-chain$/m, `id: ${id}`));
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/edit\\?imported=1`), { timeout: 60_000 });

	await openDialogue(page, id, 'n-2000');
	await expect(page.getByText('This dialogue has 2301 nodes: the graph shows the selected node and the nodes up to two steps before and after it.')).toBeVisible();
	await expect(graph(page).getByRole('link')).toHaveCount(5);
	await expect(page.getByText('2301 nodes, page 51 of 58.')).toBeVisible();
	const html = await (await page.request.get(`/author/scenarios/${id}/dialogue?node=n-2000`)).text();
	expect(html.length).toBeLessThan(150_000);

	// With this many nodes a choice's target is typed.
	const on = page.getByRole('form', { name: 'Choice “On.”' });
	await on.getByLabel('Goes to').fill('n-5');
	await on.getByRole('button', { name: 'Save choice' }).click();
	await expect(page.locator('#choice-on-status')).toHaveText('Choice saved.');
	await expect(page.locator('#node-problems')).toContainText('No end can be reached from here');

	// Finding a node by its id.
	await page.getByLabel('Find a node (by id, speaker or words)').fill('n-2299');
	await page.getByRole('button', { name: 'Find' }).click();
	await expect(page).toHaveURL(/q=n-2299/);
	await expect(page.getByText('1 node.', { exact: true })).toBeVisible();
	await page.getByRole('listitem').filter({ hasText: 'n-2299' }).getByRole('link').click();
	await expect(page.getByRole('heading', { name: 'Node n-2299' })).toBeVisible();
});

import { hostileScenario } from '../../src/lib/sim/hostile-scenarios';
import { expect, logInAsOwn, test } from './support/fixtures';
import { importScenarioFile, ScenarioEditor, uniqueScenarioId } from './support/author';

/**
 * Issue 13: a scenario file cannot hold the server. Its checks run in a worker thread, so other
 * clients are served while a 250 kB file of thousands of nodes is imported and checked, and the
 * editor shows such a dialogue a page at a time instead of sending megabytes.
 */

test('a tutor imports, checks and opens a 250 kB scenario of thousands of nodes while another client is served', async ({ page, playwright, baseURL, tutor }) => {
	test.setTimeout(180_000);
	await logInAsOwn(page, tutor);
	const id = uniqueScenarioId('big');
	const text = hostileScenario('chain').source.replace(/^id: hostile-chain$/m, `id: ${id}`);
	expect(Buffer.byteLength(text)).toBeGreaterThan(230 * 1024);

	// Another client loads the log-in page over and over while the tutor imports.
	const other = await playwright.request.newContext({ baseURL });
	const served: { end: number; status: number }[] = [];
	let importing = true;
	const loads = (async () => {
		while (importing) {
			const response = await other.get('/login');
			served.push({ end: Date.now(), status: response.status() });
		}
	})();

	const importStart = Date.now();
	await importScenarioFile(page, `${id}.yaml`, text);
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/edit\\?imported=1`), { timeout: 60_000 });
	const importEnd = Date.now();
	// A 10 MB body is refused before it is read, and costs the other client nothing either.
	const flood = await page.request.post('/author/scenarios/import', {
		// The Origin a browser sends with a form post (without it SvelteKit refuses the post as cross-site).
		headers: { origin: baseURL! },
		multipart: { file: { name: 'flood.yaml', mimeType: 'text/yaml', buffer: Buffer.alloc(10 * 1024 * 1024, 'a') } }
	});
	expect(flood.status()).toBe(413);
	importing = false;
	await loads;
	await other.dispose();

	expect(served.length).toBeGreaterThan(0);
	expect(served.every((s) => s.status === 200)).toBe(true);
	expect(served.some((s) => s.end > importStart && s.end < importEnd)).toBe(true);

	// The editor: a summary and one page of nodes, the draft fetched after the page, checked live.
	const editor = new ScenarioEditor(page);
	await expect(page.getByText('2301 nodes and 2300 choices')).toBeVisible();
	await expect(page.getByText(/Page 1 of 58/).first()).toBeVisible();
	await expect(editor.source()).toHaveValue(/id: n-2299\n/, { timeout: 30_000 });
	await expect(editor.status()).toContainText('No problems');
	const html = await (await page.request.get(`/author/scenarios/${id}/edit`)).text();
	expect(html.length).toBeLessThan(150_000);

	// Set in one input event: typing 250 kB key by key is not what is under test.
	const edited = (await editor.text()).replace('goto: n-6\n', 'goto: n-6x\n');
	await editor.source().evaluate((area, value) => {
		(area as HTMLTextAreaElement).value = value;
		area.dispatchEvent(new Event('input', { bubbles: true }));
	}, edited);
	await expect(editor.problem('dialogue.nodes[5].choices[0].goto')).toContainText('unknown node "n-6x"', { timeout: 30_000 });
	await expect(page.getByText(/1 link to a missing node/)).toBeVisible();

	// A link to a node on another page opens that page.
	await page.goto(`/author/scenarios/${id}/edit?node=n-2000`);
	await expect(page.locator('#node-n-2000')).toBeVisible();
	await expect(page.getByText(/Page 51 of 58/).first()).toBeVisible();
});

test('a scenario file over the limit on entries is refused with the limit named', async ({ page, tutor }) => {
	test.setTimeout(120_000);
	await logInAsOwn(page, tutor);
	const id = uniqueScenarioId('ids');
	await importScenarioFile(page, `${id}.yaml`, `id: ${id}\nnodes:\n${'  - id: a\n'.repeat(15_001)}`);
	await expect(page.getByRole('alert')).toContainText('cannot become a draft');
	await expect(page.locator('#problem-list')).toContainText('15002 entries with an id (dialogue nodes, choices, marking points); a scenario may have at most 15000');
});

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Browser, Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { endedAttempt, submitReflection } from './support/assessor';
import { e2eDatabasePath } from './support/fingerprint';
import { createOwnCohort, createOwnUser, expect, newPageAsOwn, test } from './support/fixtures';

/**
 * Portfolio PDFs (issue 6): the learner downloads an attempt and the whole portfolio, the files say
 * what happened, /verify recognises them and refuses a changed copy; nobody downloads evidence
 * that is not theirs to see. Issuing a document is a POST from the page's own form (issue 13): a
 * GET issues nothing, and one user has one document being made at a time.
 */

function pdfText(path: string): string {
	const run = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
	expect(run.status).toBe(0);
	return run.stdout;
}

async function download(page: Page, label: string | RegExp, scope = page.locator('main')): Promise<{ path: string; text: string }> {
	const saved = page.waitForEvent('download');
	await scope.getByRole('button', { name: label }).click();
	const file = await saved;
	const path = test.info().outputPath(file.suggestedFilename());
	await file.saveAs(path);
	return { path, text: pdfText(path) };
}

/** What the page's form sends: a form POST from the site's own origin. */
function askFor(page: Page, path: string, origin = new URL(page.url()).origin) {
	return page.request.post(path, { form: {}, headers: { origin, accept: 'application/pdf, application/json' }, maxRedirects: 0 });
}

/** A learner of the test's own (no other test downloads as them), logged in on a page of their own. */
async function ownLearner(browser: Browser, options: { javaScript?: boolean } = {}): Promise<{ page: Page; id: string; name: string }> {
	const account = await createOwnUser(['learner'], 'portfolio learner');
	const page = await newPageAsOwn(browser, account, account.home, options);
	return { page, id: account.id, name: account.name };
}

function documentsIssuedTo(learnerId: string): number {
	const db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
	try {
		return (db.prepare('SELECT count(*) AS n FROM portfolio_document WHERE learner_id = ?').get(learnerId) as { n: number }).n;
	} finally {
		db.close();
	}
}

async function verifyUpload(page: Page, path: string) {
	await page.goto('/verify');
	await waitForHydration(page);
	await page.getByLabel('PDF file').setInputFiles(path);
	await page.getByRole('button', { name: 'Check the file' }).click();
	return page.locator('#verify-result');
}

test('a learner downloads an attempt and the portfolio, and /verify recognises them and refuses a changed copy', async ({ browser }) => {
	// A learner of the test's own: one user has one document made at a time, and other tests download too.
	const { page, name } = await ownLearner(browser);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);

	await page.goto('/learn/portfolio');
	await waitForHydration(page);
	await expect(page.getByRole('heading', { level: 1, name: 'Portfolio' })).toBeVisible();
	const row = page.getByRole('listitem').filter({ has: page.locator(`form[action="/learn/portfolio/attempts/${attemptId}/download"]`) });
	const attempt = await download(page, 'Download attempt (PDF)', row);
	expect(attempt.text).toContain('Attempt evidence');
	expect(attempt.text).toContain(name);
	expect(attempt.text).toContain('I ended the call at once');
	expect(attempt.text).toMatch(/Page 1 of \d+/);
	// The built server found the shipped fonts (it runs from a copy of build/, with the project as its working directory).
	expect(spawnSync('pdffonts', [attempt.path], { encoding: 'utf8' }).stdout).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes/);
	await expect(row.getByRole('status')).toContainText(/Saved attempt-CUS-[0-9A-Z]{4}-[0-9A-Z]{4}\.pdf/);
	// The list of documents issued shows the new one without a reload.
	const issuedId = /custodian-document-id:(CUS-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(readFileSync(attempt.path).toString('latin1'))![1]!;
	const issued = page.getByRole('table', { name: /Documents issued to you/ });
	await expect(issued.getByRole('row', { name: new RegExp(issuedId) })).toContainText('One attempt');

	const portfolio = await download(page, 'Download the whole portfolio (PDF)');
	expect(portfolio.text).toContain('Portfolio of evidence');
	expect(portfolio.text).toContain('Criteria coverage');
	expect(portfolio.text).toContain('PC01');
	const portfolioId = /custodian-document-id:(CUS-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(readFileSync(portfolio.path).toString('latin1'))![1]!;
	await expect(issued.getByRole('row', { name: new RegExp(portfolioId) })).toContainText('Whole portfolio');
	await expect(issued.getByRole('row')).toHaveCount(3);

	const unchanged = await verifyUpload(page, attempt.path);
	await expect(unchanged).toContainText('Issued by this centre and unchanged');
	await expect(unchanged).not.toContainText(name);

	const bytes = readFileSync(attempt.path);
	const id = /custodian-document-id:(CUS-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(bytes.toString('latin1'))![1]!;
	const middle = Math.floor(bytes.length / 2);
	bytes[middle] = bytes[middle]! ^ 1;
	const changedPath = test.info().outputPath('changed.pdf');
	writeFileSync(changedPath, bytes);
	const changed = await verifyUpload(page, changedPath);
	await expect(changed).toContainText('Does not match');
	await expect(changed).toContainText(id);
});

test('the id and content hash printed on a document are accepted on /verify, and a wrong hash is refused', async ({ browser }) => {
	const { page } = await ownLearner(browser);
	const attemptId = await endedAttempt(page);
	const response = await askFor(page, `/learn/portfolio/attempts/${attemptId}/download`);
	expect(response.status()).toBe(200);
	const text = (await response.body()).toString('latin1');
	const [, id, hash] = /custodian-document-id:(CUS-[0-9A-Z]{4}-[0-9A-Z]{4}) content-sha256:([0-9a-f]{64})/.exec(text)!;

	await page.goto('/verify');
	await waitForHydration(page);
	await page.getByLabel('Document id').fill(id!);
	await page.getByLabel('Content SHA-256').fill(hash!);
	await page.getByRole('button', { name: 'Check the id and hash' }).click();
	await expect(page.locator('#verify-result')).toContainText('Issued by this centre and unchanged');

	await page.getByLabel('Content SHA-256').fill('0'.repeat(64));
	await page.getByRole('button', { name: 'Check the id and hash' }).click();
	await expect(page.locator('#verify-result')).toContainText('Does not match');

	await page.getByLabel('Document id').fill('not an id');
	await page.getByRole('button', { name: 'Check the id and hash' }).click();
	await expect(page.getByText('Enter the document id as printed on the document')).toBeVisible();
	await expect(page.getByLabel('Document id')).toHaveValue('not an id');
});

test('an assessor downloads only the portfolios of learners they assess; a learner only their own attempts', async ({ browser, learner, assessor, tutor }) => {
	// The learner is in a cohort `assessor` assesses; another assessor of the test's own assesses none.
	await createOwnCohort(tutor, { learners: [learner], assessors: [assessor] });
	const ola = await newPageAsOwn(browser, learner);
	const olaAttempt = await endedAttempt(ola);

	const sam = await newPageAsOwn(browser, assessor, '/assess/learners');
	await sam.getByRole('link', { name: learner.name }).click();
	await expect(sam).toHaveURL(`/assess/learners/${learner.id}`);
	await sam.goto(`/assess/learners/${learner.id}/portfolio`);
	await waitForHydration(sam);
	const fromSam = await download(sam, 'Download the portfolio (PDF)');
	expect(fromSam.text).toContain(learner.name);

	const gareth = await newPageAsOwn(browser, await createOwnUser(['assessor'], 'other assessor'));
	expect((await askFor(gareth, `/assess/learners/${learner.id}/portfolio/download`)).status()).toBe(404);
	expect((await gareth.goto(`/assess/learners/${learner.id}/portfolio`))!.status()).toBe(404);

	const amira = await newPageAsOwn(browser, await createOwnUser(['learner'], 'other learner'));
	expect((await askFor(amira, `/learn/portfolio/attempts/${olaAttempt}/download`)).status()).toBe(404);
	expect((await askFor(amira, `/learn/portfolio/attempts/not-a-real-id/download`)).status()).toBe(404);
	for (const p of [ola, sam, gareth, amira]) await p.context().close();
});

test('a file over the upload limit is refused with a message, with or without JavaScript', async ({ page }) => {
	// Over the 4 MB body limit the e2e server runs with (scripts/e2e-server.js, as npm start does).
	const big = Buffer.alloc(5 * 1024 * 1024, 0x25);
	const path = test.info().outputPath('big.pdf');
	writeFileSync(path, big);
	await page.goto('/verify');
	await waitForHydration(page);
	await page.getByLabel('PDF file').setInputFiles(path);
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByText('That file is larger than this server accepts')).toBeVisible();

	const direct = await page.request
		.post('/verify?/upload', { multipart: { file: { name: 'big.pdf', mimeType: 'application/pdf', buffer: big } }, maxRedirects: 0 })
		.then((r) => r.status())
		.catch((error: Error) => (/ECONNRESET|EPIPE|socket hang up/.test(error.message) ? 413 : Promise.reject(error)));
	expect(direct).toBeGreaterThanOrEqual(400);
	expect(direct).toBeLessThan(500);
});

test('the portfolio and verify pages have no WCAG 2.2 A/AA violations, also with results and errors shown', async ({ browser }) => {
	const { page } = await ownLearner(browser);
	const attemptId = await endedAttempt(page);
	await page.goto('/learn/portfolio');
	await waitForHydration(page);
	const row = page.getByRole('listitem').filter({ has: page.locator(`form[action="/learn/portfolio/attempts/${attemptId}/download"]`) });
	const attempt = await download(page, 'Download attempt (PDF)', row);
	await expectNoViolations(page);

	await verifyUpload(page, attempt.path);
	await expect(page.locator('#verify-result')).toContainText('Issued by this centre and unchanged');
	await expectNoViolations(page);
	await page.getByLabel('Document id').fill('nonsense');
	await page.getByRole('button', { name: 'Check the id and hash' }).click();
	await expect(page.getByText('Enter the document id as printed')).toBeVisible();
	await expectNoViolations(page);
});

test('without JavaScript the download button still downloads the portfolio, which is then listed', async ({ browser }) => {
	const { page, id } = await ownLearner(browser, { javaScript: false });
	await page.goto('/learn/portfolio');
	const portfolio = await download(page, 'Download the whole portfolio (PDF)');
	expect(portfolio.text).toContain('Portfolio of evidence');
	expect(documentsIssuedTo(id)).toBe(1);
	await page.reload();
	await expect(page.getByRole('table')).toContainText(/CUS-[0-9A-Z]{4}-[0-9A-Z]{4}/);
});

test('a GET of a download address issues nothing and sends the learner back to the page; a POST from another site is refused', async ({ browser }) => {
	const { page, id } = await ownLearner(browser);
	const get = await page.request.get('/learn/portfolio/download', { maxRedirects: 0 });
	expect(get.status()).toBe(303);
	expect(get.headers()['location']).toBe('/learn/portfolio');
	await page.goto('/learn/portfolio/download');
	await expect(page).toHaveURL('/learn/portfolio');
	const forged = await page.request.post('/learn/portfolio/download', { data: 'x', headers: { origin: 'https://elsewhere.example', 'content-type': 'application/octet-stream' } });
	expect(forged.status()).toBe(403);
	expect(documentsIssuedTo(id)).toBe(0);

	expect((await askFor(page, '/learn/portfolio/download')).status()).toBe(200);
	expect(documentsIssuedTo(id)).toBe(1);
});

test('a second download by the same user while the first is being made is refused with a message', async ({ browser }) => {
	const { page, id } = await ownLearner(browser);
	await endedAttempt(page);
	// From the page, both at once, as a double click on a form without JavaScript would send them.
	const [first, second] = await page.evaluate(async () => {
		const ask = async () => {
			const response = await fetch('/learn/portfolio/download', { method: 'POST', body: new URLSearchParams(), headers: { accept: 'application/pdf, application/json' } });
			return { status: response.status, body: response.status === 200 ? '' : await response.text() };
		};
		return (await Promise.all([ask(), ask()])).sort((a, b) => a.status - b.status);
	});
	expect(first.status).toBe(200);
	expect(second.status).toBe(429);
	expect(JSON.parse(second.body).message).toContain('Your previous document is still being made');
	expect(documentsIssuedTo(id)).toBe(1);
	// Once the first is done, the next is made.
	expect((await askFor(page, '/learn/portfolio/download')).status()).toBe(200);
});

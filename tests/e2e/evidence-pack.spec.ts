import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { e2eDatabasePath } from './support/fingerprint';
import { createOwnCentre, createOwnCohort, createOwnUser, expect, newPageAsOwn, test } from './support/fixtures';

/**
 * The evidence pack (issue 17, item 6): a learner with a signed-off attempt and a witness testimony
 * downloads one ZIP holding the portfolio PDF, the testimony, a location sheet and a manifest of
 * every file's SHA-256; /verify recognises it and names a file that was swapped; an assessor who
 * does not assess the learner gets 404.
 */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function askFor(page: Page, path: string) {
	return page.request.post(path, { form: {}, headers: { origin: new URL(page.url()).origin, accept: 'application/zip, application/json' }, maxRedirects: 0 });
}

async function verifyUpload(page: Page, path: string) {
	await page.goto('/verify');
	await waitForHydration(page);
	await page.getByLabel('PDF file').setInputFiles(path);
	await page.getByRole('button', { name: 'Check the file' }).click();
	return page.locator('#verify-result');
}

interface ManifestFile {
	path: string;
	sha256: string;
	bytes: number;
	criteria: string[];
}

test('a learner downloads their evidence pack; its files match the manifest; /verify recognises it and names a swapped file', async ({ browser, tutor }) => {
	const learner = await createOwnUser(['learner'], 'pack learner');
	const assessor = await createOwnUser(['assessor'], 'pack assessor');
	await createOwnCohort(tutor, { learners: [learner], assessors: [assessor] }, ['spouse-caller']);

	// A signed-off attempt.
	const page = await newPageAsOwn(browser, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const assessorPage = await newPageAsOwn(browser, assessor);
	const review = new ReviewPage(assessorPage);
	await review.goto(attemptId);
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(assessor.name);
	await expect(assessorPage.getByRole('status')).toContainText('Decision 1 signed');

	// A witness testimony, whose witness's name holds path characters.
	await page.goto('/learn/evidence');
	await waitForHydration(page);
	const witness = `Dafydd Ap Rhys/../../etc ${Date.now()}`;
	await page.getByLabel('Witness’s name').fill(witness);
	await page.getByLabel('Witness’s job title or role').fill('Customer service team leader');
	await page.getByLabel('How they know the learner').fill('Line manager');
	await page.getByLabel('Witness’s telephone or e-mail').fill('01632 960 001');
	await page.getByLabel('Name the witness signed with').fill('Dafydd Ap Rhys');
	await page.getByLabel('Date the witness signed').fill('2026-01-16');
	await page.getByLabel('The witness is not a relative or partner of the learner').check();
	await page.getByLabel('Date of the work witnessed').fill('2026-01-15');
	await page.getByLabel('The witness’s statement').fill('I saw the learner refuse to confirm a customer’s details to a caller who could not pass security.');
	await page.getByRole('checkbox', { name: /PC02/ }).check();
	await page.getByRole('button', { name: 'Record the testimony' }).click();
	await expect(page.getByRole('status')).toContainText('Witness testimony from');

	// The download, from the portfolio page's button.
	await page.goto('/learn/portfolio');
	await waitForHydration(page);
	const saved = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download the evidence pack (ZIP)' }).click();
	const file = await saved;
	expect(file.suggestedFilename()).toMatch(/^evidence-pack-CUS-[0-9A-Z]{4}-[0-9A-Z]{4}\.zip$/);
	const zipPath = test.info().outputPath(file.suggestedFilename());
	await file.saveAs(zipPath);
	const zipBytes = readFileSync(zipPath);
	const files = unzipSync(new Uint8Array(zipBytes));

	const paths = Object.keys(files);
	const testimonyPath = paths.find((p) => p.startsWith('evidence/01 Witness testimony'))!;
	expect(testimonyPath).toBeDefined();
	expect(testimonyPath.split('/')).toHaveLength(2);
	expect(testimonyPath).not.toContain('..');
	expect(testimonyPath).toContain('2026-01-15');
	expect(strFromU8(files[testimonyPath]!)).toContain(witness);
	expect(paths.sort()).toEqual(['evidence-location.csv', testimonyPath, 'manifest.json', 'portfolio.pdf'].sort());

	// The PDF is the learner's portfolio.
	const pdfPath = test.info().outputPath('portfolio.pdf');
	writeFileSync(pdfPath, files['portfolio.pdf']!);
	const pdf = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
	expect(pdf.status).toBe(0);
	expect(pdf.stdout).toContain('Portfolio of evidence');
	expect(pdf.stdout).toContain(learner.name);

	// The manifest: every file's hash and length, the decision's signature, under its own hash, as recorded.
	const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { packId: string; manifestHash: string; files: ManifestFile[]; decisions: { signatureHash: string }[]; learner: { name: string } };
	expect(manifest.learner.name).toBe(learner.name);
	expect(manifest.files.map((f) => f.path).sort()).toEqual(paths.filter((p) => p !== 'manifest.json').sort());
	for (const f of manifest.files) {
		expect(f.sha256, f.path).toBe(sha256(files[f.path]!));
		expect(f.bytes, f.path).toBe(files[f.path]!.byteLength);
	}
	expect(manifest.files.find((f) => f.path === testimonyPath)!.criteria).toEqual(['PC02']);
	expect(manifest.decisions).toHaveLength(1);
	const db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
	try {
		const row = db.prepare('SELECT kind, content_hash AS contentHash, file_hash AS fileHash, byte_length AS byteLength FROM portfolio_document WHERE id = ?').get(manifest.packId);
		expect(row).toEqual({ kind: 'evidence-pack', contentHash: manifest.manifestHash, fileHash: sha256(zipBytes), byteLength: zipBytes.length });
		const signature = db.prepare('SELECT signature_hash AS hash FROM assessment_decision WHERE attempt_id = ?').get(attemptId) as { hash: string };
		expect(manifest.decisions[0]!.signatureHash).toBe(signature.hash);
	} finally {
		db.close();
	}

	// The location sheet: the testimony under PC02, the attempt (in the PDF) with its signature.
	const sheet = strFromU8(files['evidence-location.csv']!).split('\r\n');
	expect(sheet[0]).toContain('"Where in this pack"');
	expect(sheet.some((line) => line.startsWith('"PC02"') && line.includes(`"${testimonyPath}"`))).toBe(true);
	expect(sheet.some((line) => line.includes('"portfolio.pdf, attempt 1 of 1"') && line.includes(manifest.decisions[0]!.signatureHash))).toBe(true);

	// /verify recognises the pack and says what it is.
	const recognised = await verifyUpload(page, zipPath);
	await expect(recognised).toContainText('An evidence pack issued by this centre, unchanged');
	await expect(recognised).toContainText(learner.name);
	await expect(recognised).toContainText(testimonyPath);
	await expectNoViolations(page);

	// A copy with the testimony swapped is refused, naming the file.
	const tampered = zipSync({ ...files, [testimonyPath]: strToU8('I saw nothing at all.') });
	const tamperedPath = test.info().outputPath('tampered.zip');
	writeFileSync(tamperedPath, tampered);
	const refused = await verifyUpload(page, tamperedPath);
	await expect(refused).toContainText('Files in this pack have been changed');
	await expect(refused).toContainText(testimonyPath);
	await expectNoViolations(page);

	// A copy whose manifest was edited is not ours.
	const edited = zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify({ ...manifest, learner: { name: 'Someone Else' } })) });
	const editedPath = test.info().outputPath('edited.zip');
	writeFileSync(editedPath, edited);
	await expect(await verifyUpload(page, editedPath)).toContainText('Not an evidence pack of this centre');

	// A zip bomb is refused, saying which limit it hit.
	const bombPath = test.info().outputPath('bomb.zip');
	writeFileSync(bombPath, zipSync({ 'zeros.bin': new Uint8Array(32 * 1024 * 1024) }));
	await verifyUpload(page, bombPath);
	await expect(page.locator('#file-error')).toContainText('zip bomb');
	await expectNoViolations(page);

	// Their assessor may download it; an assessor of another cohort is told there is no such learner.
	await assessorPage.goto(`/assess/learners/${learner.id}`);
	await waitForHydration(assessorPage);
	await expect(assessorPage.getByRole('button', { name: 'Download the evidence pack (ZIP)' })).toBeVisible();
	const fromAssessor = await askFor(assessorPage, `/assess/learners/${learner.id}/portfolio/pack`);
	expect(fromAssessor.status()).toBe(200);
	expect(fromAssessor.headers()['content-type']).toBe('application/zip');
	const other = await newPageAsOwn(browser, await createOwnUser(['assessor'], 'other cohort assessor'));
	expect((await askFor(other, `/assess/learners/${learner.id}/portfolio/pack`)).status()).toBe(404);
	// A GET issues nothing.
	const get = await page.request.get('/learn/portfolio/pack', { maxRedirects: 0 });
	expect(get.status()).toBe(303);
	for (const p of [page, assessorPage, other]) await p.context().close();
});

test('the centre’s administrator and IQA may download a learner’s pack; another centre’s, or for a non-learner, is not found', async ({ browser }) => {
	const learner = await createOwnUser(['learner'], 'pack learner');
	const tutor = await createOwnUser(['tutor'], 'pack tutor');
	const admin = await newPageAsOwn(browser, await createOwnUser(['admin'], 'pack admin'), `/admin/users/${learner.id}`);
	await waitForHydration(admin);
	const saved = admin.waitForEvent('download');
	await expectNoViolations(admin);
	await admin.getByRole('button', { name: 'Download the evidence pack (ZIP)' }).click();
	const files = unzipSync(new Uint8Array(readFileSync(await (await saved).path())));
	expect(Object.keys(files)).toContain('manifest.json');
	expect((await askFor(admin, `/admin/users/${tutor.id}/pack`)).status()).toBe(404);

	const iqa = await newPageAsOwn(browser, await createOwnUser(['iqa'], 'pack iqa'));
	const fromIqa = await askFor(iqa, `/iqa/learners/${learner.id}/pack`);
	expect(fromIqa.status()).toBe(200);
	expect(fromIqa.headers()['content-type']).toBe('application/zip');

	const elsewhere = await createOwnCentre();
	const otherAdmin = await newPageAsOwn(browser, await createOwnUser(['admin'], 'other centre admin', { organisationId: elsewhere }));
	expect((await askFor(otherAdmin, `/admin/users/${learner.id}/pack`)).status()).toBe(404);
	const otherIqa = await newPageAsOwn(browser, await createOwnUser(['iqa'], 'other centre iqa', { organisationId: elsewhere }));
	expect((await askFor(otherIqa, `/iqa/learners/${learner.id}/pack`)).status()).toBe(404);
	for (const p of [admin, iqa, otherAdmin, otherIqa]) await p.context().close();
});

test('the IQA lists the centre’s learners with their cohorts and standing, and downloads a learner’s pack from the list', async ({ browser }) => {
	// A centre of its own, so the list holds exactly the learners this test makes.
	const centre = await createOwnCentre();
	const tutor = await createOwnUser(['tutor'], 'list tutor', { organisationId: centre });
	const learner = await createOwnUser(['learner'], 'listed learner', { organisationId: centre });
	const cohort = await createOwnCohort(tutor, { learners: [learner] });
	const iqa = await newPageAsOwn(browser, await createOwnUser(['iqa'], 'list iqa', { organisationId: centre }), '/iqa/learners');
	await waitForHydration(iqa);
	await expect(iqa.getByRole('heading', { level: 1 })).toHaveText('Learners');
	const rows = iqa.getByRole('region', { name: 'The centre’s learners' }).locator('tbody tr');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText(learner.name);
	await expect(rows.first()).toContainText(cohort.name);
	await expect(rows.first()).toContainText('In training');
	await expectNoViolations(iqa);
	const saved = iqa.waitForEvent('download');
	await iqa.getByRole('button', { name: `Download ${learner.name}’s evidence pack (ZIP)` }).click();
	const files = unzipSync(new Uint8Array(readFileSync(await (await saved).path())));
	expect(Object.keys(files)).toContain('manifest.json');
	await iqa.context().close();
});

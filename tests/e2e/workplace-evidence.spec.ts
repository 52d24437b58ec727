import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import exifr from 'exifr';
import type { Page } from '@playwright/test';
import { docxWithNestedArchive, jpegWithGps, pdfOf, windowsProgram } from '../../src/lib/server/uploads/testing';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { e2eDatabasePath } from './support/fingerprint';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, newPageAsOwn, requestContextAsOwn, test } from './support/fixtures';

/**
 * A learner's workplace evidence (issue 17, item 5): a photo of a form with a STAR account, the
 * criteria claimed and the authenticity declaration, submitted and then read-only; the photo kept
 * without its GPS location; an upload that loses its connection half-way and carries on; a file
 * refused in words; who may download a stored file.
 */

const uploadDir = () => `tests/.artifacts/uploads-${process.env.E2E_PORT}`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface StoredRow {
	id: string;
	storage_key: string;
	state: string;
	sha256: string | null;
	metadata_removed: string;
	file_name: string;
	refusal: string;
}

function uploadsOf(ownerId: string): StoredRow[] {
	const db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
	try {
		return db.prepare('SELECT id, storage_key, state, sha256, metadata_removed, file_name, refusal FROM upload WHERE owner_id = ? ORDER BY created_at').all(ownerId) as StoredRow[];
	} finally {
		db.close();
	}
}

/** Starts a piece of evidence from the list and lands on its page. */
async function startEvidence(page: Page, title: string): Promise<string> {
	await page.goto('/learn/evidence');
	await waitForHydration(page);
	await page.getByRole('link', { name: 'Add workplace evidence' }).click();
	await expect(page).toHaveURL(/\/learn\/evidence\/new$/);
	// Typed before the page hydrates, a field can be reset by hydration.
	await waitForHydration(page);
	await page.getByLabel('Title').fill(title);
	await page.getByRole('button', { name: 'Start' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await waitForHydration(page);
	return page.url().split('/').pop()!;
}

function addFile(page: Page, name: string, mimeType: string, bytes: Uint8Array) {
	return page.getByLabel('Add files').setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
}

test('a learner submits a photo of a form with a STAR account and the declaration; the photo is kept without its GPS location', async ({ page, learner }) => {
	await logInAsOwn(page, learner, '/learn/evidence');
	await expect(page.getByRole('heading', { name: 'Workplace evidence' })).toBeVisible();
	await startEvidence(page, 'Updating a customer’s address');

	await page.getByLabel('Situation').fill('A customer rang to say she had moved house.');
	await page.getByLabel('Task', { exact: true }).fill('Update her record without letting anyone else change it.');
	await page.getByLabel('Action', { exact: true }).fill('I checked her identity with two security questions, then changed the address on the form in the photo.');
	await page.getByLabel('Result', { exact: true }).fill('Her letters go to the new address, and the record shows who changed it.');
	await page.getByRole('checkbox', { name: /PC01/ }).check();

	const photo = jpegWithGps();
	expect(await exifr.gps(Buffer.from(photo)), 'the test photo has a location to remove').toMatchObject({ latitude: 51.5 });
	await addFile(page, 'address-form.jpg', 'image/jpeg', photo);
	await expect(page.getByRole('link', { name: 'address-form.jpg' })).toBeVisible();
	await expect(page.getByText('Removed before it was kept: GPS location')).toBeVisible();
	await expectNoViolations(page);

	// Submitting without the declaration is refused, next to the checkbox, and keeps what was typed.
	await page.getByRole('button', { name: 'Submit', exact: true }).click();
	await expect(page.locator('#declared-error')).toHaveText('Confirm that this is your own work before you submit.');
	await expect(page.getByLabel('Situation')).toHaveValue('A customer rang to say she had moved house.');

	await page.getByRole('checkbox', { name: /This is my own work/ }).check();
	await page.getByRole('button', { name: 'Submit', exact: true }).click();
	await expect(page.getByText(/Submitted on/)).toBeVisible();
	await expect(page.getByRole('textbox')).toHaveCount(0);
	await expect(page.getByRole('button', { name: /Remove/ })).toHaveCount(0);
	await expect(page.getByText('“This is my own work.')).toBeVisible();
	await expectNoViolations(page);

	const [stored] = uploadsOf(learner.id);
	expect(stored).toMatchObject({ state: 'stored', file_name: 'address-form.jpg' });
	expect(stored!.metadata_removed).toContain('GPS location');
	const onDisk = readFileSync(join(uploadDir(), stored!.storage_key));
	expect(await exifr.gps(onDisk)).toBeUndefined();
	expect(stored!.sha256).toBe(sha256(onDisk));

	// Served as the image it is, inline, sandboxed, and without its location.
	const served = await page.request.get(`/uploads/${stored!.id}/file`);
	expect(served.status()).toBe(200);
	expect(served.headers()['content-type']).toBe('image/jpeg');
	expect(served.headers()['content-disposition']).toMatch(/^inline; filename="address-form.jpg"/);
	expect(served.headers()['content-security-policy']).toContain('sandbox');
	expect(served.headers()['x-content-type-options']).toBe('nosniff');
	expect(await exifr.gps(await served.body())).toBeUndefined();

	await page.goto('/learn/evidence');
	await expect(page.getByRole('listitem').filter({ hasText: 'Updating a customer’s address' })).toContainText('Submitted');
	await expectNoViolations(page);
});

test('an upload whose connection drops half-way carries on from where it stopped', async ({ page, learner }) => {
	await logInAsOwn(page, learner, '/learn/evidence');
	await startEvidence(page, 'Shift log');
	const log = pdfOf(5 * 1024 * 1024 + 12345);
	let dropped = 0;
	await page.route('**/learn/uploads/*', async (route) => {
		const request = route.request();
		// The second piece's connection is cut, once, as a train going into a tunnel would.
		if (request.method() === 'PATCH' && request.headers()['upload-offset'] !== '0' && dropped === 0) {
			dropped++;
			await route.abort('connectionreset');
			return;
		}
		await route.continue();
	});
	await addFile(page, 'shift-log.pdf', 'application/pdf', log);
	await expect(page.getByRole('link', { name: 'shift-log.pdf' })).toBeVisible();
	expect(dropped).toBe(1);
	const [stored] = uploadsOf(learner.id);
	expect(stored).toMatchObject({ state: 'stored', sha256: sha256(log) });
	expect(sha256(readFileSync(join(uploadDir(), stored!.storage_key)))).toBe(sha256(log));
});

test('an upload that keeps losing its connection stops and asks for Retry, which carries on from where it stopped', async ({ page, learner }) => {
	await logInAsOwn(page, learner, '/learn/evidence');
	await startEvidence(page, 'Night shift handover');
	const notes = pdfOf(3 * 1024 * 1024);
	// Every piece after the first is cut off until the learner is asked to retry.
	let offline = true;
	let cut = 0;
	await page.route('**/learn/uploads/*', async (route) => {
		const request = route.request();
		if (offline && request.method() === 'PATCH' && request.headers()['upload-offset'] !== '0') {
			cut++;
			await route.abort('internetdisconnected');
			return;
		}
		await route.continue();
	});
	await addFile(page, 'handover.pdf', 'application/pdf', notes);
	await expect(page.getByText(/The connection dropped and the upload stopped/)).toBeVisible({ timeout: 15_000 });
	expect(cut).toBe(5);
	offline = false;
	await page.getByRole('button', { name: 'Retry' }).click();
	await expect(page.getByRole('link', { name: 'handover.pdf' })).toBeVisible();
	const [stored] = uploadsOf(learner.id);
	expect(stored).toMatchObject({ state: 'stored', sha256: sha256(notes) });
});

test('an upload is paused while a piece is on its way, and resumed from where the server says it is', async ({ page, learner }) => {
	await logInAsOwn(page, learner, '/learn/evidence');
	await startEvidence(page, 'Team meeting recording');
	const recording = pdfOf(4 * 1024 * 1024 + 777);
	// The second piece is held on its way until the learner has pressed Pause.
	let held: () => void = () => {};
	const holding = new Promise<void>((resolve) => (held = resolve));
	let pausedOnce = false;
	let release: () => void = () => {};
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/learn/uploads/*', async (route) => {
		const request = route.request();
		if (request.method() === 'PATCH' && request.headers()['upload-offset'] !== '0' && !pausedOnce) {
			pausedOnce = true;
			held();
			await released;
			await route.abort('aborted').catch(() => undefined);
			return;
		}
		await route.continue();
	});
	await addFile(page, 'meeting.pdf', 'application/pdf', recording);
	await holding;
	await page.getByRole('button', { name: 'Pause' }).click();
	await expect(page.getByText(/^Paused: /)).toBeVisible();
	release();
	await page.getByRole('button', { name: 'Resume' }).click();
	await expect(page.getByRole('link', { name: 'meeting.pdf' })).toBeVisible();
	const [stored] = uploadsOf(learner.id);
	expect(stored).toMatchObject({ state: 'stored', sha256: sha256(recording) });
});

test('a file that is not what its name says, or holds another archive, is refused in words and nothing of it is kept', async ({ page, learner }) => {
	await logInAsOwn(page, learner, '/learn/evidence');
	await startEvidence(page, 'Holiday cover');
	await addFile(page, 'holiday.jpg', 'image/jpeg', windowsProgram());
	await expect(page.getByText(/Not accepted: This file is a program or a script/)).toBeVisible();
	await addFile(page, 'rota.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docxWithNestedArchive());
	await expect(page.getByText(/Not accepted: This document has another archive inside it/)).toBeVisible();
	const rows = uploadsOf(learner.id);
	expect(rows.map((r) => r.state)).toEqual(['refused', 'refused']);
	for (const row of rows) expect(() => readFileSync(join(uploadDir(), row.storage_key))).toThrow();
	// Removing a refused file from the draft.
	await page.getByRole('button', { name: 'Remove holiday.jpg' }).click();
	await expect(page.getByText('holiday.jpg was removed.')).toBeVisible();
});

test('without JavaScript the account is saved, and the file part says it needs JavaScript', async ({ browser, learner }) => {
	const page = await newPageAsOwn(browser, learner, '/learn/evidence/new', { javaScript: false });
	await page.getByLabel('Title').fill('Answering a records request');
	await page.getByRole('button', { name: 'Start' }).click();
	await page.getByLabel('Situation').fill('A customer asked for a copy of their records at the counter.');
	await page.getByRole('button', { name: 'Save draft' }).click();
	await expect(page.getByText(/Draft saved at/)).toBeVisible();
	await expect(page.getByLabel('Situation')).toHaveValue('A customer asked for a copy of their records at the counter.');
	await expect(page.getByText('Adding files needs JavaScript')).toBeVisible();
	await page.context().close();
});

test('a stored file is for its owner, their assessor and the centre’s IQA, and nobody of another centre', async ({ page, learner, assessor, cohort }) => {
	expect(cohort.id).toBeTruthy();
	await logInAsOwn(page, learner, '/learn/evidence');
	await startEvidence(page, 'Call notes');
	await addFile(page, 'call-notes.pdf', 'application/pdf', pdfOf(4000));
	await expect(page.getByRole('link', { name: 'call-notes.pdf' })).toBeVisible();
	const [stored] = uploadsOf(learner.id);
	const path = `/uploads/${stored!.id}/file`;

	const iqa = await createOwnUser(['iqa'], 'upload iqa');
	const otherLearner = await createOwnUser(['learner'], 'upload other learner');
	const otherAssessor = await createOwnUser(['assessor'], 'upload other assessor');
	const elsewhere = await createOwnUser(['admin'], 'upload elsewhere admin', { organisationId: await createOwnCentre() });
	for (const [who, person, status] of [
		['their assessor', assessor, 200],
		['the centre’s IQA', iqa, 200],
		['another learner', otherLearner, 404],
		['an assessor of other cohorts', otherAssessor, 404],
		['an administrator of another centre', elsewhere, 404]
	] as const) {
		const client = await requestContextAsOwn(person);
		const response = await client.get(path, { maxRedirects: 0 });
		expect(response.status(), who).toBe(status);
		if (status === 200) expect(response.headers()['content-disposition'], who).toMatch(/^inline; filename="call-notes.pdf"/);
		await client.dispose();
	}

	// Another learner can neither learn how far it got, add to it, nor delete it.
	const other = await requestContextAsOwn(otherLearner);
	const tus = { 'Tus-Resumable': '1.0.0' };
	expect((await other.head(`/learn/uploads/${stored!.id}`, { headers: tus })).status()).toBe(404);
	expect((await other.get(`/learn/uploads/${stored!.id}`, { headers: tus })).status()).toBe(404);
	const patched = await other.patch(`/learn/uploads/${stored!.id}`, { headers: { ...tus, 'Upload-Offset': '4000', 'Content-Type': 'application/offset+octet-stream' }, data: Buffer.from('more') });
	expect(patched.status()).toBe(404);
	expect((await other.delete(`/learn/uploads/${stored!.id}`, { headers: tus })).status()).toBe(404);
	await other.dispose();
	expect(uploadsOf(learner.id)).toMatchObject([{ id: stored!.id, state: 'stored', sha256: stored!.sha256 }]);
	expect(readFileSync(join(uploadDir(), stored!.storage_key)).byteLength).toBe(4000);
});

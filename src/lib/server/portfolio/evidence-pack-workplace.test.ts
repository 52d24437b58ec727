import { dbGet, dbRun } from '$lib/core/database';
import { PACK_FILE_MAX_BYTES } from '$lib/server/workplace/portfolio';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { user } from '$lib/server/db/schema';
import { upload, UPLOAD_STORAGE_KINDS, type UploadStorageKind } from '$lib/server/db/evidence';
import { storageOf } from '$lib/server/uploads/stores';
import { iqaSample } from '$lib/server/db/quality';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { emptyRoundValues, signRound, startSampling, type RoundValues } from '$lib/server/iqa/samples';
import { actorFor } from '$lib/server/iqa/testing';
import type { SampleSnapshot } from '$lib/server/iqa/snapshots';
import { countersignWorkplaceDecision, signWorkplaceDecision } from '$lib/server/workplace/signing';
import { submittedWorkplaceEvidence, testPng } from '$lib/server/workplace/testing';
import { verifyPack as verifyPackOffThread } from './evidence-pack-check';
import { issueEvidencePack, manifestHashOf, type Manifest, type PackFile } from './evidence-pack';
import { openArchive, verifyPack } from './evidence-pack-check';

const f = assessmentFixture();
const dir = mkdtempSync(join(tmpdir(), 'custodian-workplace-pack-'));
const uploads = join(dir, 'uploads');
const previousUploadDir = process.env.UPLOAD_DIR;
afterAll(() => {
	if (previousUploadDir === undefined) delete process.env.UPLOAD_DIR;
	else process.env.UPLOAD_DIR = previousUploadDir;
	rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
	process.env.UPLOAD_DIR = uploads;
});

const TITLE = 'The completed identity check form';
const png = testPng(120, 80);
const notes = strToU8('%PDF-1.4 the call notes');
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
/** Zipped on this thread: the worker's own path is the evidence pack's other test. */
const zip = async (files: PackFile[]) => zipSync(Object.fromEntries(files.map((file) => [file.path, file.bytes])));

/** What the storage holds of an upload: replaced by other bytes, or removed (`null`). */
async function tamper(uploadId: string, bytes: Uint8Array | null) {
	const row = (await dbGet(f.db.select().from(upload).where(eq(upload.id, uploadId))))!;
	if (bytes) await storageOf(row).replace(f.db, row, bytes);
	else await storageOf(row).remove(f.db, row);
}

/** Amira's evidence, met by Dafydd (a trainee), countersigned by Gareth, sampled by Helen who set an action. */
async function sampledEvidence(title = TITLE, submittedAt = '2026-03-01T09:00:00.000Z', storage: UploadStorageKind = 'directory') {
	const { evidenceId, uploadIds } = await submittedWorkplaceEvidence(f.db, {
		organisationId: DEMO_ORGANISATION_ID,
		learnerId: f.ids.amira,
		title,
		criteria: ['PC01'],
		files: [
			{ name: 'identity-form.png', mediaType: 'image/png', bytes: png },
			{ name: '../../etc/call notes.pdf', mediaType: 'application/pdf', bytes: notes },
			{ name: 'identity-form.png', mediaType: 'image/png', bytes: testPng(60, 40) }
		],
		uploadDir: uploads,
		storage,
		submittedAt
	});
	const signed = await signWorkplaceDecision(f.db, { id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' }, evidenceId, {
		outcome: 'met',
		feedback: 'The form shows every check.',
		nextSteps: '',
		assessorNote: '',
		criteria: { PC01: { met: 'met', feedback: '' } },
		signedName: 'Dafydd Morgan',
		supersedes: ''
	});
	if (!signed.ok) throw new Error(signed.error.message);
	const countersigned = await countersignWorkplaceDecision(f.db, { id: f.ids.gareth, displayName: 'Gareth Llewellyn' }, signed.value.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' });
	if (!countersigned.ok) throw new Error(countersigned.error.message);
	const sampleId = crypto.randomUUID();
	await dbRun(f.db.insert(iqaSample)
		.values({ id: sampleId, organisationId: DEMO_ORGANISATION_ID, planId: null, decisionKind: 'workplace', decisionId: signed.value.id, learnerId: f.ids.amira, assessorId: signed.value.assessorId, stage: 'interim', pick: 'manual', reason: 'Picked by hand for a test', pickedBy: null, pickedAt: '2026-03-09T10:00:00.000Z' }));
	const helen = await actorFor(f.db, 'iqa@custodian.test');
	const started = await startSampling(f.db, helen, sampleId, new Date('2026-03-10T10:00:00Z'));
	if (!started.ok) throw new Error(started.error.message);
	const values = emptyRoundValues((started.value.snapshot as SampleSnapshot).criteria.map((c) => c.code));
	for (const check of Object.keys(values.vacs) as (keyof RoundValues['vacs'])[]) values.vacs[check] = { confirmed: 'yes', note: '' };
	for (const code of Object.keys(values.criteria)) values.criteria[code] = { verdict: 'agree', action: '', targetDate: '' };
	const round = await signRound(f.db, helen, sampleId, { ...values, feedback: 'Sound.', signedName: 'Helen Achterberg' }, new Date('2026-03-10T11:00:00Z'));
	if (!round.ok) throw new Error(round.error.message);
	return { evidenceId, uploadIds, decision: signed.value, countersignature: countersigned.value, round: round.value.round };
}

async function pack() {
	const issued = (await issueEvidencePack(f.db, f.ids.amira, { origin: 'https://custodian.example', issuedBy: f.ids.amira, zip }))!;
	const files = unzipSync(issued.bytes);
	const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Manifest;
	return { issued, files, manifest, sheet: strFromU8(files['evidence-location.csv']!) };
}

describe('workplace evidence in the evidence pack', () => {
	it.each(UPLOAD_STORAGE_KINDS)('packs every file under workplace/<item title>/<file name>, sanitised and unique, with the bytes uploaded (UPLOAD_STORAGE=%s)', async (storage) => {
		const { uploadIds } = await sampledEvidence(TITLE, '2026-03-01T09:00:00.000Z', storage);
		await sampledEvidence(TITLE, '2026-03-02T09:00:00.000Z', storage); // the same title again, a day later: its own folder
		const { files, manifest } = await pack();
		const workplace = Object.keys(files).filter((p) => p.startsWith('workplace/')).sort();
		expect(workplace).toEqual(
			[
				`workplace/${TITLE}/identity-form.png`,
				`workplace/${TITLE}/identity-form (2).png`,
				`workplace/${TITLE}/etc call notes.pdf`,
				`workplace/${TITLE} (2)/identity-form.png`,
				`workplace/${TITLE} (2)/identity-form (2).png`,
				`workplace/${TITLE} (2)/etc call notes.pdf`
			].sort()
		);
		expect(files[`workplace/${TITLE}/identity-form.png`]).toEqual(png);
		expect(files[`workplace/${TITLE}/etc call notes.pdf`]).toEqual(notes);
		for (const path of workplace) expect(path.split('/').every((part) => part !== '..' && part !== '')).toBe(true);
		// In the manifest: each file with its SHA-256, length and criteria; each item with its files' status.
		for (const path of workplace) {
			const entry = manifest.files.find((m) => m.path === path)!;
			expect(entry).toEqual({ path, sha256: sha(files[path]!), bytes: files[path]!.byteLength, criteria: ['PC01'] });
		}
		expect(manifest.workplace).toHaveLength(2);
		expect(manifest.workplace[0]!.files[0]).toMatchObject({ uploadId: uploadIds[0], name: 'identity-form.png', sha256: sha(png), status: 'packed', path: `workplace/${TITLE}/identity-form.png` });
		expect(manifest.manifestHash).toBe(manifestHashOf(manifest));
	});

	it('lists each item in the location sheet and the manifest with its decision’s signature, countersignature and the IQA’s signature', async () => {
		const { decision, countersignature, round } = await sampledEvidence();
		const { manifest, sheet } = await pack();
		const pc01 = sheet.split('\r\n').filter((line) => line.startsWith('"PC01"') && line.includes('"Workplace evidence"'));
		expect(pc01).toHaveLength(1);
		expect(pc01[0]).toContain(`workplace/${TITLE}/identity-form.png; workplace/${TITLE}/etc call notes.pdf`);
		expect(pc01[0]).toContain(decision.signatureHash);
		expect(pc01[0]).toContain(`countersigned ${countersignature.signatureHash}`);
		expect(pc01[0]).toContain(`IQA round 1 ${round.signatureHash}`);
		expect(manifest.workplaceDecisions).toEqual([
			expect.objectContaining({
				evidenceTitle: TITLE,
				sequence: 1,
				signedName: 'Dafydd Morgan',
				signatureHash: decision.signatureHash,
				countersignatureHash: countersignature.signatureHash,
				iqa: [expect.objectContaining({ stage: 'interim', round: 1, agreed: true, signedName: 'Helen Achterberg', signatureHash: round.signatureHash })]
			})
		]);
	});

	it.each(UPLOAD_STORAGE_KINDS)('never packs a file that is missing or no longer matches its SHA-256, and says so in the manifest and the sheet (UPLOAD_STORAGE=%s)', async (storage) => {
		const { uploadIds } = await sampledEvidence(TITLE, '2026-03-01T09:00:00.000Z', storage);
		await tamper(uploadIds[0]!, strToU8('not the photo that was uploaded'));
		await tamper(uploadIds[1]!, null);
		const { files, manifest, sheet } = await pack();
		expect(Object.keys(files).filter((p) => p.startsWith('workplace/'))).toEqual([`workplace/${TITLE}/identity-form.png`]);
		// The one packed is the third file (the second of that name, first packed), with its own bytes.
		expect(sha(files[`workplace/${TITLE}/identity-form.png`]!)).toBe(manifest.workplace[0]!.files[2]!.sha256);
		expect(manifest.workplace[0]!.files.map((x) => [x.status, x.path])).toEqual([
			['changed', null],
			['missing', null],
			['packed', `workplace/${TITLE}/identity-form.png`]
		]);
		expect(manifest.workplace[0]!.files[0]!.sha256).toBe(sha(png));
		expect(manifest.files.map((m) => m.path)).not.toContain(`workplace/${TITLE}/etc call notes.pdf`);
		expect(sheet).toContain('identity-form.png (not packed: no longer matches its recorded SHA-256)');
		expect(sheet).toContain('../../etc/call notes.pdf (not packed: missing from storage)');
	});

	it.each(UPLOAD_STORAGE_KINDS)('leaves out a file larger than a pack takes, read or not, and lists it with its SHA-256 to check it by (UPLOAD_STORAGE=%s)', async (storage) => {
		const { uploadIds } = await sampledEvidence(TITLE, '2026-03-01T09:00:00.000Z', storage);
		// The first file grows past the per-file limit in storage: it is not even read.
		await tamper(uploadIds[0]!, new Uint8Array(PACK_FILE_MAX_BYTES + 1));
		const { files, manifest, sheet } = await pack();
		expect(manifest.workplace[0]!.files.map((x) => x.status)).toEqual(['too-large', 'packed', 'packed']);
		expect(manifest.workplace[0]!.files[0]!).toMatchObject({ path: null, sha256: sha(png) });
		expect(Object.keys(files).filter((p) => p.startsWith('workplace/'))).toHaveLength(2);
		expect(sheet).toContain('identity-form.png (not packed: larger than a pack takes');
	});

	it('is still a pack /verify recognises, and a swapped workplace file is named', async () => {
		await sampledEvidence();
		const { issued, files } = await pack();
		expect(await verifyPack(f.db, issued.bytes, openArchive)).toMatchObject({ outcome: 'unchanged', repacked: false });
		const path = `workplace/${TITLE}/identity-form.png`;
		const swapped = zipSync({ ...files, [path]: testPng(30, 30) });
		expect(await verifyPack(f.db, swapped, openArchive)).toMatchObject({ outcome: 'files-changed', changed: [path], missing: [], added: [] });
	});

	it('stores workplace files as uploaded, so a highly compressible one never looks like a zip bomb to /verify', async () => {
		await submittedWorkplaceEvidence(f.db, {
			organisationId: DEMO_ORGANISATION_ID,
			learnerId: f.ids.amira,
			title: 'Shift rota',
			criteria: ['PC01'],
			files: [{ name: 'rota.txt', mediaType: 'text/plain', bytes: new Uint8Array(400_000).fill(0x61) }],
			uploadDir: uploads
		});
		// Zipped in the worker, as a download is.
		const issued = (await issueEvidencePack(f.db, f.ids.amira, { origin: 'https://custodian.example', issuedBy: f.ids.amira }))!;
		expect(Object.keys(unzipSync(issued.bytes))).toContain('workplace/Shift rota/rota.txt');
		expect(await verifyPackOffThread(f.db, issued.bytes)).toMatchObject({ outcome: 'unchanged', repacked: false });
	}, 60_000);
});

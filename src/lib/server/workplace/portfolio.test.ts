import { dbGet, dbRun } from '$lib/core/database';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inflateSync } from 'node:zlib';
import { user } from '$lib/server/db/schema';
import { upload, UPLOAD_STORAGE_KINDS, type UploadStorageKind } from '$lib/server/db/evidence';
import { storageOf } from '$lib/server/uploads/stores';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { issueDocument, prepareDocument, verifyFile } from '$lib/server/portfolio/documents';
import { countersignWorkplaceDecision, signWorkplaceDecision } from './signing';
import { workplaceImages, workplacePortfolio } from './portfolio';
import { submittedWorkplaceEvidence, testPng } from './testing';
import { iqaSample } from '$lib/server/db/quality';
import { emptyRoundValues, signRound, startSampling, type RoundValues } from '$lib/server/iqa/samples';
import { actorFor } from '$lib/server/iqa/testing';
import type { SampleSnapshot } from '$lib/server/iqa/snapshots';

const f = assessmentFixture();
const dir = mkdtempSync(join(tmpdir(), 'custodian-workplace-pdf-'));
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

const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const png = testPng(240, 160);
const pngHash = createHash('sha256').update(png).digest('hex');
const pdfBytes = new TextEncoder().encode('%PDF-1.4 not really a document');

/** Amira's evidence: a photo and a PDF, met by Dafydd (a trainee) and countersigned by Gareth. */
async function judgedEvidence(storage: UploadStorageKind = 'directory') {
	const { evidenceId, uploadIds } = await submittedWorkplaceEvidence(f.db, {
		organisationId: DEMO_ORGANISATION_ID,
		learnerId: f.ids.amira,
		title: 'The completed identity check form',
		criteria: ['PC01'],
		files: [
			{ name: 'identity-form.png', mediaType: 'image/png', bytes: png },
			{ name: 'call-notes.pdf', mediaType: 'application/pdf', bytes: pdfBytes }
		],
		uploadDir: uploads,
		storage,
		submittedAt: '2026-03-01T09:00:00.000Z'
	});
	const signed = await signWorkplaceDecision(f.db, { id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' }, evidenceId, {
		outcome: 'met',
		feedback: 'The form shows every check.',
		nextSteps: '',
		assessorNote: 'PRIVATE-WORKPLACE-NOTE',
		criteria: { PC01: { met: 'met', feedback: '' } },
		signedName: 'Dafydd Morgan',
		supersedes: ''
	});
	if (!signed.ok) throw new Error(signed.error.message);
	const countersigned = await countersignWorkplaceDecision(f.db, { id: f.ids.gareth, displayName: 'Gareth Llewellyn' }, signed.value.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' });
	if (!countersigned.ok) throw new Error(countersigned.error.message);
	return { evidenceId, uploadIds, decision: signed.value, countersignature: countersigned.value };
}

async function issued() {
	const prepared = await prepareDocument(f.db, { learnerId: f.ids.amira, kind: 'portfolio' });
	const chunks: Uint8Array[] = [];
	const row = await issueDocument(f.db, prepared!, { origin: 'https://custodian.example', issuedBy: f.ids.amira, onData: (c) => chunks.push(c), pause: async () => {} });
	return { prepared: prepared!, row, bytes: new Uint8Array(Buffer.concat(chunks)) };
}

describe('workplace evidence in the portfolio PDF', () => {
	it('lists each file with its type, size and SHA-256, the decision and its countersignature, and never the assessor’s note', async () => {
		const { decision, countersignature } = await judgedEvidence();
		const { prepared, bytes } = await issued();
		expect(prepared.content.workplace).toHaveLength(1);
		expect(JSON.stringify(prepared.content)).not.toContain('PRIVATE-WORKPLACE-NOTE');
		const file = join(dir, 'portfolio.pdf');
		writeFileSync(file, bytes);
		const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
		expect(text).toContain('Workplace evidence');
		expect(text).toContain('The completed identity check form');
		expect(text).toContain('This is my own work');
		expect(text).toContain('identity-form.png');
		expect(text).toContain('call-notes.pdf');
		expect(text).toContain('application/pdf');
		expect(text).toContain(pngHash);
		expect(text).toContain(createHash('sha256').update(pdfBytes).digest('hex'));
		expect(text).toContain('Decision 1: Met');
		expect(text).toContain('Dafydd Morgan');
		expect(text).toContain(decision.signatureHash);
		expect(text).toContain('Countersigned: Gareth Llewellyn');
		expect(text).toContain(countersignature.signatureHash);
		expect(text).not.toContain('PRIVATE-WORKPLACE-NOTE');
		// The file issued is one /verify knows, unchanged.
		expect((await verifyFile(f.db, bytes)).outcome).toBe('unchanged');
	});

	it.each(UPLOAD_STORAGE_KINDS)('embeds the photo, scaled, where the page shows its red and blue halves (UPLOAD_STORAGE=%s)', async (storage) => {
		await judgedEvidence(storage);
		const { bytes } = await issued();
		const file = join(dir, 'embedded.pdf');
		writeFileSync(file, bytes);
		const images = spawnSync('pdfimages', ['-list', file], { encoding: 'utf8' }).stdout;
		expect(images).toMatch(/\b240\s+160\b/);
		// Draw the page the image is on and count its red and blue pixels.
		const pages = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.split('\f');
		const page = pages.findIndex((p) => p.includes('Image from') || p.includes(`identity-form.png (SHA-256`)) + 1;
		expect(page).toBeGreaterThan(0);
		const out = join(dir, 'page');
		spawnSync('pdftoppm', ['-png', '-r', '50', '-f', String(page), '-l', String(page), '-singlefile', file, out]);
		const { red, blue } = countColours(readFileSync(`${out}.png`));
		expect(red).toBeGreaterThan(500);
		expect(blue).toBeGreaterThan(500);
	});

	it.each(UPLOAD_STORAGE_KINDS)('does not embed an image whose stored bytes no longer match its SHA-256 (UPLOAD_STORAGE=%s)', async (storage) => {
		const { uploadIds } = await judgedEvidence(storage);
		const items = await workplacePortfolio(f.db, f.ids.amira);
		expect(Object.keys(await workplaceImages(f.db, items))).toEqual([pngHash]);
		const id = items[0]!.files[0]!.uploadId;
		expect(id).toBe(uploadIds[0]);
		const row = (await dbGet(f.db.select().from(upload).where(eq(upload.id, id))))!;
		await storageOf(row).replace(f.db, row, testPng(10, 10));
		expect(await workplaceImages(f.db, items)).toEqual({});
	});
});

describe('a sampled workplace decision in the portfolio PDF', () => {
	const helen = async () => await actorFor(f.db, 'iqa@custodian.test');
	function round(codes: string[], actions: Record<string, string>): RoundValues {
		const values = emptyRoundValues(codes);
		for (const check of Object.keys(values.vacs) as (keyof RoundValues['vacs'])[]) values.vacs[check] = { confirmed: 'yes', note: '' };
		for (const code of codes) values.criteria[code] = actions[code] ? { verdict: 'action', action: actions[code], targetDate: '2026-03-20' } : { verdict: 'agree', action: '', targetDate: '' };
		return { ...values, feedback: 'PRIVATE-IQA-FEEDBACK to the assessor.', signedName: 'Helen Achterberg' };
	}

	it('shows each IQA round signed on it (outcome, signer, time, hash) and never the IQA’s feedback to the assessor', async () => {
		const { evidenceId, decision } = await judgedEvidence();
		const sampleId = crypto.randomUUID();
		await dbRun(f.db.insert(iqaSample)
			.values({ id: sampleId, organisationId: DEMO_ORGANISATION_ID, planId: null, decisionKind: 'workplace', decisionId: decision.id, learnerId: f.ids.amira, assessorId: decision.assessorId, stage: 'interim', pick: 'manual', reason: 'Picked by hand for a test', pickedBy: null, pickedAt: '2026-03-09T10:00:00.000Z' }));
		const started = await startSampling(f.db, await helen(), sampleId, new Date('2026-03-10T10:00:00Z'));
		if (!started.ok) throw new Error(started.error.message);
		const codes = (started.value.snapshot as SampleSnapshot).criteria.map((c) => c.code);
		const first = await signRound(f.db, await helen(), sampleId, round(codes, { [codes[0]!]: 'Say which line of the form shows the check.' }), new Date('2026-03-10T11:00:00Z'));
		if (!first.ok) throw new Error(first.error.message);

		const item = (await workplacePortfolio(f.db, f.ids.amira)).find((w) => w.evidenceId === evidenceId)!;
		expect(item.decisions[0]!.iqa).toEqual([{ stage: 'interim', round: 1, agreed: false, signedName: 'Helen Achterberg', signedAt: '2026-03-10T11:00:00.000Z', signatureHash: first.value.round.signatureHash }]);
		// An unsampled workplace decision has no IQA lines at all.
		expect((await workplacePortfolio(f.db, f.ids.amira)).filter((w) => w.evidenceId !== evidenceId).every((w) => w.decisions.every((d) => d.iqa === undefined))).toBe(true);

		const { prepared, bytes } = await issued();
		expect(JSON.stringify(prepared.content)).not.toContain('PRIVATE-IQA-FEEDBACK');
		const file = join(dir, 'sampled.pdf');
		writeFileSync(file, bytes);
		const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
		expect(text).toContain('IQA sample (interim), round 1: Actions set for the assessor');
		expect(text).toContain('IQA signed: Helen Achterberg');
		expect(text).toContain(`IQA signature SHA-256: ${first.value.round.signatureHash}`);
		expect(text).not.toContain('PRIVATE-IQA-FEEDBACK');
	});
});

/** Red and blue pixels of an 8-bit RGB or RGBA PNG without interlacing (what pdftoppm writes). */
function countColours(file: Buffer): { red: number; blue: number } {
	let at = 8;
	let width = 0;
	let height = 0;
	let channels = 3;
	const data: Buffer[] = [];
	while (at < file.length) {
		const length = file.readUInt32BE(at);
		const type = file.toString('ascii', at + 4, at + 8);
		const body = file.subarray(at + 8, at + 8 + length);
		if (type === 'IHDR') {
			width = body.readUInt32BE(0);
			height = body.readUInt32BE(4);
			channels = body[9] === 6 ? 4 : 3;
		}
		if (type === 'IDAT') data.push(body);
		at += 12 + length;
	}
	const raw = inflateSync(Buffer.concat(data));
	const stride = width * channels;
	const pixels = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)]!;
		for (let x = 0; x < stride; x++) {
			const v = raw[y * (stride + 1) + 1 + x]!;
			const left = x >= channels ? pixels[y * stride + x - channels]! : 0;
			const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
			const upLeft = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
			const paeth = () => {
				const p = left + up - upLeft;
				const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
				return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
			};
			const predicted = [0, left, up, (left + up) >> 1, paeth()][filter] ?? 0;
			pixels[y * stride + x] = (v + predicted) & 0xff;
		}
	}
	let red = 0;
	let blue = 0;
	for (let i = 0; i < pixels.length; i += channels) {
		const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
		if (r > 180 && g < 80 && b < 80) red++;
		if (b > 180 && r < 80 && g < 110) blue++;
	}
	return { red, blue };
}

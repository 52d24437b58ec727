import { dbGet, dbAll } from '$lib/core/database';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { portfolioDocument } from '$lib/server/db/assessment';
import { securityEvent } from '$lib/server/db/schema';
import { FIXTURE_LEARNER_NAME, portfolioFixture, type PortfolioFixture } from './testing';
import { verifyFile, verifyIdAndHash } from './documents';
import { MAX_NAME_LENGTH, manifestHashOf, issueEvidencePack, packFiles, safeFileName, sha256OfBytes, uniqueNamer, type IssuedPack, type Manifest } from './evidence-pack';
import { PACK_LIMITS, openArchive, verifyPack as verifyPackWith } from './evidence-pack-check';
import { prepareDocument } from './documents';

const ORIGIN = 'https://custodian.example';

let fixture: PortfolioFixture;
let pack: IssuedPack;
let files: Record<string, Uint8Array>;

beforeAll(async () => {
	fixture = await portfolioFixture({ attempts: 2, actionsPerAttempt: 2 });
	// The real render on this thread, the real zip in a worker (pack-jobs.ts).
	pack = (await issueEvidencePack(fixture.db, fixture.learnerId, { origin: ORIGIN, issuedBy: fixture.learnerId }))!;
	files = unzipSync(pack.bytes);
}, 60_000);

/** On this thread; the worker's own path is taken once below. */
const verifyPack = (db: Parameters<typeof verifyPackWith>[0], bytes: Uint8Array) => verifyPackWith(db, bytes, openArchive);
const rezip = (entries: Record<string, Uint8Array>) => zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v])));

describe('the evidence pack', () => {
	it('holds the portfolio PDF, each other item of evidence, the location sheet and the manifest', () => {
		expect(Object.keys(files).sort()).toEqual(
			[
				'evidence-location.csv',
				'evidence/01 Witness testimony – Tomás Ó Briain – 2026-01-12.txt',
				'evidence/02 Observation – Gareth Llewellyn – 2026-01-14.txt',
				'manifest.json',
				'portfolio.pdf'
			].sort()
		);
		expect(strFromU8(files['portfolio.pdf']!.subarray(0, 5))).toBe('%PDF-');
		const testimony = strFromU8(files['evidence/01 Witness testimony – Tomás Ó Briain – 2026-01-12.txt']!);
		expect(testimony).toContain('Relationship to the learner: Line manager');
		expect(testimony).toContain('Criteria accepted by the assessor: PC01');
		expect(testimony).toContain('£250 refund');
	});

	it('says in the location sheet which items evidence each criterion and where they are', () => {
		const sheet = strFromU8(files['evidence-location.csv']!);
		const pc01 = sheet.split('\r\n').filter((line) => line.startsWith('"PC01"'));
		expect(pc01.some((line) => line.includes('"evidence/01 Witness testimony – Tomás Ó Briain – 2026-01-12.txt"'))).toBe(true);
		const pc02 = sheet.split('\r\n').filter((line) => line.startsWith('"PC02"'));
		expect(pc02.some((line) => line.includes('"evidence/02 Observation – Gareth Llewellyn – 2026-01-14.txt"'))).toBe(true);
		// Attempts point into the PDF, with their decisions' signature hashes.
		for (const decision of fixture.decisions) expect(sheet).toContain(decision.signatureHash);
		expect(sheet).toContain('portfolio.pdf, attempt 1 of 2');
	});

	it('lists every file with its SHA-256 and length, the signatures, the learner and the centre, under a manifest hash', () => {
		const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Manifest;
		expect(manifest.manifestHash).toBe(manifestHashOf(manifest));
		expect(manifest.manifestHash).toBe(pack.manifest.manifestHash);
		expect(manifest.files.map((f) => f.path).sort()).toEqual(Object.keys(files).filter((p) => p !== 'manifest.json').sort());
		for (const f of manifest.files) {
			expect(f.sha256).toBe(sha256OfBytes(files[f.path]!));
			expect(f.bytes).toBe(files[f.path]!.byteLength);
		}
		expect(manifest.files.find((f) => f.path.startsWith('evidence/01'))!.criteria).toEqual(['PC01']);
		expect(manifest.decisions.map((d) => d.signatureHash).sort()).toEqual(fixture.decisions.map((d) => d.signatureHash).sort());
		expect(manifest.learner).toEqual({ id: fixture.learnerId, name: FIXTURE_LEARNER_NAME });
		expect(manifest.centre.name).not.toBe('');
		expect(manifest.issuedBy.id).toBe(fixture.learnerId);
	});

	it('is recorded as a document of kind evidence-pack, and its PDF as a portfolio document', async () => {
		const row = (await dbGet(fixture.db.select().from(portfolioDocument).where(eq(portfolioDocument.id, pack.row.id))))!;
		expect(row).toMatchObject({ kind: 'evidence-pack', contentHash: pack.manifest.manifestHash, fileHash: sha256OfBytes(pack.bytes), byteLength: pack.bytes.byteLength, learnerId: fixture.learnerId });
		const pdf = (await dbGet(fixture.db.select().from(portfolioDocument).where(and(eq(portfolioDocument.id, pack.manifest.portfolioDocument.id), eq(portfolioDocument.kind, 'portfolio')))))!;
		expect(pdf.fileHash).toBe(sha256OfBytes(files['portfolio.pdf']!));
		expect(row.pageCount).toBe(pdf.pageCount);
		expect((await verifyFile(fixture.db, pack.bytes)).outcome).toBe('unchanged');
		// Who exported whose evidence: identifiers only.
		const logged = await dbAll(fixture.db.select().from(securityEvent).where(eq(securityEvent.type, 'export.evidence-pack')));
		expect(logged.map((e) => [e.userId, e.actorId])).toEqual([[fixture.learnerId, fixture.learnerId]]);
		// The id and the manifest hash, typed in, are recognised as for a PDF.
		expect(await verifyIdAndHash(fixture.db, pack.row.id, pack.manifest.manifestHash)).toMatchObject({ ok: true, value: { outcome: 'unchanged', document: { kind: 'evidence-pack' } } });
	});
});

describe('checking an uploaded pack', () => {
	it('recognises the exact pack, and the same files zipped again', async () => {
		// Opened in a worker, as /verify does.
		const exact = await verifyPackWith(fixture.db, pack.bytes);
		expect(exact).toMatchObject({ outcome: 'unchanged', repacked: false, pack: { id: pack.row.id, learner: FIXTURE_LEARNER_NAME } });
		expect(await verifyPack(fixture.db, rezip(files))).toMatchObject({ outcome: 'unchanged', repacked: true });
	});

	it('reports an edited manifest as not ours, whether or not its hash was recomputed', async () => {
		const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Manifest;
		const edited = { ...manifest, learner: { ...manifest.learner, name: 'Someone Else' } };
		expect((await verifyPack(fixture.db, rezip({ ...files, 'manifest.json': strToU8(JSON.stringify(edited)) }))).outcome).toBe('not-ours');
		const rehashed = { ...edited, manifestHash: manifestHashOf(edited) };
		expect((await verifyPack(fixture.db, rezip({ ...files, 'manifest.json': strToU8(JSON.stringify(rehashed)) }))).outcome).toBe('not-ours');
		const { ['manifest.json']: _, ...withoutManifest } = files;
		expect((await verifyPack(fixture.db, rezip(withoutManifest))).outcome).toBe('not-ours');
	});

	it('names a swapped, a missing and an added file; an archive inside is hashed, not opened', async () => {
		const path = 'evidence/01 Witness testimony – Tomás Ó Briain – 2026-01-12.txt';
		const { ['evidence-location.csv']: _, ...rest } = files;
		const tampered = rezip({ ...rest, [path]: strToU8('I never saw anything.'), 'inner.zip': zipSync({ 'a.txt': strToU8('a') }) });
		expect(await verifyPack(fixture.db, tampered)).toEqual({ outcome: 'files-changed', claimedId: pack.row.id, changed: [path], missing: ['evidence-location.csv'], added: ['inner.zip'] });
	});
});

describe('zip bombs', () => {
	it('refuses an entry that would inflate more than the ratio allows', async () => {
		const bomb = zipSync({ 'zeros.bin': new Uint8Array(20 * 1024 * 1024) });
		expect(openArchive(bomb)).toMatchObject({ ok: false, limit: 'ratio' });
		expect(await verifyPack(fixture.db, bomb)).toMatchObject({ outcome: 'refused', limit: 'ratio' });
	});

	it('refuses too many entries', () => {
		const many = zipSync(Object.fromEntries(Array.from({ length: PACK_LIMITS.entries + 1 }, (_, i) => [`f${i}.txt`, strToU8('x')])));
		expect(openArchive(many)).toMatchObject({ ok: false, limit: 'entries' });
	});

	it('refuses an archive that declares more than the total size, before inflating anything', () => {
		const small = zipSync({ 'a.txt': [strToU8('hello'), { level: 0 }] });
		// Central directory header (PK\x01\x02): uncompressed size at offset 24.
		const view = new DataView(small.buffer, small.byteOffset, small.byteLength);
		for (let at = 0; at < small.length - 4; at++) {
			if (view.getUint32(at, true) === 0x02014b50) {
				view.setUint32(at + 24, PACK_LIMITS.totalBytes + 1, true);
				view.setUint32(at + 20, PACK_LIMITS.totalBytes + 1, true);
			}
		}
		expect(openArchive(small)).toMatchObject({ ok: false, limit: 'total-size' });
	});

	it('refuses what is not a ZIP at all as unreadable', () => {
		expect(openArchive(strToU8('PK\u0003\u0004 not really'))).toMatchObject({ ok: false, limit: 'unreadable' });
	});
});

describe('names from user text', () => {
	it('never carries a path, .., control characters or too many characters', () => {
		for (const hostile of ['../../etc/passwd', '..\\..\\windows\\system32', '/abs/path', 'a\u0000b\nc', '.hidden', 'x'.repeat(300), 'C:\\x', '....']) {
			const name = safeFileName(hostile);
			expect(name).not.toMatch(/[/\\\u0000-\u001f]/);
			expect(name).not.toContain('..');
			expect(name.startsWith('.')).toBe(false);
			expect([...name].length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
			expect(name.length).toBeGreaterThan(0);
		}
		expect(safeFileName('../../etc/passwd')).toBe('etc passwd');
	});

	it('keeps names unique', () => {
		const name = uniqueNamer();
		expect([name('a.txt'), name('a.txt'), name('A.txt'), name('b')]).toEqual(['a.txt', 'a (2).txt', 'A (3).txt', 'b']);
	});

	it('builds a pack whose entries stay inside it, whatever the witness is called', async () => {
		const prepared = (await prepareDocument(fixture.db, { learnerId: fixture.learnerId, kind: 'portfolio' }))!;
		const base = prepared.content.testimony[0]!;
		const content = {
			...prepared.content,
			testimony: [
				{ ...base, witnessName: '../../etc/passwd' },
				{ ...base, witnessName: '../../etc/passwd' },
				{ ...base, witnessName: 'W'.repeat(300) }
			]
		};
		const built = packFiles({
			content,
			pdf: { bytes: strToU8('%PDF-1.7'), documentId: 'CUS-0000-0000', contentHash: '0'.repeat(64), pageCount: 1 },
			packId: 'CUS-1111-1111',
			issuedAt: '2026-01-20T10:00:00.000Z',
			issuedBy: { id: 'u', name: 'U' },
			learner: { id: fixture.learnerId, name: FIXTURE_LEARNER_NAME },
			centre: { id: 'c', name: 'C' }
		});
		const paths = built.files.map((f) => f.path);
		expect(new Set(paths).size).toBe(paths.length);
		for (const path of paths) {
			expect(path.split('/').every((part) => part !== '..' && part !== '' && part !== '.')).toBe(true);
			expect(path.split('/').length).toBeLessThanOrEqual(2);
			expect([...path.split('/').at(-1)!].length).toBeLessThanOrEqual(MAX_NAME_LENGTH + 4);
		}
		expect(paths.filter((p) => p.includes('etc passwd')).map((p) => p.slice(0, 12))).toEqual(['evidence/01 ', 'evidence/02 ']);
		expect(built.manifest.manifestHash).toBe(manifestHashOf(built.manifest));
	});
});

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { CANONICAL_ENCODING, canonicalHash, sha256Hex } from '$lib/core';
import { dbRun, dbAll, dbGet, DEFAULT_MIGRATIONS_FOLDER } from '$lib/core/database';
import { withDatabaseBefore } from '$lib/core/testing';
import { CRITERIA } from '$lib/criteria';
import { legacyCanonicalJson } from '$lib/server/assessment/hashing';
import { portfolioDocument, type PortfolioDocument } from '$lib/server/db/assessment';
import { ASSESSOR_NOTE, FIXTURE_LEARNER_NAME, portfolioFixture, type PortfolioFixture } from './testing';
import {
	DOCUMENT_ID_PATTERN,
	claimedDocumentId,
	documentResponse,
	issueDocument,
	newDocumentId,
	prepareDocument,
	uploadLimitBytes,
	verifyFile,
	verifyIdAndHash,
	type PreparedDocument
} from './documents';
import { fontFiles } from './render';

const ORIGIN = 'https://custodian.example';
const dir = mkdtempSync(join(tmpdir(), 'custodian-portfolio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Issued {
	prepared: PreparedDocument;
	bytes: Buffer;
	text: string;
	pages: string[];
	pageCount: number;
}

async function issue(fixture: PortfolioFixture, request: Parameters<typeof prepareDocument>[1]): Promise<Issued> {
	const prepared = await prepareDocument(fixture.db, request);
	if (!prepared) throw new Error('nothing to issue');
	const chunks: Uint8Array[] = [];
	await issueDocument(fixture.db, prepared, { origin: ORIGIN, issuedBy: fixture.learnerId, onData: (c) => chunks.push(c) });
	const bytes = Buffer.concat(chunks);
	const file = join(dir, `${prepared.content.documentId}.pdf`);
	writeFileSync(file, bytes);
	const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
	const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
	const pageCount = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
	return { prepared, bytes, text, pages: text.split('\f').slice(0, pageCount), pageCount };
}

/** pdftotext may break a long line anywhere: compare without white space. */
const squash = (s: string) => s.replace(/\s+/g, '');

let fixture: PortfolioFixture;
let portfolio: Issued;
let single: Issued;

beforeAll(async () => {
	fixture = await portfolioFixture({ attempts: 3 });
	portfolio = await issue(fixture, { learnerId: fixture.learnerId, kind: 'portfolio' });
	single = await issue(fixture, { learnerId: fixture.learnerId, kind: 'attempt', attemptId: fixture.attemptIds[1] });
}, 60_000);

describe('document ids', () => {
	it('are CUS- and two groups of four unambiguous characters, different every time', () => {
		const ids = new Set(Array.from({ length: 2000 }, () => newDocumentId()));
		expect(ids.size).toBe(2000);
		for (const id of ids) expect(id).toMatch(DOCUMENT_ID_PATTERN);
	});
});

describe('the whole portfolio, read back with pdftotext', () => {
	it('names every criterion of the unit in the coverage grid', () => {
		for (const criterion of CRITERIA) expect(portfolio.text).toContain(criterion.code);
	});

	it('has every attempt, with its title and version', () => {
		for (const attempt of portfolio.prepared.content.attempts) {
			expect(squash(portfolio.text)).toContain(squash(attempt.version));
		}
		const titles = portfolio.prepared.content.attempts.map((a, i) => `Attempt ${i + 1}: ${a.title}`);
		for (const title of titles) expect(squash(portfolio.text)).toContain(squash(title));
	});

	it('prints every signature: the signed name and the signature hash', () => {
		expect(fixture.decisions.length).toBeGreaterThanOrEqual(3);
		for (const decision of fixture.decisions) {
			expect(squash(portfolio.text)).toContain(squash(decision.signatureHash));
			expect(portfolio.text).toContain(decision.signedName);
		}
	});

	it('marks the superseded decision as such, newest first', () => {
		const first = portfolio.text.indexOf('Decision 2: Met (in force)');
		const superseded = portfolio.text.indexOf('Decision 1: Not yet met (superseded by a later decision)');
		expect(first).toBeGreaterThan(-1);
		expect(superseded).toBeGreaterThan(first);
	});

	it('has a footer on every page: page n of N, the document id and the verification text', () => {
		expect(portfolio.pageCount).toBeGreaterThan(3);
		const { documentId } = portfolio.prepared.content;
		portfolio.pages.forEach((page, i) => {
			expect(page).toContain(`Page ${i + 1} of ${portfolio.pageCount}`);
			expect(squash(page)).toContain(squash(`Check this document at ${ORIGIN}/verify — document id ${documentId}, content SHA-256 ${portfolio.prepared.contentHash}`));
		});
	});

	it('repeats a table’s header on every page it continues on', () => {
		const start = portfolio.pages.findIndex((page) => page.includes('Criteria coverage'));
		const grid = portfolio.pages.slice(start, portfolio.pages.findIndex((page) => page.includes('Attempt 1:')));
		expect(grid.length).toBeGreaterThan(1);
		for (const page of grid) expect(page).toMatch(/Criterion\s+State\s+Evidence\s+Signed off by/);
		// Each attempt's marking table runs from its "Marking points" heading to its "Reflection": every page after the first repeats the header.
		let continued = 0;
		portfolio.pages.forEach((page, i) => {
			if (!/^\s*Marking points\s*$/m.test(page)) return;
			for (let next = i + 1; next < portfolio.pages.length && !/^\s*Reflection\s*$/m.test(portfolio.pages[next - 1]!); next++) {
				expect(portfolio.pages[next]).toMatch(/Marking point\s+Result\s+Evidence\s+Feedback/);
				continued++;
			}
		});
		expect(continued).toBeGreaterThan(0);
	});

	it('wraps a very long name and a long unbroken word instead of cutting them off', async () => {
		const longName = 'Zoë Anna-Maria Łukasiewicz-Nowak-Fitzgerald Ó Briain de la Cruz y Montgomery-Llewellyn-Featherstonehaugh';
		const { user } = await import('$lib/server/db/schema');
		const { eq } = await import('drizzle-orm');
		await dbRun(fixture.db.update(user).set({ displayName: longName }).where(eq(user.id, fixture.learnerId)));
		try {
			const issued = await issue(fixture, { learnerId: fixture.learnerId, kind: 'attempt', attemptId: fixture.attemptIds[2] });
			expect(squash(issued.pages[0]!)).toContain(squash(`Learner: ${longName}`));
			expect(squash(issued.text)).toContain('Supercalifragilisticexpialidociousdataprotectionawarenesstraining');
		} finally {
			await dbRun(fixture.db.update(user).set({ displayName: FIXTURE_LEARNER_NAME }).where(eq(user.id, fixture.learnerId)));
		}
	});

	it('never prints the assessor’s private note', () => {
		expect(portfolio.text).not.toContain('PRIVATE-ASSESSOR-NOTE');
		expect(JSON.stringify(portfolio.prepared.content)).not.toContain(ASSESSOR_NOTE);
	});

	it('keeps £ and accented names through extraction', () => {
		expect(portfolio.text).toContain(FIXTURE_LEARNER_NAME);
		expect(portfolio.text).toContain('Tomás Ó Briain');
		expect(portfolio.text).toContain('Ola Nowak-Fitzgerald');
		expect(portfolio.text).toContain('£120.50');
	});

	it('includes witness testimony and observations', () => {
		expect(portfolio.text).toContain('Customer service team leader');
		expect(portfolio.text).toContain('Front desk, Tuesday morning shift');
	});

	it('embeds the shipped fonts, subset, and uses no other', () => {
		const file = join(dir, `${portfolio.prepared.content.documentId}.pdf`);
		const fonts = spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout.split('\n').slice(2).filter(Boolean);
		expect(fonts.length).toBeGreaterThanOrEqual(2);
		for (const line of fonts) {
			expect(line).toMatch(/DejaVuSans/);
			expect(line).toMatch(/\byes\s+yes\b/); // embedded, subset
		}
	});

	it('records the issue with both hashes, the page count and the length', async () => {
		const row = (await dbAll(fixture.db.select().from(portfolioDocument))).find((r) => r.id === portfolio.prepared.content.documentId);
		expect(row).toMatchObject({ kind: 'portfolio', learnerId: fixture.learnerId, contentHash: portfolio.prepared.contentHash, pageCount: portfolio.pageCount, byteLength: portfolio.bytes.length });
	});

	it('records that its content hash is RFC 8785 (jcs-2026): the canonical JSON of the content', async () => {
		const row = (await dbGet(fixture.db.select().from(portfolioDocument).where(eq(portfolioDocument.id, portfolio.prepared.content.documentId))))!;
		expect(row.hashEncoding).toBe(CANONICAL_ENCODING);
		expect(row.contentHash).toBe(canonicalHash(portfolio.prepared.content));
		expect(await verifyIdAndHash(fixture.db, row.id, row.contentHash)).toMatchObject({ ok: true, value: { outcome: 'unchanged', claimedId: row.id } });
	});
});

describe('one attempt', () => {
	it('shows only that attempt and the criteria it evidences', () => {
		expect(single.prepared.content.attempts.map((a) => a.id)).toEqual([fixture.attemptIds[1]]);
		expect(single.text).toContain('Attempt evidence');
		expect(single.pages.at(-1)).toContain(`Page ${single.pageCount} of ${single.pageCount}`);
	});

	it('names the learner on the lines they said, in the transcript and in the evidence', () => {
		const [attempt] = single.prepared.content.attempts;
		const said = attempt!.transcript.find((line) => line.text.includes('bring the account up'));
		expect(said?.who).toBe(FIXTURE_LEARNER_NAME);
		expect(attempt!.transcript.map((line) => line.who)).not.toContain('Learner');
		expect(attempt!.points.flatMap((p) => p.evidence.map((e) => e.who))).not.toContain('Learner');
	});

	it('prints the verdict as verdictOf gives it: the headline, both checks and the reason', () => {
		const [attempt] = single.prepared.content.attempts;
		expect(attempt!.verdict.headline).toMatch(/^(Passed|Not passed — .+)$/);
		expect(attempt!.verdict.checks).toHaveLength(2);
		expect(attempt!.verdict.checks[1]).toMatch(/^Score [\d.]+ % \(pass mark \d+ %\) [✓✗]$/);
		for (const words of [attempt!.verdict.headline, ...attempt!.verdict.checks, attempt!.verdict.reason]) expect(squash(single.text)).toContain(squash(words));
		// Never "Not passed" with a score and no reason beside it.
		expect(single.text).not.toMatch(/Not passed \(a critical point was missed\), score/);
	});

	it('is not issued for an attempt of someone else', async () => {
		expect(await prepareDocument(fixture.db, { learnerId: fixture.assessorId, kind: 'attempt', attemptId: fixture.attemptIds[0] })).toBeUndefined();
		expect(await prepareDocument(fixture.db, { learnerId: fixture.learnerId, kind: 'attempt', attemptId: 'not-a-real-id' })).toBeUndefined();
	});
});

describe('verify', () => {
	it('accepts the issued file as unchanged, with the centre, kind, date and page count', async () => {
		const result = await verifyFile(fixture.db, portfolio.bytes);
		expect(result.outcome).toBe('unchanged');
		expect(result.document).toEqual({ id: portfolio.prepared.content.documentId, centre: portfolio.prepared.content.centre, kind: 'portfolio', issuedAt: portfolio.prepared.content.issuedAt, pageCount: portfolio.pageCount });
	});

	it('reports any one changed byte as not matching, naming the document the file claims to be', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 0, max: portfolio.bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
				const changed = Buffer.from(portfolio.bytes);
				changed[at] = changed[at]! ^ flip;
				const result = await verifyFile(fixture.db, changed);
				expect(result.outcome).not.toBe('unchanged');
				expect(result.document).toBeNull();
				if (claimedDocumentId(changed) === portfolio.prepared.content.documentId) expect(result.outcome).toBe('not-matching');
			}),
			{ numRuns: 60 }
		);
		const changed = Buffer.from(portfolio.bytes);
		changed[changed.length - 20] = changed[changed.length - 20]! ^ 1;
		expect(await verifyFile(fixture.db, changed)).toEqual({ outcome: 'not-matching', claimedId: portfolio.prepared.content.documentId, document: null });
	});

	it('says a file it never issued was not issued here', async () => {
		expect(await verifyFile(fixture.db, Buffer.from('%PDF-1.7 not ours'))).toEqual({ outcome: 'not-issued', claimedId: null, document: null });
	});

	it('finds a document by id and content hash, in any case and with spaces around', async () => {
		const { documentId } = single.prepared.content;
		const result = await verifyIdAndHash(fixture.db, ` ${documentId.toLowerCase()} `, single.prepared.contentHash.toUpperCase());
		expect(result).toEqual({ ok: true, value: { outcome: 'unchanged', claimedId: documentId, document: expect.objectContaining({ id: documentId, kind: 'attempt', pageCount: single.pageCount }) } });
	});

	it('refuses a wrong hash for a known id without saying anything about the document', async () => {
		const result = await verifyIdAndHash(fixture.db, single.prepared.content.documentId, portfolio.prepared.contentHash);
		expect(result).toEqual({ ok: true, value: { outcome: 'not-matching', claimedId: single.prepared.content.documentId, document: null } });
	});

	it('says an unknown id was not issued here', async () => {
		const result = await verifyIdAndHash(fixture.db, 'CUS-0000-0000', single.prepared.contentHash);
		expect(result).toEqual({ ok: true, value: { outcome: 'not-issued', claimedId: 'CUS-0000-0000', document: null } });
	});

	it('asks again for an id or hash that is not well formed, naming the field', async () => {
		const badId = await verifyIdAndHash(fixture.db, 'CUS-IIII', single.prepared.contentHash);
		expect(badId.ok === false && badId.error.field).toBe('id');
		const badHash = await verifyIdAndHash(fixture.db, single.prepared.content.documentId, 'abc');
		expect(badHash.ok === false && badHash.error.field).toBe('hash');
		await fc.assert(fc.asyncProperty(fc.string(), fc.string(), async (id, hash) => {
			const result = await verifyIdAndHash(fixture.db, id, hash);
			expect(result.ok === false || result.value.outcome === 'not-issued').toBe(true);
		}));
	});
});

/** A file as the code before RFC 8785 issued it: what matters here is its bytes and the id they claim. */
const fileNaming = (id: string) => Buffer.from(`%PDF-1.7\n1 0 obj << /Keywords (custodian-document-id:${id}) >> endobj\n%%EOF\n`, 'latin1');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The row the code before RFC 8785 wrote for a document: its content hashed with the lenient encoder, no encoding recorded. */
async function issuedTheOldWay(id: string, bytes: Buffer): Promise<Omit<PortfolioDocument, 'hashEncoding'>> {
	return {
		id,
		organisationId: (await dbGet(fixture.db.select().from(portfolioDocument).where(eq(portfolioDocument.id, portfolio.prepared.content.documentId))))!.organisationId,
		learnerId: fixture.learnerId,
		kind: 'attempt',
		attemptId: fixture.attemptIds[2]!,
		contentHash: sha256Hex(legacyCanonicalJson({ ...single.prepared.content, documentId: id, issuedAt: '2025-10-01T09:00:00.000Z' })),
		fileHash: sha256(bytes),
		pageCount: 3,
		byteLength: bytes.length,
		issuedAt: '2025-10-01T09:00:00.000Z',
		issuedBy: fixture.learnerId
	};
}

describe('a document issued before RFC 8785 (legacy-2025)', () => {
	it('still verifies by the content hash it printed, and as the file issued, without recomputing anything', async () => {
		const id = 'CUS-2025-0001';
		const bytes = fileNaming(id);
		const old = await issuedTheOldWay(id, bytes);
		await dbRun(fixture.db.insert(portfolioDocument).values({ ...old, hashEncoding: 'legacy-2025' }));
		expect((await dbGet(fixture.db.select().from(portfolioDocument).where(eq(portfolioDocument.id, id))))?.hashEncoding).toBe('legacy-2025');
		const facts = { id, centre: single.prepared.content.centre, kind: 'attempt', issuedAt: old.issuedAt, pageCount: 3 };
		expect(await verifyIdAndHash(fixture.db, id, old.contentHash)).toEqual({ ok: true, value: { outcome: 'unchanged', claimedId: id, document: facts } });
		expect(await verifyFile(fixture.db, bytes)).toEqual({ outcome: 'unchanged', claimedId: id, document: facts });
		// Changed, it is not matching, and the page names the document it claims to be (and nothing else about it).
		const changed = Buffer.from(bytes);
		changed[3] = changed[3]! ^ 1;
		expect(await verifyFile(fixture.db, changed)).toEqual({ outcome: 'not-matching', claimedId: id, document: null });
		const otherHash = sha256Hex(legacyCanonicalJson({ ...single.prepared.content, documentId: id, issuedAt: '2025-10-02T09:00:00.000Z' }));
		expect(await verifyIdAndHash(fixture.db, id, otherHash)).toEqual({ ok: true, value: { outcome: 'not-matching', claimedId: id, document: null } });
	});

	it('is labelled legacy-2025 by the migration that adds the column, and verifies after it', async () => {
		await withDatabaseBefore('_hash_encoding', async (db) => {
			const id = 'CUS-2025-0002';
			const bytes = fileNaming(id);
			const old = await issuedTheOldWay(id, bytes);
			// The table as it was, with foreign keys off: only the document row is needed here.
			db.$client.pragma('foreign_keys = OFF');
			db.$client
				.prepare(
					`INSERT INTO portfolio_document (id, organisation_id, learner_id, kind, attempt_id, content_hash, file_hash, page_count, byte_length, issued_at, issued_by)
					 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
				)
				.run(old.id, old.organisationId, old.learnerId, old.kind, old.attemptId, old.contentHash, old.fileHash, old.pageCount, old.byteLength, old.issuedAt, old.issuedBy);
			migrate(db, { migrationsFolder: DEFAULT_MIGRATIONS_FOLDER });
			expect(await dbGet(db.select().from(portfolioDocument).where(eq(portfolioDocument.id, id)))).toEqual({ ...old, hashEncoding: 'legacy-2025' });
			expect(await verifyIdAndHash(db, id, old.contentHash)).toMatchObject({ ok: true, value: { outcome: 'unchanged', claimedId: id } });
			expect(await verifyFile(db, bytes)).toMatchObject({ outcome: 'unchanged', claimedId: id });
		});
	});
});

describe('the upload limit', () => {
	it('reads adapter-node’s BODY_SIZE_LIMIT, 512K when unset', () => {
		expect(uploadLimitBytes(undefined)).toBe(512 * 1024);
		expect(uploadLimitBytes('4M')).toBe(4 * 1024 * 1024);
		expect(uploadLimitBytes('1000')).toBe(1000);
		expect(uploadLimitBytes('Infinity')).toBe(Number.POSITIVE_INFINITY);
	});
});

describe('the shipped fonts', () => {
	it('are found from the project root, where vitest and the built server both run', () => {
		const files = fontFiles();
		expect(files.regular).toMatch(/fonts\/DejaVuSans\.ttf$/);
	});

	it('refuses to render with a missing font directory rather than use a system font', () => {
		const before = process.env.FONTS_DIR;
		process.env.FONTS_DIR = join(dir, 'nowhere');
		try {
			expect(() => fontFiles()).toThrow(/Portfolio font missing/);
		} finally {
			if (before === undefined) delete process.env.FONTS_DIR;
			else process.env.FONTS_DIR = before;
		}
	});
});

describe('the download response', () => {
	it('streams a PDF that verifies as unchanged once read to the end', async () => {
		const prepared = (await prepareDocument(fixture.db, { learnerId: fixture.learnerId, kind: 'attempt', attemptId: fixture.attemptIds[0] }))!;
		const response = documentResponse(fixture.db, prepared, { origin: ORIGIN, issuedBy: fixture.learnerId });
		expect(response.headers.get('Content-Type')).toBe('application/pdf');
		expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="attempt-${prepared.content.documentId}.pdf"`);
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
		expect((await verifyFile(fixture.db, bytes)).outcome).toBe('unchanged');
	});

	it('records nothing for a download the client cancels', async () => {
		const prepared = (await prepareDocument(fixture.db, { learnerId: fixture.learnerId, kind: 'portfolio' }))!;
		const response = documentResponse(fixture.db, prepared, { origin: ORIGIN, issuedBy: fixture.learnerId });
		const reader = response.body!.getReader();
		await reader.read();
		await reader.cancel();
		await new Promise((done) => setTimeout(done, 300));
		expect(await verifyIdAndHash(fixture.db, prepared.content.documentId, prepared.contentHash)).toEqual({ ok: true, value: expect.objectContaining({ outcome: 'not-issued' }) });
	});
});

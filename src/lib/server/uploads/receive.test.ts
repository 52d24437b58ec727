import { dbRun, dbGet } from '$lib/core/database';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '$lib/core/database';
import { upload, UPLOAD_STORAGE_KINDS, type Upload } from '$lib/server/db/evidence';
import { user } from '$lib/server/db/schema';
import { createServerTestDb } from '$lib/server/testing';
import { eq } from 'drizzle-orm';
import { appendChunk, createUpload, type Uploader } from './receive';
import { safeFileName } from './file-name';
import { storedPath, uploadDir, type UploadLimits } from './storage';
import { storageOf } from './stores';
import { docx, docxWithNestedArchive, docxZipBomb, jpegWithGps, pdfOf, PNG_BYTES, windowsProgram } from './testing';

const limits: UploadLimits = { maxFileBytes: 20 * 1024 * 1024, maxLearnerBytes: 40 * 1024 * 1024, chunkBytes: 1024 * 1024 };
let dir: string;
const previous = { dir: process.env.UPLOAD_DIR, storage: process.env.UPLOAD_STORAGE };

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'custodian-uploads-'));
	process.env.UPLOAD_DIR = dir;
});
afterAll(() => {
	process.env.UPLOAD_DIR = previous.dir;
	process.env.UPLOAD_STORAGE = previous.storage;
	rmSync(dir, { recursive: true, force: true });
});

async function setUp(): Promise<{ db: Db; amira: Uploader; tomas: Uploader }> {
	const db = await createServerTestDb();
	for (const id of ['amira', 'tomas']) {
		await dbRun(db.insert(user).values({ id, organisationId: 'centre-1', email: `${id}@custodian.test`, displayName: id, passwordHash: 'x', createdAt: new Date(0).toISOString() }));
	}
	return { db, amira: { id: 'amira', organisationId: 'centre-1' }, tomas: { id: 'tomas', organisationId: 'centre-1' } };
}

/** A body arriving in network-sized pieces. */
async function* pieces(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
	for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}

/** A body that breaks off after `after` bytes, as a dropped connection does. */
async function* dropping(bytes: Uint8Array, after: number): AsyncGenerator<Uint8Array> {
	yield* pieces(bytes.subarray(0, after));
	throw new Error('socket hang up');
}

async function uploadWhole(db: Db, owner: Uploader, name: string, bytes: Uint8Array) {
	const created = await createUpload(db, owner, { name, length: bytes.byteLength }, limits);
	if (!created.ok) throw new Error(created.error.message);
	let offset = 0;
	let last;
	while (offset < bytes.byteLength) {
		const piece = bytes.subarray(offset, offset + limits.chunkBytes);
		last = await appendChunk(db, owner, created.value.id, offset, pieces(piece), limits);
		if (!last.ok) return { id: created.value.id, result: last };
		offset = last.value.offset;
	}
	return { id: created.value.id, result: last! };
}

const rowOf = async (db: Db, id: string) => (await dbGet(db.select().from(upload).where(eq(upload.id, id))))!;
/** The bytes the upload's storage holds (null when none). */
const storedOf = (db: Db, row: Upload) => storageOf(row).read(db, row);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(UPLOAD_STORAGE_KINDS)('receiving an upload in pieces (UPLOAD_STORAGE=%s)', (storage) => {
	beforeAll(() => {
		process.env.UPLOAD_STORAGE = storage;
	});

	it('stores a PDF sent in pieces, with its SHA-256, where only the server may read it', async () => {
		const { db, amira } = await setUp();
		const bytes = pdfOf(2.5 * 1024 * 1024);
		const { id, result } = await uploadWhole(db, amira, 'call log.pdf', bytes);
		expect(result).toMatchObject({ ok: true, value: { state: 'stored', mediaType: 'application/pdf', fileName: 'call log.pdf', offset: bytes.byteLength } });
		const row = await rowOf(db, id);
		expect(row.storage).toBe(storage);
		expect(row.sha256).toBe(sha256(bytes));
		expect(Buffer.compare(Buffer.from((await storedOf(db, row))!), bytes)).toBe(0);
		if (storage === 'directory') {
			const path = storedPath(row.storageKey);
			expect(path.startsWith(uploadDir())).toBe(true);
			expect(statSync(path).mode & 0o777).toBe(0o600);
		}
	});

	it('resumes after a dropped connection from the offset it reports, and refuses a piece for the wrong offset', async () => {
		const { db, amira } = await setUp();
		const bytes = pdfOf(1.5 * 1024 * 1024);
		const created = await createUpload(db, amira, { name: 'minutes.pdf', length: String(bytes.byteLength) }, limits);
		if (!created.ok) throw new Error(created.error.message);
		const id = created.value.id;
		const dropped = await appendChunk(db, amira, id, 0, dropping(bytes.subarray(0, limits.chunkBytes), 300 * 1024), limits);
		expect(dropped).toMatchObject({ ok: false, error: { code: 'upload.interrupted', offset: 300 * 1024 } });
		expect((await rowOf(db, id)).receivedBytes).toBe(300 * 1024);
		const wrong = await appendChunk(db, amira, id, 0, pieces(bytes.subarray(0, 1024)), limits);
		expect(wrong).toMatchObject({ ok: false, error: { code: 'upload.offset', offset: 300 * 1024 } });
		let offset = (await rowOf(db, id)).receivedBytes;
		while (offset < bytes.byteLength) {
			const next = await appendChunk(db, amira, id, offset, pieces(bytes.subarray(offset, offset + limits.chunkBytes)), limits);
			if (!next.ok) throw new Error(next.error.message);
			offset = next.value.offset;
		}
		const row = await rowOf(db, id);
		expect(row.state).toBe('stored');
		expect(row.sha256).toBe(sha256(bytes));
		expect(Buffer.compare(Buffer.from((await storedOf(db, row))!), bytes)).toBe(0);
	});

	it('refuses a file announced over the limit, and one that turns out larger than announced, leaving no bytes', async () => {
		const { db, amira } = await setUp();
		const declared = await createUpload(db, amira, { name: 'shift.mp4', length: limits.maxFileBytes + 1 }, limits);
		expect(declared).toMatchObject({ ok: false, error: { code: 'upload.too-large' } });
		expect(!declared.ok && declared.error.message).toMatch(/at most 20 MB/);
		const created = await createUpload(db, amira, { name: 'note.pdf', length: 1000 }, limits);
		if (!created.ok) throw new Error(created.error.message);
		const over = await appendChunk(db, amira, created.value.id, 0, pieces(pdfOf(1500)), limits);
		expect(over).toMatchObject({ ok: false, error: { code: 'upload.too-large' } });
		expect(await rowOf(db, created.value.id)).toMatchObject({ state: 'refused' });
		expect(await storageOf(await rowOf(db, created.value.id)).size(db, await rowOf(db, created.value.id))).toBeNull();
	});

	it('refuses a piece over the per-request limit without counting any of it', async () => {
		const { db, amira } = await setUp();
		const bytes = pdfOf(3 * 1024 * 1024);
		const created = await createUpload(db, amira, { name: 'big.pdf', length: bytes.byteLength }, limits);
		if (!created.ok) throw new Error(created.error.message);
		const result = await appendChunk(db, amira, created.value.id, 0, pieces(bytes.subarray(0, 2 * 1024 * 1024)), limits);
		expect(result).toMatchObject({ ok: false, error: { code: 'upload.too-large', offset: 0 } });
		expect(await rowOf(db, created.value.id)).toMatchObject({ state: 'receiving', receivedBytes: 0 });
	});

	it('keeps each learner within their total, counting files still arriving', async () => {
		const { db, amira, tomas } = await setUp();
		const first = await createUpload(db, amira, { name: 'a.mp4', length: 15 * 1024 * 1024 }, limits);
		const second = await createUpload(db, amira, { name: 'b.mp4', length: 15 * 1024 * 1024 }, limits);
		expect(first.ok && second.ok).toBe(true);
		const third = await createUpload(db, amira, { name: 'c.mp4', length: 15 * 1024 * 1024 }, limits);
		expect(third).toMatchObject({ ok: false, error: { code: 'upload.quota' } });
		expect(!third.ok && third.error.message).toMatch(/at most 40 MB.*already have 30 MB/);
		expect((await createUpload(db, tomas, { name: 'c.mp4', length: 15 * 1024 * 1024 }, limits)).ok).toBe(true);
	});

	it('lets only one of two uploads started at once take the last room in a learner’s total', async () => {
		const { db, amira } = await setUp();
		const both = await Promise.all([1, 2].map((n) => createUpload(db, amira, { name: `${n}.mp4`, length: 15 * 1024 * 1024 }, { ...limits, maxLearnerBytes: 20 * 1024 * 1024 })));
		expect(both.map((r) => r.ok).sort()).toEqual([false, true]);
	});

	it('does not let another user append to, or learn of, someone’s upload', async () => {
		const { db, amira, tomas } = await setUp();
		const created = await createUpload(db, amira, { name: 'log.pdf', length: 100 }, limits);
		if (!created.ok) throw new Error(created.error.message);
		expect(await appendChunk(db, tomas, created.value.id, 0, pieces(pdfOf(100)), limits)).toMatchObject({ ok: false, error: { code: 'upload.not-found' } });
		expect(await appendChunk(db, { id: 'amira', organisationId: 'centre-2' }, created.value.id, 0, pieces(pdfOf(100)), limits)).toMatchObject({ ok: false, error: { code: 'upload.not-found' } });
		expect((await rowOf(db, created.value.id)).receivedBytes).toBe(0);
	});
});

describe.each(UPLOAD_STORAGE_KINDS)('judging a finished upload by its content (UPLOAD_STORAGE=%s)', (storage) => {
	beforeAll(() => {
		process.env.UPLOAD_STORAGE = storage;
	});

	it('judges a PNG called .pdf as a PNG and names it so', async () => {
		const { db, amira } = await setUp();
		const { result } = await uploadWhole(db, amira, 'scan.pdf', PNG_BYTES);
		expect(result).toMatchObject({ ok: true, value: { state: 'stored', mediaType: 'image/png', fileName: 'scan.png' } });
	});

	it('refuses a program called .jpg, in words, and keeps none of it', async () => {
		const { db, amira } = await setUp();
		const { id, result } = await uploadWhole(db, amira, 'holiday.jpg', windowsProgram());
		expect(result).toMatchObject({ ok: false, error: { code: 'upload.refused' } });
		expect(!result.ok && result.error.message).toMatch(/program or a script/);
		expect(await rowOf(db, id)).toMatchObject({ state: 'refused', sha256: null });
		expect(await storedOf(db, await rowOf(db, id))).toBeNull();
	});

	it('removes the GPS location and camera details from a JPEG, keeping its orientation, and says what went', async () => {
		const { db, amira } = await setUp();
		const photo = jpegWithGps();
		expect(await exifr.gps(Buffer.from(photo))).toMatchObject({ latitude: 51.5 });
		const { id, result } = await uploadWhole(db, amira, 'form.jpeg', photo);
		expect(result).toMatchObject({ ok: true, value: { mediaType: 'image/jpeg', fileName: 'form.jpeg' } });
		const row = await rowOf(db, id);
		expect(row.metadataRemoved).toContain('GPS location');
		const stored = Buffer.from((await storedOf(db, row))!);
		expect(await exifr.gps(stored)).toBeUndefined();
		const left = await exifr.parse(stored, { xmp: true, gps: true, tiff: true });
		expect(left?.GPSLatitude).toBeUndefined();
		expect(left?.Orientation).toBe('Rotate 90 CW');
		expect(row.sha256).toBe(sha256(stored));
	});

	it('accepts a Word document and refuses a zip bomb and a nested archive inside one', async () => {
		const { db, amira } = await setUp();
		expect((await uploadWhole(db, amira, 'report.docx', docx())).result).toMatchObject({ ok: true, value: { fileName: 'report.docx', mediaType: expect.stringContaining('wordprocessingml') } });
		const bomb = await uploadWhole(db, amira, 'report.docx', docxZipBomb());
		expect(bomb.result).toMatchObject({ ok: false, error: { code: 'upload.refused' } });
		expect(!bomb.result.ok && bomb.result.error.message).toMatch(/zip bomb/);
		const nested = await uploadWhole(db, amira, 'report.docx', docxWithNestedArchive());
		expect(nested.result).toMatchObject({ ok: false, error: { code: 'upload.refused' } });
		expect(!nested.result.ok && nested.result.error.message).toMatch(/another archive inside it/);
	});
});

describe('safe file names', () => {
	it('drops directories and control characters, and keeps an extension only when the content matches it', () => {
		expect(safeFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
		expect(safeFileName('C:\\Users\\amira\\evil\u0000name\r\n.pdf', 'pdf')).toBe('evilname.pdf');
		expect(safeFileName('photo\u202egpj.exe', 'jpeg')).toBe('photogpj.jpg');
		expect(safeFileName('IMG_0001.JPEG', 'jpeg')).toBe('IMG_0001.jpeg');
		expect(safeFileName('...', 'png')).toBe('evidence.png');
	});
});

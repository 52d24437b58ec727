/**
 * Uploads behind a load balancer (issue 18 item 3): each "instance" here is its own connection to
 * one database (a file, or a PostgreSQL database), as separate app processes would be; what they share is the database and the
 * storage (the upload directory, or the database itself).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dbRun, dbGet, type Db } from '$lib/core/database';
import { closeTestDatabase, openSharedTestDatabase } from '$lib/core/testing-database';
import { upload, UPLOAD_STORAGE_KINDS } from '$lib/server/db/evidence';
import { organisation, user } from '$lib/server/db/schema';
import { APPEND_LEASE_MS } from './lease';
import { appendChunk, createUpload, discardUpload, type Uploader } from './receive';
import { uploadResponse } from './serve';
import type { UploadLimits } from './storage';
import { storageOf } from './stores';
import { pdfOf } from './testing';

const KB = 1024;
const limits: UploadLimits = { maxFileBytes: 20 * 1024 * KB, maxLearnerBytes: 40 * 1024 * KB, chunkBytes: 1024 * KB };
const amira: Uploader = { id: 'amira', organisationId: 'centre-1' };
let dir: string;
const previous = { dir: process.env.UPLOAD_DIR, storage: process.env.UPLOAD_STORAGE };
const opened: Db[] = [];

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'custodian-instances-'));
	process.env.UPLOAD_DIR = join(dir, 'uploads');
});
afterEach(() => {
	vi.useRealTimers();
	for (const db of opened.splice(0)) closeTestDatabase(db);
});
afterAll(() => {
	process.env.UPLOAD_DIR = previous.dir;
	process.env.UPLOAD_STORAGE = previous.storage;
	rmSync(dir, { recursive: true, force: true });
});

/** Three instances on one new database: each its own connection. */
async function instances(): Promise<[Db, Db, Db]> {
	const all = (await openSharedTestDatabase(3)) as [Db, Db, Db];
	opened.push(...all);
	const [first] = all;
	await dbRun(first.insert(organisation).values({ id: 'centre-1', name: 'Test Centre', region: 'england-and-wales', updatedAt: new Date(0).toISOString() }));
	await dbRun(first.insert(user).values({ id: 'amira', organisationId: 'centre-1', email: 'amira@custodian.test', displayName: 'Amira', passwordHash: 'x', createdAt: new Date(0).toISOString() }));
	return all;
}

async function* pieces(bytes: Uint8Array, size = 64 * KB): AsyncGenerator<Uint8Array> {
	for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}

/** A body that sends its first network chunk, says so, then waits for `go` before sending the rest. */
function stalling(bytes: Uint8Array) {
	let sentFirst!: () => void;
	let go!: () => void;
	const firstSent = new Promise<void>((resolve) => (sentFirst = resolve));
	const released = new Promise<void>((resolve) => (go = resolve));
	async function* body(): AsyncGenerator<Uint8Array> {
		yield bytes.subarray(0, 64 * KB);
		sentFirst();
		await released;
		yield* pieces(bytes.subarray(64 * KB));
	}
	return { body: body(), firstSent, go };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const rowOf = async (db: Db, id: string) => (await dbGet(db.select().from(upload).where(eq(upload.id, id))))!;

async function started(db: Db, bytes: Uint8Array): Promise<string> {
	const created = await createUpload(db, amira, { name: 'shift log.pdf', length: bytes.byteLength }, limits);
	if (!created.ok) throw new Error(created.error.message);
	return created.value.id;
}

describe.each(UPLOAD_STORAGE_KINDS)('an upload across several instances (UPLOAD_STORAGE=%s)', (storage) => {
	beforeAll(() => {
		process.env.UPLOAD_STORAGE = storage;
	});

	it('records the SHA-256 of the file when its pieces alternate between two instances, and a third serves it whole', async () => {
		const [one, two, three] = await instances();
		const bytes = pdfOf(3.5 * 1024 * KB);
		const id = await started(one, bytes);
		let offset = 0;
		for (let n = 0; offset < bytes.byteLength; n++) {
			const result = await appendChunk(n % 2 === 0 ? one : two, amira, id, offset, pieces(bytes.subarray(offset, offset + limits.chunkBytes)), limits);
			if (!result.ok) throw new Error(result.error.message);
			offset = result.value.offset;
		}
		const row = await rowOf(three, id);
		expect(row).toMatchObject({ state: 'stored', storage, receivedBytes: bytes.byteLength, appendLease: null });
		expect(row.sha256).toBe(sha256(bytes));
		expect(row.sha256).toBe(await storageOf(row).hash(three, row));
		const served = (await uploadResponse(three, row))!;
		expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), bytes)).toBe(0);
	});

	it('refuses a piece while another is still arriving on another instance, then carries on from where that one ended', async () => {
		const [one, two] = await instances();
		const bytes = pdfOf(1.5 * 1024 * KB);
		const id = await started(one, bytes);
		const slow = stalling(bytes.subarray(0, limits.chunkBytes));
		const first = appendChunk(one, amira, id, 0, slow.body, limits);
		await slow.firstSent;
		const second = await appendChunk(two, amira, id, 0, pieces(bytes.subarray(0, limits.chunkBytes)), limits);
		expect(second).toMatchObject({ ok: false, error: { code: 'upload.busy', offset: 0 } });
		expect(!second.ok && second.error.message).toMatch(/still arriving/);
		slow.go();
		expect(await first).toMatchObject({ ok: true, value: { offset: limits.chunkBytes } });
		const last = await appendChunk(two, amira, id, limits.chunkBytes, pieces(bytes.subarray(limits.chunkBytes)), limits);
		expect(last).toMatchObject({ ok: true, value: { state: 'stored', sha256: sha256(bytes) } });
	});

	it('takes over the claim of a request whose instance crashed once it lapses, and not before', async () => {
		const [one, two] = await instances();
		const bytes = pdfOf(600 * KB);
		const id = await started(one, bytes);
		// A request on a crashed instance claimed the upload and never let it go.
		await dbRun(one.update(upload).set({ appendLease: 'crashed-request', appendLeaseUntil: new Date(Date.now() + APPEND_LEASE_MS / 2).toISOString() }).where(eq(upload.id, id)));
		expect(await appendChunk(two, amira, id, 0, pieces(bytes), limits)).toMatchObject({ ok: false, error: { code: 'upload.busy' } });
		await dbRun(one.update(upload).set({ appendLeaseUntil: new Date(Date.now() - 1000).toISOString() }).where(eq(upload.id, id)));
		expect(await appendChunk(two, amira, id, 0, pieces(bytes), limits)).toMatchObject({ ok: true, value: { state: 'stored', sha256: sha256(bytes) } });
		expect(await rowOf(one, id)).toMatchObject({ appendLease: null, appendLeaseUntil: null });
	});

	it('keeps nothing of a request that stalled past its claim once another instance took over', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		const [one, two] = await instances();
		const bytes = pdfOf(900 * KB);
		const id = await started(one, bytes);
		// The stalled request sends other bytes for the same range: none of them may end up in the file.
		const stalled = stalling(new Uint8Array(bytes.byteLength).fill(0x58));
		const first = appendChunk(one, amira, id, 0, stalled.body, limits);
		await stalled.firstSent;
		vi.setSystemTime(Date.now() + 2 * APPEND_LEASE_MS);
		expect(await appendChunk(two, amira, id, 0, pieces(bytes), limits)).toMatchObject({ ok: true, value: { state: 'stored' } });
		stalled.go();
		expect(await first).toMatchObject({ ok: false, error: { code: 'upload.complete' } });
		const row = await rowOf(one, id);
		expect(row).toMatchObject({ state: 'stored', receivedBytes: bytes.byteLength, sha256: sha256(bytes) });
		expect(Buffer.compare(Buffer.from((await storageOf(row).read(one, row))!), bytes)).toBe(0);
	});

	it('keeps nothing of a piece still arriving when the learner takes the file off on another instance', async () => {
		const [one, two] = await instances();
		const bytes = pdfOf(900 * KB);
		const id = await started(one, bytes);
		const slow = stalling(bytes);
		const first = appendChunk(one, amira, id, 0, slow.body, limits);
		await slow.firstSent;
		const row = await rowOf(two, id);
		await discardUpload(two, row);
		slow.go();
		expect(await first).toMatchObject({ ok: false, error: { code: 'upload.not-found' } });
		expect(await dbGet(two.select().from(upload).where(eq(upload.id, id)))).toBeUndefined();
		expect(await storageOf(row).size(two, row)).toBeNull();
	});
});

import { dbRun, dbAll } from '$lib/core/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Db } from '$lib/core/database';
import { upload, UPLOAD_STORAGE_KINDS, type Upload, type UploadStorageKind } from '$lib/server/db/evidence';
import { uploadPiece } from '$lib/server/db/upload-pieces';
import { user } from '$lib/server/db/schema';
import { createServerTestDb } from '$lib/server/testing';
import { uploadResponse } from './serve';
import { UPLOAD_CHUNK_BYTES } from './storage';
import { storageOf } from './stores';

const dir = mkdtempSync(join(tmpdir(), 'custodian-serve-'));
const previous = process.env.UPLOAD_DIR;
beforeAll(() => {
	process.env.UPLOAD_DIR = dir;
});
afterAll(() => {
	if (previous === undefined) delete process.env.UPLOAD_DIR;
	else process.env.UPLOAD_DIR = previous;
	rmSync(dir, { recursive: true, force: true });
});

/** A stored upload row in a fresh database, with `bytes` put in its storage. */
async function storedUpload(storage: UploadStorageKind, bytes: Uint8Array | null, storageKey?: string): Promise<{ db: Db; row: Upload }> {
	const db = await createServerTestDb();
	await dbRun(db.insert(user).values({ id: 'amira', organisationId: 'centre-1', email: 'amira@custodian.test', displayName: 'Amira', passwordHash: 'x', createdAt: new Date(0).toISOString() }));
	const id = crypto.randomUUID();
	const row: Upload = {
		id,
		organisationId: 'centre-1',
		ownerId: 'amira',
		originalName: 'form.png',
		fileName: 'form.png',
		mediaType: 'image/png',
		byteLength: bytes?.byteLength ?? 5,
		receivedBytes: bytes?.byteLength ?? 5,
		sha256: null,
		storageKey: storageKey ?? `${id}.bin`,
		storage,
		appendLease: null,
		appendLeaseUntil: null,
		state: 'stored',
		refusal: '',
		metadataRemoved: '',
		createdAt: new Date(0).toISOString(),
		completedAt: new Date(0).toISOString()
	};
	await dbRun(db.insert(upload).values(row));
	if (bytes) await storageOf(row).replace(db, row, bytes);
	return { db, row };
}

describe.each(UPLOAD_STORAGE_KINDS)('serving a stored upload (UPLOAD_STORAGE=%s)', (storage) => {
	it('streams the file with its safe headers', async () => {
		const { db, row } = await storedUpload(storage, new TextEncoder().encode('bytes'));
		const response = (await uploadResponse(db, row))!;
		expect(response.headers.get('content-length')).toBe('5');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('content-security-policy')).toBe('sandbox');
		expect(await response.text()).toBe('bytes');
	});

	it('streams a file of several pieces whole and in order', async () => {
		const bytes = new Uint8Array(UPLOAD_CHUNK_BYTES * 2 + 1000).map((_, i) => (i * 7) % 251);
		const { db, row } = await storedUpload(storage, bytes);
		if (storage === 'database') expect(await dbAll(db.select().from(uploadPiece))).toHaveLength(3);
		const response = (await uploadResponse(db, row))!;
		expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
		expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), bytes)).toBe(0);
	});

	it('answers nothing (the route says 404) when the bytes are gone or the row names no stored file', async () => {
		const gone = await storedUpload(storage, new TextEncoder().encode('bytes'));
		await storageOf(gone.row).remove(gone.db, gone.row);
		expect(await uploadResponse(gone.db, gone.row)).toBeUndefined();
		const never = await storedUpload(storage, null);
		expect(await uploadResponse(never.db, never.row)).toBeUndefined();
		if (storage === 'directory') {
			const outside = await storedUpload(storage, null, '../etc/passwd');
			expect(await uploadResponse(outside.db, outside.row)).toBeUndefined();
		}
	});
});

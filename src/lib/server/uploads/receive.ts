/**
 * Receiving a file in pieces, resumably (the core of the tus 1.0 protocol: creation, the offset a
 * HEAD reports, PATCH appending at that offset), then checking it once the last byte is in.
 *
 * Bytes go to the upload's storage (storage.ts: a file in a shared directory, or pieces in the
 * database) as they arrive, never more than one request's piece in memory; an interrupted request
 * keeps what arrived, and the browser asks for the offset and goes on from there. Each piece may
 * come to a different instance: a piece sent for the wrong offset is refused (409), as is one while
 * another piece of the same upload is still arriving on any instance (the claim in lease.ts). The
 * SHA-256 is computed as the bytes arrive when they arrive in one unbroken run on this instance,
 * and from the stored bytes otherwise.
 *
 * On the last byte the content decides what the file is (detect.ts, kinds.ts): office documents are
 * opened within the archive limits (office.ts), photos lose their location and camera metadata
 * (strip.ts), both in a worker thread. A refused file leaves no bytes behind: its bytes are
 * removed, and its row says why, in words.
 */
import { dbGet, dbRun, writeTransaction } from '$lib/core/database';
import { createHash, type Hash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { upload, type Upload } from '$lib/server/db/evidence';
import { runInWorker } from '$lib/server/workers/pool';
import { firstLook, SNIFF_BYTES } from './detect';
import { safeFileName } from './file-name';
import { ALLOWED_DESCRIPTION, STRIPPED_IMAGES, UPLOAD_KINDS, type StrippedImage, type UploadKind } from './kinds';
import { claimAppend, heldBy, releaseAppend, renewAppend, type AppendLease } from './lease';
import { uploadLimits, uploadStorageKind, type UploadLimits } from './storage';
import { storageOf } from './stores';
import type { uploadJobs } from './upload-jobs';

const MB = 1024 * 1024;
/** Office documents and photos are read whole to be checked (in a worker): at most this large. */
const CHECKED_WHOLE_MAX_BYTES = 64 * MB;
/** The longest file name kept as the browser sent it (it is shown, never used as a path). */
const ORIGINAL_NAME_MAX = 255;

export type UploadErrorCode =
	| 'upload.invalid'
	| 'upload.not-found'
	| 'upload.too-large'
	| 'upload.quota'
	| 'upload.offset'
	| 'upload.busy'
	| 'upload.complete'
	| 'upload.interrupted'
	| 'upload.refused';

export interface UploadError {
	code: UploadErrorCode;
	message: string;
	/** For upload.offset: where the upload actually is. */
	offset?: number;
}
export type UploadResult<T> = { ok: true; value: T } | { ok: false; error: UploadError };

export interface Uploader {
	id: string;
	organisationId: string;
}

/** What the browser is told about an upload (tus HEAD, and the status after the last byte). */
export interface UploadStatus {
	id: string;
	state: Upload['state'];
	offset: number;
	length: number;
	fileName: string;
	mediaType: string | null;
	sha256: string | null;
	refusal: string;
	metadataRemoved: string;
}

export function statusOf(row: Upload): UploadStatus {
	return {
		id: row.id,
		state: row.state,
		offset: row.receivedBytes,
		length: row.byteLength,
		fileName: row.fileName,
		mediaType: row.mediaType,
		sha256: row.sha256,
		refusal: row.refusal,
		metadataRemoved: row.metadataRemoved
	};
}

const fail = (code: UploadErrorCode, message: string, offset?: number): { ok: false; error: UploadError } => ({ ok: false, error: { code, message, ...(offset === undefined ? {} : { offset }) } });

export function sizeInWords(bytes: number): string {
	if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1).replace(/\.0$/, '')} GB`;
	if (bytes >= MB) return `${(bytes / MB).toFixed(1).replace(/\.0$/, '')} MB`;
	return `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
}

/** The bytes a learner holds: stored files and those still arriving (so parallel uploads cannot pass the limit). */
export async function bytesHeldBy(db: Db, ownerId: string): Promise<number> {
	const row = await dbGet(db
		.select({ total: sql<number>`coalesce(sum(${upload.byteLength}), 0)` })
		.from(upload)
		.where(and(eq(upload.ownerId, ownerId), inArray(upload.state, ['receiving', 'stored']))));
	return Number(row?.total ?? 0);
}

const uploadRow = async (db: Db, uploadId: string): Promise<Upload | undefined> => await dbGet(db.select().from(upload).where(eq(upload.id, uploadId)));

/** The owner's upload, or undefined: another user's upload is as absent as one that never was. */
export async function ownUpload(db: Db, owner: Uploader, uploadId: string): Promise<Upload | undefined> {
	return await dbGet(db
		.select()
		.from(upload)
		.where(and(eq(upload.id, uploadId), eq(upload.ownerId, owner.id), eq(upload.organisationId, owner.organisationId))));
}

export interface NewUpload {
	/** The file's name as the browser gives it. */
	name: string;
	/** The announced size in bytes (tus Upload-Length), as sent. */
	length: string | number | null;
}

/** Starts an upload: checks the size against both limits, makes the empty file, records the row. */
export async function createUpload(db: Db, owner: Uploader, input: NewUpload, limits: UploadLimits = uploadLimits(), now = new Date()): Promise<UploadResult<Upload>> {
	const length = typeof input.length === 'number' ? input.length : input.length !== null && /^\d{1,16}$/.test(input.length.trim()) ? Number(input.length) : NaN;
	if (!Number.isSafeInteger(length) || length < 0) return fail('upload.invalid', 'The file’s size was not sent. Choose the file again.');
	if (length === 0) return fail('upload.invalid', 'This file is empty. Choose a file with something in it.');
	if (length > limits.maxFileBytes) {
		return fail('upload.too-large', `This file is ${sizeInWords(length)}: files may be at most ${sizeInWords(limits.maxFileBytes)}. Shorten the recording or choose a smaller file.`);
	}
	const original = input.name.slice(0, ORIGINAL_NAME_MAX) || 'file';
	const id = crypto.randomUUID();
	const storageKey = `${id}.bin`;
	const row: Upload = {
		id,
		organisationId: owner.organisationId,
		ownerId: owner.id,
		originalName: original,
		// Until the content is known, the name has no extension of its own.
		fileName: safeFileName(original, 'pdf').replace(/\.pdf$/, ''),
		mediaType: null,
		byteLength: length,
		receivedBytes: 0,
		sha256: null,
		storageKey,
		storage: uploadStorageKind(),
		appendLease: null,
		appendLeaseUntil: null,
		state: 'receiving',
		refusal: '',
		metadataRemoved: '',
		createdAt: now.toISOString(),
		completedAt: null
	};
	// The total is counted and the row recorded in one write transaction, so two uploads started at
	// once cannot both pass the learner's limit.
	const held = await writeTransaction(db, async () => {
		const bytes = await bytesHeldBy(db, owner.id);
		if (bytes + length <= limits.maxLearnerBytes) await dbRun(db.insert(upload).values(row));
		return bytes;
	});
	if (held + length > limits.maxLearnerBytes) {
		return fail(
			'upload.quota',
			`You can keep at most ${sizeInWords(limits.maxLearnerBytes)} of files, and you already have ${sizeInWords(held)}. Remove files you no longer need from your drafts, or choose a smaller file.`
		);
	}
	try {
		await storageOf(row).create(db, row);
	} catch (error) {
		await dbRun(db.delete(upload).where(eq(upload.id, id)));
		throw error;
	}
	return { ok: true, value: row };
}

/** A running SHA-256: of the bytes before `offset`, as this process received them in one unbroken run. */
interface RunningHash {
	offset: number;
	hash: Hash;
}
/**
 * Running hashes by database connection (an instance holds one), then by upload. Only a saving: a
 * piece that another instance received breaks the run, and the hash is then computed from the
 * stored bytes once the last one is in.
 */
const runningHashes = new WeakMap<Db, Map<string, RunningHash>>();

function runningHashesOf(db: Db): Map<string, RunningHash> {
	let hashes = runningHashes.get(db);
	if (!hashes) runningHashes.set(db, (hashes = new Map()));
	return hashes;
}

type Body = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

async function* chunksOf(body: Body): AsyncGenerator<Uint8Array> {
	if (Symbol.asyncIterator in body) {
		yield* body as AsyncIterable<Uint8Array>;
		return;
	}
	const reader = (body as ReadableStream<Uint8Array>).getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		reader.releaseLock();
	}
}

/** Why a request could not append, or went on no further: as the upload stands now. */
async function notClaimed(db: Db, row: Upload, offset: number): Promise<{ ok: false; error: UploadError }> {
	const current = await uploadRow(db, row.id);
	// Taken off meanwhile (the learner removed it from their draft).
	if (!current) return fail('upload.not-found', 'There is no such upload. Choose the file again.');
	if (current.state === 'stored') return fail('upload.complete', 'This file has already arrived in full.', current.receivedBytes);
	if (current.state === 'refused') return fail('upload.refused', current.refusal);
	// Another request ended meanwhile and moved the upload on: carry on from there.
	if (current.receivedBytes !== offset) {
		return fail('upload.offset', `This piece starts at byte ${offset}, but the upload has ${current.receivedBytes} bytes: carry on from there.`, current.receivedBytes);
	}
	return fail('upload.busy', 'Another piece of this file is still arriving. Wait for it, then carry on.', current.receivedBytes);
}

/**
 * Appends one piece at `offset` (tus PATCH). The piece goes to storage as it arrives; at the last
 * byte the file is checked and kept or refused. One request at a time per upload, on whichever
 * instance it arrives (lease.ts).
 */
export async function appendChunk(db: Db, owner: Uploader, uploadId: string, offset: number, body: Body, limits: UploadLimits = uploadLimits(), now = new Date()): Promise<UploadResult<UploadStatus>> {
	const row = await ownUpload(db, owner, uploadId);
	if (!row) return fail('upload.not-found', 'There is no such upload. Choose the file again.');
	if (row.state === 'stored') return fail('upload.complete', 'This file has already arrived in full.', row.receivedBytes);
	if (row.state === 'refused') return fail('upload.refused', row.refusal);
	if (!Number.isSafeInteger(offset) || offset !== row.receivedBytes) {
		return fail('upload.offset', `This piece starts at byte ${offset}, but the upload has ${row.receivedBytes} bytes: carry on from there.`, row.receivedBytes);
	}
	const lease = await claimAppend(db, row.id, offset, now);
	if (!lease) return await notClaimed(db, row, offset);
	try {
		return await receive(db, row, lease, offset, body, limits, now);
	} finally {
		await releaseAppend(db, lease);
	}
}

async function receive(db: Db, row: Upload, lease: AppendLease, offset: number, body: Body, limits: UploadLimits, now: Date): Promise<UploadResult<UploadStatus>> {
	const hashes = runningHashesOf(db);
	const running = hashes.get(row.id);
	const hash = running && running.offset === offset ? running.hash : offset === 0 ? createHash('sha256') : null;
	hashes.delete(row.id);
	const storage = storageOf(row);
	const appending = await storage.append(db, row, offset);
	let position = offset;
	let problem: 'overflow' | 'piece' | 'dropped' | 'taken-over' | null = null;
	try {
		try {
			for await (const chunk of chunksOf(body)) {
				if (position + chunk.byteLength > row.byteLength) {
					problem = 'overflow';
					break;
				}
				if (position + chunk.byteLength - offset > limits.chunkBytes) {
					problem = 'piece';
					break;
				}
				// A request that stalled past its claim writes nothing more once another has taken over.
				if (!await renewAppend(db, lease)) {
					problem = 'taken-over';
					break;
				}
				await appending.write(chunk);
				hash?.update(chunk);
				position += chunk.byteLength;
			}
		} catch {
			problem = 'dropped';
		}
		// What arrived counts (the connection may have dropped: HEAD then reports it), unless the piece
		// broke a limit or the upload is no longer this request's.
		if ((problem === null || problem === 'dropped') && position > offset) {
			const kept = await appending.keep(async () => (await dbRun(db.update(upload).set({ receivedBytes: position }).where(heldBy(lease)))).changes === 1);
			if (!kept) problem = 'taken-over';
		}
	} finally {
		await appending.close();
	}
	if (problem === 'overflow') {
		const message = `This file is larger than the ${sizeInWords(row.byteLength)} announced when it began, so it was refused. Choose the file again.`;
		await refuse(db, row, message, position);
		return fail('upload.too-large', message);
	}
	// A piece over the per-request limit counts for nothing: the offset stays where it was.
	if (problem === 'piece') return fail('upload.too-large', `One piece may be at most ${sizeInWords(limits.chunkBytes)}: send it in smaller pieces.`, offset);
	// Another request took the upload over (this one stalled past its claim): what stands is its.
	if (problem === 'taken-over') return await notClaimed(db, row, offset);
	if (hash && position < row.byteLength) hashes.set(row.id, { offset: position, hash });
	// The connection dropped: what was written stays, and HEAD reports it.
	if (problem === 'dropped') return fail('upload.interrupted', 'The connection dropped before the piece arrived in full. Carry on from where it stopped.', position);
	if (position < row.byteLength) return { ok: true, value: statusOf({ ...row, receivedBytes: position }) };
	return finish(db, { ...row, receivedBytes: position }, hash?.digest('hex') ?? null, now);
}

/** Refuses an upload: its bytes go, its row says why. */
async function refuse(db: Db, row: Upload, message: string, received = row.receivedBytes): Promise<void> {
	runningHashesOf(db).delete(row.id);
	await storageOf(row).remove(db, row);
	await dbRun(db.update(upload).set({ state: 'refused', refusal: message, receivedBytes: received }).where(eq(upload.id, row.id)));
}

async function jobs() {
	const { UPLOAD_JOBS_URL } = await import('./upload-jobs');
	return {
		run: <K extends keyof typeof uploadJobs & string>(job: K, input: Parameters<(typeof uploadJobs)[K]>[0]) =>
			runInWorker<typeof uploadJobs, K>(UPLOAD_JOBS_URL, job, input, { budgetMs: 20_000, timeoutMessage: 'Checking this file took too long, so it was not kept. Try again, or choose a smaller file.' })
	};
}

type Checked = { ok: true; kind: UploadKind; sha256: string | null; removed: string[] } | { ok: false; message: string };

/** The stored bytes (whole, or a range), which must be there: the upload's row says they are. */
async function storedBytes(db: Db, row: Upload, range?: { start: number; end: number }): Promise<Uint8Array> {
	const bytes = await storageOf(row).read(db, row, range);
	if (!bytes) throw new Error(`Upload ${row.id}: its bytes are missing from storage.`);
	return bytes;
}

/** What the finished file is, and what was done to it (a cleaned photo is written over the original). */
async function check(db: Db, row: Upload): Promise<Checked> {
	const look = firstLook(await storedBytes(db, row, { start: 0, end: SNIFF_BYTES }));
	if (!look.ok) return { ok: false, message: `${look.message} Accepted: ${ALLOWED_DESCRIPTION}.` };
	const whole = look.kind === 'zip' || look.kind === 'cfb' || look.kind === 'heic' || (STRIPPED_IMAGES as readonly string[]).includes(look.kind);
	if (!whole) return { ok: true, kind: look.kind as UploadKind, sha256: null, removed: [] };
	if (row.byteLength > CHECKED_WHOLE_MAX_BYTES) {
		return { ok: false, message: `Photos and office documents may be at most ${sizeInWords(CHECKED_WHOLE_MAX_BYTES)} (this one is ${sizeInWords(row.byteLength)}). Save a smaller copy and upload that.` };
	}
	const bytes = await storedBytes(db, row);
	const { run } = await jobs();
	if (look.kind === 'zip' || look.kind === 'cfb') {
		const outcome = look.kind === 'zip' ? await run('inspectOffice', bytes) : await run('compoundKind', bytes);
		if (!outcome.ok) return { ok: false, message: outcome.error.message };
		if (!outcome.value.ok) return { ok: false, message: outcome.value.message };
		return { ok: true, kind: outcome.value.kind as UploadKind, sha256: null, removed: [] };
	}
	if (look.kind === 'heic') {
		const outcome = await run('heicHasLocation', bytes);
		if (!outcome.ok) return { ok: false, message: outcome.error.message };
		if (outcome.value) {
			return { ok: false, message: 'This HEIC photo records where it was taken, and HEIC photos cannot be cleaned here. Send it as JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible, or share it with “Location” turned off).' };
		}
		return { ok: true, kind: 'heic', sha256: null, removed: [] };
	}
	const outcome = await run('stripImage', { kind: look.kind as StrippedImage, bytes });
	if (!outcome.ok) return { ok: false, message: outcome.error.message };
	if (!outcome.value.ok) return { ok: false, message: outcome.value.message };
	if (outcome.value.removed.length > 0) await storageOf(row).replace(db, row, outcome.value.bytes);
	return { ok: true, kind: look.kind as UploadKind, sha256: outcome.value.sha256, removed: outcome.value.removed };
}

async function finish(db: Db, row: Upload, streamedSha: string | null, now: Date): Promise<UploadResult<UploadStatus>> {
	let checked: Checked;
	try {
		checked = await check(db, row);
	} catch (error) {
		await refuse(db, row, 'This file could not be checked, so it was not kept. Try again.');
		throw error;
	}
	if (!checked.ok) {
		await refuse(db, row, checked.message);
		return fail('upload.refused', checked.message);
	}
	// Without a running hash of every byte (pieces came to other instances), the stored bytes are hashed.
	const sha256 = checked.sha256 ?? streamedSha ?? (await storageOf(row).hash(db, row));
	if (!sha256) throw new Error(`Upload ${row.id}: its bytes are missing from storage.`);
	const stored: Upload = {
		...row,
		state: 'stored',
		mediaType: UPLOAD_KINDS[checked.kind].mediaType,
		fileName: safeFileName(row.originalName, checked.kind),
		sha256,
		metadataRemoved: checked.removed.join(', '),
		completedAt: now.toISOString()
	};
	await dbRun(db.update(upload)
		.set({ state: stored.state, mediaType: stored.mediaType, fileName: stored.fileName, sha256, metadataRemoved: stored.metadataRemoved, completedAt: stored.completedAt, receivedBytes: row.byteLength })
		.where(eq(upload.id, row.id)));
	return { ok: true, value: statusOf(stored) };
}

/** An upload removed with its bytes (a draft's file the learner took off, or one abandoned). */
export async function discardUpload(db: Db, row: Upload): Promise<void> {
	runningHashesOf(db).delete(row.id);
	await storageOf(row).remove(db, row);
	await dbRun(db.delete(upload).where(eq(upload.id, row.id)));
}

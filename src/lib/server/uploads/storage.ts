/**
 * Where uploaded files live, and the limits on them (issue 17 item 5; issue 18 item 3: several
 * instances). Every reader and writer of uploaded bytes goes through the storage here: receiving
 * (receive.ts), checking and cleaning photos, serving (serve.ts), the evidence pack and the
 * portfolio PDF (workplace/portfolio.ts), disposal (retention/records.ts).
 *
 * Two storages, chosen by UPLOAD_STORAGE for new uploads; each upload row names its own, so a
 * change of setting never strands a file already stored:
 * - `directory` (the default, directory-store.ts): a file per upload under UPLOAD_DIR, named by the
 *   upload's random id, readable by the server's user only. With several instances UPLOAD_DIR must
 *   be one directory they all share (NFS, a mounted volume), as the database is.
 * - `database` (database-store.ts): the bytes in the database as pieces of at most 2 MB, written in
 *   the transaction that advances the upload's offset; the database's backup carries them.
 *
 * Which store holds an upload's bytes: stores.ts storageOf(row).
 *
 * Nothing there is ever served by path or by key: GET /uploads/[uploadId]/file reads the database
 * row, checks access (access.ts) and streams what the row's storage holds.
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Db } from '$lib/core/database';
import { UPLOAD_STORAGE_KINDS, type Upload, type UploadStorageKind } from '$lib/server/db/evidence';

const MB = 1024 * 1024;

/** Defaults: a 500 MB video fits; a learner's whole portfolio of files up to 2 GB. */
const DEFAULT_UPLOAD_MAX_FILE_BYTES = 512 * MB;
const DEFAULT_UPLOAD_MAX_LEARNER_BYTES = 2048 * MB;
/** The most one PATCH may carry (under adapter-node's BODY_SIZE_LIMIT of 4M). The browser sends this much. */
export const UPLOAD_CHUNK_BYTES = 2 * MB;

export interface UploadLimits {
	/** The largest file (bytes). */
	maxFileBytes: number;
	/** What one learner may keep in all (bytes): stored files and those still arriving. */
	maxLearnerBytes: number;
	/** The most one request may append (bytes). */
	chunkBytes: number;
}

function positive(setting: string | undefined, fallback: number): number {
	if (setting === undefined || setting.trim() === '') return fallback;
	const value = Number(setting);
	return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** The limits in force: UPLOAD_MAX_FILE_BYTES and UPLOAD_MAX_LEARNER_BYTES (README, Configuration). */
export function uploadLimits(env: Record<string, string | undefined> = process.env): UploadLimits {
	return {
		maxFileBytes: positive(env.UPLOAD_MAX_FILE_BYTES, DEFAULT_UPLOAD_MAX_FILE_BYTES),
		maxLearnerBytes: positive(env.UPLOAD_MAX_LEARNER_BYTES, DEFAULT_UPLOAD_MAX_LEARNER_BYTES),
		chunkBytes: UPLOAD_CHUNK_BYTES
	};
}

/** The upload directory (absolute), made 0700 if it is missing. */
export function uploadDir(env: Record<string, string | undefined> = process.env): string {
	const configured = env.UPLOAD_DIR?.trim() || 'data/uploads';
	const dir = isAbsolute(configured) ? configured : resolve(configured);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	return dir;
}

/** Where an upload's bytes are in the directory. `storageKey` is always the server's own name (an id), never the browser's. */
export function storedPath(storageKey: string): string {
	if (!/^[A-Za-z0-9-]+\.bin$/.test(storageKey)) throw new Error(`Not a storage key: ${storageKey}`);
	return join(uploadDir(), storageKey);
}

/**
 * Where new uploads go: UPLOAD_STORAGE, `directory` unless set. A value it does not know stops the
 * server rather than keeping learners' files somewhere nobody configured.
 */
export function uploadStorageKind(env: Record<string, string | undefined> = process.env): UploadStorageKind {
	const setting = env.UPLOAD_STORAGE?.trim() || 'directory';
	if (!(UPLOAD_STORAGE_KINDS as readonly string[]).includes(setting)) {
		throw new Error(`UPLOAD_STORAGE must be one of ${UPLOAD_STORAGE_KINDS.join(', ')}, not “${setting}”.`);
	}
	return setting as UploadStorageKind;
}

/** What a storage needs of an upload's row to find its bytes. */
export type StoredFile = Pick<Upload, 'id' | 'storageKey' | 'storage'>;

/** One request's bytes on their way into storage, from the offset it was opened at. */
export interface Appending {
	/** Takes the next bytes (after those already taken). */
	write(chunk: Uint8Array): Promise<void>;
	/**
	 * Keeps the bytes taken so far: `advance` (the upload row's update, false when the request no
	 * longer holds the upload) runs after the bytes are safe (directory) or in the same transaction
	 * as them (database). False when advance was refused; the database then keeps none of them.
	 */
	keep(advance: () => boolean | Promise<boolean>): Promise<boolean>;
	/** Lets go of what the request held (a file handle, buffered bytes); always called, after keep or instead of it. */
	close(): Promise<void>;
}

/** A file opened for reading: its size and its bytes as a stream. */
export interface OpenedFile {
	size: number;
	stream: ReadableStream<Uint8Array>;
}

export interface UploadStorage {
	/** Makes the empty file of a new upload. */
	create(db: Db, file: StoredFile): Promise<void>;
	/** Starts appending at `offset` (the upload's received bytes, claimed by this request: lease.ts). */
	append(db: Db, file: StoredFile, offset: number): Promise<Appending>;
	/** The stored size in bytes; null when nothing is stored (an upload is never empty once stored). */
	size(db: Db, file: StoredFile): Promise<number | null>;
	/** The bytes from `start` up to `end` (exclusive), or the whole file; null when nothing is stored. */
	read(db: Db, file: StoredFile, range?: { start: number; end: number }): Promise<Uint8Array | null>;
	/** The file for streaming (never whole in memory); null when nothing is stored. */
	open(db: Db, file: StoredFile): Promise<OpenedFile | null>;
	/** Puts `bytes` in place of the file, whole (a photo with its location removed). */
	replace(db: Db, file: StoredFile, bytes: Uint8Array): Promise<void>;
	/** Removes the file's bytes; nothing happens when there are none. */
	remove(db: Db, file: StoredFile): Promise<void>;
	/** The SHA-256 (hex) of the stored bytes, streamed; null when nothing is stored. */
	hash(db: Db, file: StoredFile): Promise<string | null>;
}

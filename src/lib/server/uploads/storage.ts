/**
 * Where uploaded files live, and the limits on them (issue 17 item 5). Files are kept outside the
 * build and static folders, under UPLOAD_DIR (default `data/uploads`, beside the database), each in a
 * file of its own named by the upload's random id, readable by the server's user only (0600 in a
 * 0700 directory). Nothing there is ever served by path: GET /uploads/[uploadId]/file reads the
 * database row, checks access (access.ts) and streams `join(uploadDir(), upload.storageKey)`.
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

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

/** Where an upload's bytes are. `storageKey` is always the server's own name (an id), never the browser's. */
export function storedPath(storageKey: string): string {
	if (!/^[A-Za-z0-9-]+\.bin$/.test(storageKey)) throw new Error(`Not a storage key: ${storageKey}`);
	return join(uploadDir(), storageKey);
}

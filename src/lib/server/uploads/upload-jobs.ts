/**
 * The heavy part of checking a finished upload, as worker jobs (workers/pool.ts explains how job
 * modules are found): opening an office document's archive, removing a photo's metadata and
 * hashing the result, finding a legacy Office file's kind, looking for a location in a HEIC photo.
 * Reach it only through receive.ts, which imports it dynamically. Relative imports only.
 */
import { createHash } from 'node:crypto';
import { serveJobs } from '../workers/pool';
import { compoundKind } from './detect';
import type { StrippedImage } from './kinds';
import { inspectOfficeArchive } from './office';
import { heicHasLocation, stripImage, UnreadableImage } from './strip';

export const UPLOAD_JOBS_URL = import.meta.url;

export const uploadJobs = {
	inspectOffice: (bytes: Uint8Array) => inspectOfficeArchive(bytes),
	compoundKind: (bytes: Uint8Array) => compoundKind(bytes),
	heicHasLocation: (bytes: Uint8Array) => heicHasLocation(bytes),
	stripImage: (input: { kind: StrippedImage; bytes: Uint8Array }) => {
		try {
			const stripped = stripImage(input.kind, input.bytes);
			return { ok: true as const, bytes: stripped.bytes, removed: stripped.removed, sha256: createHash('sha256').update(stripped.bytes).digest('hex') };
		} catch (e) {
			if (e instanceof UnreadableImage || e instanceof RangeError) return { ok: false as const, message: 'This image could not be read: it is damaged, or not the kind of image it starts as.' };
			throw e;
		}
	}
};

serveJobs(import.meta.url, uploadJobs);

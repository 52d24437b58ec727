/**
 * Opening an uploaded ZIP within limits (zip bombs refused before anything is inflated, from the
 * sizes the archive declares). Relative imports only: a worker runs it (pack-jobs.ts).
 */
import { unzipSync } from 'fflate';

export const PACK_LIMITS = {
	/** Entries in one archive. */
	entries: 500,
	/** Bytes once inflated, all entries together. */
	totalBytes: 32 * 1024 * 1024,
	/** Inflated size over compressed size, for entries over 64 KB inflated. */
	ratio: 100
} as const;

export type PackLimit = 'entries' | 'total-size' | 'ratio' | 'declared-size' | 'unreadable';

export type ArchiveOpening = { ok: true; entries: Map<string, Uint8Array> } | { ok: false; limit: PackLimit; message: string };

class LimitHit extends Error {
	constructor(
		readonly limit: PackLimit,
		message: string
	) {
		super(message);
	}
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** The archive's entries, inflated, or the limit it breaks. */
export function openArchive(bytes: Uint8Array): ArchiveOpening {
	let count = 0;
	let total = 0;
	const declared = new Map<string, number>();
	let unzipped: Record<string, Uint8Array>;
	try {
		unzipped = unzipSync(bytes, {
			filter: (file) => {
				count++;
				if (count > PACK_LIMITS.entries) throw new LimitHit('entries', `The archive has more than ${PACK_LIMITS.entries} files, more than any pack this centre issues. It was not opened.`);
				total += file.originalSize;
				if (total > PACK_LIMITS.totalBytes) throw new LimitHit('total-size', `The archive would inflate to more than ${mb(PACK_LIMITS.totalBytes)}. It was not opened.`);
				if (file.originalSize > 64 * 1024 && file.originalSize > PACK_LIMITS.ratio * Math.max(1, file.size)) {
					throw new LimitHit('ratio', `“${file.name.slice(0, 120)}” would inflate more than ${PACK_LIMITS.ratio} times its size (a zip bomb). The archive was not opened.`);
				}
				declared.set(file.name, file.originalSize);
				return true;
			}
		});
	} catch (e) {
		if (e instanceof LimitHit) return { ok: false, limit: e.limit, message: e.message };
		return { ok: false, limit: 'unreadable', message: 'The file starts like a ZIP archive but could not be read as one.' };
	}
	const entries = new Map<string, Uint8Array>();
	for (const [name, data] of Object.entries(unzipped)) {
		if (data.byteLength !== declared.get(name)) return { ok: false, limit: 'declared-size', message: `“${name.slice(0, 120)}” inflates to a size other than the archive declares. It was not read.` };
		if (!name.endsWith('/')) entries.set(name, data);
	}
	return { ok: true, entries };
}


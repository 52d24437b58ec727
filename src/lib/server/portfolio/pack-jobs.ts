/**
 * Zipping an evidence pack, and opening an uploaded one, as worker jobs (workers/pool.ts explains how job modules are found).
 * Reach it only through evidence-pack.ts, which imports it dynamically. Relative imports only.
 */
import { zipSync } from 'fflate';
import { serveJobs } from '../workers/pool';
import { openArchive } from './archive';

export const PACK_JOBS_URL = import.meta.url;

export const packJobs = {
	/** The whole archive: a PDF (already compressed) is stored, text is deflated. */
	zipPack: (input: { files: { path: string; bytes: Uint8Array }[]; mtime: string }) => {
		const mtime = new Date(input.mtime);
		const tree: Record<string, [Uint8Array, { level: 0 | 6; mtime: Date }]> = {};
		for (const file of input.files) tree[file.path] = [file.bytes, { level: file.path.endsWith('.pdf') ? 0 : 6, mtime }];
		return zipSync(tree);
	},
	/** An uploaded archive's entries, or the limit it breaks (archive.ts). */
	openArchive: (bytes: Uint8Array) => openArchive(bytes)
};

serveJobs(import.meta.url, packJobs);

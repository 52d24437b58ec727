/**
 * Zipping an evidence pack as a worker job (workers/pool.ts explains how job modules are found).
 * Reach it only through evidence-pack.ts, which imports it dynamically. Relative imports only.
 */
import { zipSync } from 'fflate';
import { serveJobs } from '../workers/pool';

export const PACK_JOBS_URL = import.meta.url;

export const packJobs = {
	/** The whole archive: a PDF (already compressed) is stored, text is deflated. */
	zipPack: (input: { files: { path: string; bytes: Uint8Array }[]; mtime: string }) => {
		const mtime = new Date(input.mtime);
		const tree: Record<string, [Uint8Array, { level: 0 | 6; mtime: Date }]> = {};
		for (const file of input.files) tree[file.path] = [file.bytes, { level: file.path.endsWith('.pdf') ? 0 : 6, mtime }];
		return zipSync(tree);
	}
};

serveJobs(import.meta.url, packJobs);

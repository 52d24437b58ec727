/**
 * Zipping an evidence pack, and opening an uploaded one, as worker jobs (workers/pool.ts explains how job modules are found).
 * Reach it only through evidence-pack.ts, which imports it dynamically. Relative imports only.
 */
import { zipSync } from 'fflate';
import { serveJobs } from '../workers/pool';
import { openArchive } from './archive';

export const PACK_JOBS_URL = import.meta.url;

export const packJobs = {
	/**
	 * The whole archive: a PDF (already compressed) is stored, text is deflated. The learner's workplace
	 * files are stored as uploaded: photos and videos are compressed already, and a stored entry never
	 * looks like a zip bomb to /verify's ratio rule, whatever the learner uploaded.
	 */
	zipPack: (input: { files: { path: string; bytes: Uint8Array }[]; mtime: string }) => {
		const mtime = new Date(input.mtime);
		const tree: Record<string, [Uint8Array, { level: 0 | 6; mtime: Date }]> = {};
		for (const file of input.files) tree[file.path] = [file.bytes, { level: file.path.endsWith('.pdf') || file.path.startsWith('workplace/') ? 0 : 6, mtime }];
		return zipSync(tree);
	},
	/** An uploaded archive's entries, or the limit it breaks (archive.ts). */
	openArchive: (bytes: Uint8Array) => openArchive(bytes)
};

serveJobs(import.meta.url, packJobs);

/**
 * Checking an uploaded evidence pack (/verify). The exact ZIP this centre issued is known by its
 * SHA-256 (portfolio_document.file_hash). Any other ZIP is opened, within limits, and read:
 *   - its manifest must hash to its own `manifestHash` and be that of a pack this centre recorded
 *     (content hash), or the pack is "not ours" (an edited manifest lands here);
 *   - each file must be in the manifest with the same SHA-256 and length: a swapped, added or
 *     missing file is named.
 * Zip bombs are refused before anything is inflated, from the sizes the archive declares: too many
 * entries, too much in total, or an entry that would inflate more than MAX_RATIO times. An entry
 * that inflates to more than it declared is refused too. Archives inside the pack are hashed as
 * bytes and never opened. The archive is inflated in a worker (archive.ts through pack-jobs.ts).
 */
import { dbGet } from '$lib/core/database';
import { and, eq } from 'drizzle-orm';
import type { Db } from '$lib/core';
import { runInWorker } from '$lib/server/workers/pool';
import { organisation } from '$lib/server/db/schema';
import { portfolioDocument } from '$lib/server/db/assessment';
import { MANIFEST_PATH, manifestHashOf, sha256OfBytes, type Manifest } from './evidence-pack';
import { openArchive, type ArchiveOpening, type PackLimit } from './archive';
import type { packJobs } from './pack-jobs';

export { PACK_LIMITS, openArchive, type PackLimit } from './archive';

export interface PackFacts {
	id: string;
	centre: string;
	learner: string;
	issuedAt: string;
	issuedBy: string;
	files: { path: string; bytes: number }[];
}

export type PackVerification =
	| { outcome: 'unchanged'; claimedId: string; pack: PackFacts; repacked: boolean }
	| { outcome: 'files-changed'; claimedId: string; changed: string[]; missing: string[]; added: string[] }
	| { outcome: 'not-ours'; claimedId: string | null; reason: string }
	| { outcome: 'refused'; limit: PackLimit; message: string };

/** Inflating a few MB takes milliseconds, but never on the event loop of a public page: in a worker. */
export async function openArchiveOffThread(bytes: Uint8Array): Promise<ArchiveOpening> {
	const { PACK_JOBS_URL } = await import('./pack-jobs');
	const outcome = await runInWorker<typeof packJobs, 'openArchive'>(PACK_JOBS_URL, 'openArchive', bytes, { budgetMs: 10_000, timeoutMessage: 'Opening this archive took too long.' });
	if (!outcome.ok) return { ok: false, limit: 'unreadable', message: 'The archive could not be opened in time. It was not checked.' };
	return outcome.value;
}

export function looksLikeZip(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function parseManifest(bytes: Uint8Array | undefined): Manifest | null {
	if (!bytes) return null;
	try {
		const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
		if (!value || typeof value !== 'object') return null;
		const m = value as Manifest;
		if (typeof m.manifestHash !== 'string' || typeof m.packId !== 'string' || !Array.isArray(m.files)) return null;
		if (!m.files.every((f) => f && typeof f.path === 'string' && typeof f.sha256 === 'string' && typeof f.bytes === 'number')) return null;
		return m;
	} catch {
		return null;
	}
}

/** An uploaded ZIP: the exact pack, the same pack repacked, a pack with changed files, or not ours. */
export async function verifyPack(db: Db, bytes: Uint8Array, open: (bytes: Uint8Array) => ArchiveOpening | Promise<ArchiveOpening> = openArchiveOffThread): Promise<PackVerification> {
	const fileHash = sha256OfBytes(bytes);
	const exact = await dbGet(db.select().from(portfolioDocument).where(and(eq(portfolioDocument.fileHash, fileHash), eq(portfolioDocument.kind, 'evidence-pack'))));
	const opened = await open(bytes);
	if (!opened.ok) return { outcome: 'refused', limit: opened.limit, message: opened.message };
	const manifest = parseManifest(opened.entries.get(MANIFEST_PATH));
	if (!manifest) return { outcome: 'not-ours', claimedId: null, reason: 'It has no manifest.json this centre could read.' };
	let hashOk = false;
	try {
		hashOk = manifestHashOf(manifest) === manifest.manifestHash;
	} catch {
		hashOk = false;
	}
	const recorded = await dbGet(db
		.select()
		.from(portfolioDocument)
		.where(and(eq(portfolioDocument.id, String(manifest.packId).slice(0, 40)), eq(portfolioDocument.kind, 'evidence-pack'))));
	if (!hashOk || !recorded || recorded.contentHash !== manifest.manifestHash) {
		return { outcome: 'not-ours', claimedId: recorded ? recorded.id : null, reason: 'Its manifest is not one this centre issued: it has been edited, or the pack was not made here.' };
	}
	const listed = new Map(manifest.files.map((f) => [f.path, f]));
	const changed: string[] = [];
	const added: string[] = [];
	for (const [path, data] of opened.entries) {
		if (path === MANIFEST_PATH) continue;
		const entry = listed.get(path);
		if (!entry) added.push(path);
		else if (entry.bytes !== data.byteLength || entry.sha256 !== sha256OfBytes(data)) changed.push(path);
	}
	const missing = [...listed.keys()].filter((path) => !opened.entries.has(path));
	if (changed.length || missing.length || added.length) return { outcome: 'files-changed', claimedId: recorded.id, changed, missing, added };
	const centre = (await dbGet(db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, recorded.organisationId))))?.name ?? '';
	return {
		outcome: 'unchanged',
		claimedId: recorded.id,
		repacked: !exact,
		pack: {
			id: recorded.id,
			centre,
			// Read from the verified manifest: whoever holds the pack already has the learner's name in it.
			learner: manifest.learner.name,
			issuedAt: recorded.issuedAt,
			issuedBy: manifest.issuedBy.name,
			files: manifest.files.map((f) => ({ path: f.path, bytes: f.bytes }))
		}
	};
}

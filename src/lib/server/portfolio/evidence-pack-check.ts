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
 * bytes and never opened.
 */
import { and, eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import type { Db } from '$lib/core';
import { organisation } from '$lib/server/db/schema';
import { portfolioDocument } from '$lib/server/db/assessment';
import { MANIFEST_PATH, manifestHashOf, sha256OfBytes, type Manifest } from './evidence-pack';

export const PACK_LIMITS = {
	/** Entries in one archive. */
	entries: 500,
	/** Bytes once inflated, all entries together. */
	totalBytes: 64 * 1024 * 1024,
	/** Inflated size over compressed size, for entries over 64 KB inflated. */
	ratio: 100
} as const;

export type PackLimit = 'entries' | 'total-size' | 'ratio' | 'declared-size' | 'unreadable';

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

export function looksLikeZip(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

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
export function openArchive(bytes: Uint8Array): { ok: true; entries: Map<string, Uint8Array> } | { ok: false; limit: PackLimit; message: string } {
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
export function verifyPack(db: Db, bytes: Uint8Array): PackVerification {
	const fileHash = sha256OfBytes(bytes);
	const exact = db.select().from(portfolioDocument).where(and(eq(portfolioDocument.fileHash, fileHash), eq(portfolioDocument.kind, 'evidence-pack'))).get();
	const opened = openArchive(bytes);
	if (!opened.ok) return { outcome: 'refused', limit: opened.limit, message: opened.message };
	const manifest = parseManifest(opened.entries.get(MANIFEST_PATH));
	if (!manifest) return { outcome: 'not-ours', claimedId: null, reason: 'It has no manifest.json this centre could read.' };
	let hashOk = false;
	try {
		hashOk = manifestHashOf(manifest) === manifest.manifestHash;
	} catch {
		hashOk = false;
	}
	const recorded = db
		.select()
		.from(portfolioDocument)
		.where(and(eq(portfolioDocument.id, String(manifest.packId).slice(0, 40)), eq(portfolioDocument.kind, 'evidence-pack')))
		.get();
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
	const centre = db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, recorded.organisationId)).get()?.name ?? '';
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

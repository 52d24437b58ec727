/**
 * Workplace evidence in the learner's portfolio PDF (issue 17 item 5): each submitted or judged item
 * with its STAR account, declaration, files (name, type, size, SHA-256) and its signed decisions with
 * their countersignatures; and the bytes of its JPEG and PNG files, read from storage and checked
 * against their SHA-256, for the PDF to embed. Never the assessor's private note.
 */
import { dbAll } from '$lib/core/database';
import { storageOf } from '$lib/server/uploads/stores';
import { createHash } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import { criterionByCode } from '$lib/criteria';
import { isShownImage } from '$lib/evidence-files';
import type { Db } from '$lib/core/database';
import { upload, workplaceEvidence } from '$lib/server/db/evidence';
import type { JudgedFile } from '$lib/server/db/workplace-decisions';
import { OUTCOME_LABELS } from '$lib/server/assessment/decisions';
import { signedIqaOutcomes, type SignedIqaOutcome } from '$lib/server/iqa/records';
import { judgedWorkplaceEvidence, workplaceCountersignaturesOf, workplaceDecisionsOf } from './decisions';

export interface PortfolioWorkplaceDecision {
	sequence: number;
	outcomeLabel: string;
	superseded: boolean;
	feedback: string;
	nextSteps: string;
	criteria: { code: string; title: string; met: boolean; feedback: string }[];
	signedName: string;
	signedAt: string;
	evidenceHash: string;
	signatureHash: string;
	/** For a trainee's decision: the countersignature, or null while it waits. Absent otherwise. */
	countersignature?: { outcome: 'countersigned' | 'sent-back'; signedName: string; signedAt: string; signatureHash: string; comment: string } | null;
	/**
	 * The IQA's signed rounds on this decision when it was sampled: outcome, signer, time and hash only
	 * (the IQA's feedback to the assessor never reaches the learner). Absent when not sampled.
	 */
	iqa?: SignedIqaOutcome[];
}

export interface PortfolioWorkplace {
	evidenceId: string;
	title: string;
	situation: string;
	task: string;
	action: string;
	result: string;
	declaration: string;
	declaredAt: string | null;
	submittedAt: string | null;
	criteriaClaimed: string[];
	files: JudgedFile[];
	/** Newest first. */
	decisions: PortfolioWorkplaceDecision[];
}

/**
 * The learner's workplace evidence for the PDF, oldest first: what is submitted as it stands; what
 * is back with the learner for a resubmission as it was last judged (their draft is not evidence yet).
 */
export async function workplacePortfolio(db: Db, learnerId: string): Promise<PortfolioWorkplace[]> {
	const rows = await dbAll(db.select().from(workplaceEvidence).where(eq(workplaceEvidence.learnerId, learnerId)).orderBy(asc(workplaceEvidence.createdAt), asc(workplaceEvidence.id)));
	const out: PortfolioWorkplace[] = [];
	for (const row of rows) {
		const decisions = (await workplaceDecisionsOf(db, row.id)).filter((d) => d.learnerId === learnerId);
		if (row.state !== 'submitted' && decisions.length === 0) continue;
		const shown = row.state === 'submitted' ? (await judgedWorkplaceEvidence(db, row.id))! : decisions[0]!.evidence;
		const countersignatures = await workplaceCountersignaturesOf(db, decisions.filter((d) => d.requiresCountersignature).map((d) => d.id));
		const sampled = await signedIqaOutcomes(db, 'workplace', decisions.map((d) => d.id));
		out.push({
			evidenceId: row.id,
			title: shown.title,
			situation: shown.situation,
			task: shown.task,
			action: shown.action,
			result: shown.result,
			declaration: shown.declaration,
			declaredAt: shown.declaredAt,
			submittedAt: shown.submittedAt,
			criteriaClaimed: [...shown.criteriaClaimed],
			files: shown.files.map((f) => ({ ...f })),
			// The assessor's note is deliberately left out: it never reaches the learner's PDF.
			decisions: decisions.map((d, i) => {
				const c = countersignatures.get(d.id);
				return {
					sequence: d.sequence,
					outcomeLabel: OUTCOME_LABELS[d.outcome],
					superseded: i > 0,
					feedback: d.feedback,
					nextSteps: d.nextSteps,
					criteria: d.criteria.map((j) => ({ code: j.code, title: criterionByCode(j.code)?.title ?? j.code, met: j.met, feedback: j.feedback })),
					signedName: d.signedName,
					signedAt: d.signedAt,
					evidenceHash: d.evidenceHash,
					signatureHash: d.signatureHash,
					...(d.requiresCountersignature
						? { countersignature: c ? { outcome: c.outcome, signedName: c.signedName, signedAt: c.signedAt, signatureHash: c.signatureHash, comment: c.comment } : null }
						: {}),
					...(sampled.has(d.id) ? { iqa: sampled.get(d.id) } : {})
				};
			})
		});
	}
	return out;
}

/** Images larger than this are listed with their hash but not drawn: the PDF is not a copy of the media. */
export const EMBEDDED_IMAGE_MAX_BYTES = 15 * 1024 * 1024;

/**
 * The bytes of each JPEG and PNG the content lists, by SHA-256, read from storage and kept only when
 * they still hash to the SHA-256 recorded: a file changed in storage is never drawn as if it were the evidence.
 */
export async function workplaceImages(db: Db, items: readonly PortfolioWorkplace[]): Promise<Record<string, Uint8Array>> {
	const wanted = items.flatMap((item) => item.files).filter((f) => isShownImage(f.mediaType) && f.sha256 !== null && f.byteLength <= EMBEDDED_IMAGE_MAX_BYTES);
	if (wanted.length === 0) return {};
	const stored = new Map(
		(await dbAll(db
			.select({ id: upload.id, storageKey: upload.storageKey, storage: upload.storage, sha256: upload.sha256 })
			.from(upload)
			.where(inArray(upload.id, [...new Set(wanted.map((f) => f.uploadId))]))))
			.map((u) => [u.id, u])
	);
	const images: Record<string, Uint8Array> = {};
	for (const file of wanted) {
		const row = stored.get(file.uploadId);
		if (!row || images[file.sha256!]) continue;
		const storage = storageOf(row);
		const size = await storage.size(db, row);
		if (size === null || size > EMBEDDED_IMAGE_MAX_BYTES) continue;
		const bytes = await storage.read(db, row);
		if (bytes && createHash('sha256').update(bytes).digest('hex') === file.sha256) images[file.sha256!] = bytes;
	}
	return images;
}

/** What an evidence pack takes of workplace files: they are read whole and hashed, so large media stay out. */
export const PACK_FILE_MAX_BYTES = 32 * 1024 * 1024;
export const PACK_FILES_MAX_BYTES = 128 * 1024 * 1024;

/**
 * The stored bytes of these items' files for the evidence pack, by upload id, as they are in storage
 * now: null when missing, 'too-large' when the file (or the files before it together) pass what a
 * pack takes. Read asynchronously, never more than PACK_FILES_MAX_BYTES in all. The pack checks
 * each against its recorded SHA-256 and never packs one that no longer matches
 * (portfolio/evidence-pack.ts packFiles).
 */
export async function workplaceFileBytes(db: Db, items: readonly PortfolioWorkplace[]): Promise<Map<string, Uint8Array | null | 'too-large'>> {
	const ids = [...new Set(items.flatMap((item) => item.files.map((f) => f.uploadId)))];
	const out = new Map<string, Uint8Array | null | 'too-large'>();
	if (ids.length === 0) return out;
	const rows = new Map((await dbAll(db.select({ id: upload.id, storageKey: upload.storageKey, storage: upload.storage }).from(upload).where(inArray(upload.id, ids)))).map((u) => [u.id, u]));
	let total = 0;
	for (const id of ids) {
		const row = rows.get(id);
		const size = row ? await storageOf(row).size(db, row) : null;
		if (!row || size === null) {
			out.set(id, null);
			continue;
		}
		if (size > PACK_FILE_MAX_BYTES || total + size > PACK_FILES_MAX_BYTES) {
			out.set(id, 'too-large');
			continue;
		}
		total += size;
		out.set(id, await storageOf(row).read(db, row));
	}
	return out;
}

/**
 * Workplace evidence in the learner's portfolio PDF (issue 17 item 5): each submitted or judged item
 * with its STAR account, declaration, files (name, type, size, SHA-256) and its signed decisions with
 * their countersignatures; and the bytes of its JPEG and PNG files, read from storage and checked
 * against their SHA-256, for the PDF to embed. Never the assessor's private note.
 */
import { uploadDir } from '$lib/server/uploads/storage';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { asc, eq, inArray } from 'drizzle-orm';
import { criterionByCode } from '$lib/criteria';
import { isShownImage } from '$lib/evidence-files';
import type { Db } from '$lib/core/database';
import { upload, workplaceEvidence } from '$lib/server/db/evidence';
import type { JudgedFile } from '$lib/server/db/workplace-decisions';
import { OUTCOME_LABELS } from '$lib/server/assessment/decisions';
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
}

export interface PortfolioWorkplace {
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
export function workplacePortfolio(db: Db, learnerId: string): PortfolioWorkplace[] {
	const rows = db.select().from(workplaceEvidence).where(eq(workplaceEvidence.learnerId, learnerId)).orderBy(asc(workplaceEvidence.createdAt), asc(workplaceEvidence.id)).all();
	const out: PortfolioWorkplace[] = [];
	for (const row of rows) {
		const decisions = workplaceDecisionsOf(db, row.id).filter((d) => d.learnerId === learnerId);
		if (row.state !== 'submitted' && decisions.length === 0) continue;
		const shown = row.state === 'submitted' ? judgedWorkplaceEvidence(db, row.id)! : decisions[0]!.evidence;
		const countersignatures = workplaceCountersignaturesOf(db, decisions.filter((d) => d.requiresCountersignature).map((d) => d.id));
		out.push({
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
						: {})
				};
			})
		});
	}
	return out;
}

/**
 * Where uploaded files are stored: UPLOAD_DIR, by default data/uploads, as the uploads module
 * (uploads/storage.ts uploadDir) decides it.
 */
function uploadRoot(): string {
	return uploadDir();
}

/** Images larger than this are listed with their hash but not drawn: the PDF is not a copy of the media. */
export const EMBEDDED_IMAGE_MAX_BYTES = 15 * 1024 * 1024;

/**
 * The bytes of each JPEG and PNG the content lists, by SHA-256, read from storage and kept only when
 * they still hash to the SHA-256 recorded: a file changed on disk is never drawn as if it were the evidence.
 */
export function workplaceImages(db: Db, items: readonly PortfolioWorkplace[]): Record<string, Uint8Array> {
	const wanted = items.flatMap((item) => item.files).filter((f) => isShownImage(f.mediaType) && f.sha256 !== null && f.byteLength <= EMBEDDED_IMAGE_MAX_BYTES);
	if (wanted.length === 0) return {};
	const stored = new Map(
		db
			.select({ id: upload.id, storageKey: upload.storageKey, sha256: upload.sha256 })
			.from(upload)
			.where(inArray(upload.id, [...new Set(wanted.map((f) => f.uploadId))]))
			.all()
			.map((u) => [u.id, u])
	);
	const root = uploadRoot();
	const images: Record<string, Uint8Array> = {};
	for (const file of wanted) {
		const row = stored.get(file.uploadId);
		if (!row || images[file.sha256!]) continue;
		const path = resolve(join(root, row.storageKey));
		// The storage key comes from the database, but a path outside the upload directory is never read.
		if (!path.startsWith(root + '/') || !existsSync(path) || statSync(path).size > EMBEDDED_IMAGE_MAX_BYTES) continue;
		const bytes = new Uint8Array(readFileSync(path));
		if (createHash('sha256').update(bytes).digest('hex') === file.sha256) images[file.sha256!] = bytes;
	}
	return images;
}

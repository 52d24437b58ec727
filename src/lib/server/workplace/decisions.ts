/**
 * Signed decisions on workplace evidence (issue 17 item 5) as they are read and verified: what the
 * assessor judged (a snapshot of the evidence), the hashes a signature rests on, the decision in
 * force, and whether it counts (a trainee's counts once a qualified assessor countersigns it).
 * Hashes are SHA-256 of RFC 8785 canonical JSON (core/canonical-json.ts), like every new hash.
 */
import { dbGet, dbAll } from '$lib/core/database';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { CanonicalJsonError, canonicalHash } from '$lib/core';
import type { Db } from '$lib/core/database';
import { upload, workplaceEvidence, workplaceEvidenceFile } from '$lib/server/db/evidence';
import {
	workplaceDecision,
	workplaceDecisionCountersignature,
	type JudgedWorkplaceEvidence,
	type WorkplaceDecision,
	type WorkplaceDecisionCountersignature
} from '$lib/server/db/workplace-decisions';
import { countersignStanding, type CountersignStanding } from '$lib/server/assessment/decisions';
import { verifyCountersignature } from '$lib/server/assessment/countersigning';

/** The evidence as it stands now, exactly as an assessor judges it; undefined for an unknown id. */
export async function judgedWorkplaceEvidence(db: Db, evidenceId: string): Promise<JudgedWorkplaceEvidence | undefined> {
	const row = await dbGet(db.select().from(workplaceEvidence).where(eq(workplaceEvidence.id, evidenceId)));
	if (!row) return undefined;
	const files = await dbAll(db
		.select({ uploadId: upload.id, name: upload.fileName, mediaType: upload.mediaType, byteLength: upload.byteLength, sha256: upload.sha256, addedAt: workplaceEvidenceFile.addedAt })
		.from(workplaceEvidenceFile)
		.innerJoin(upload, eq(upload.id, workplaceEvidenceFile.uploadId))
		.where(eq(workplaceEvidenceFile.evidenceId, evidenceId))
		.orderBy(asc(workplaceEvidenceFile.addedAt), asc(upload.fileName), asc(upload.id)));
	return {
		evidenceId: row.id,
		learnerId: row.learnerId,
		title: row.title,
		situation: row.situation,
		task: row.task,
		action: row.action,
		result: row.result,
		declaration: row.declaration,
		declaredAt: row.declaredAt,
		submittedAt: row.submittedAt,
		criteriaClaimed: [...row.criteria],
		files: files.map(({ addedAt: _added, ...f }) => f)
	};
}

export function workplaceEvidenceHashOf(evidence: JudgedWorkplaceEvidence): string {
	return canonicalHash(evidence, 'evidence');
}

type UnsignedWorkplaceDecision = Omit<WorkplaceDecision, 'signatureHash'>;

/** What a signature covers: the decision, the evidence hash, who signed and when, the encoding and the countersignature flag. */
export function workplaceSignatureHashOf(d: UnsignedWorkplaceDecision): string {
	return canonicalHash(
		{
			workplaceDecision: {
				id: d.id,
				evidenceId: d.evidenceId,
				learnerId: d.learnerId,
				sequence: d.sequence,
				supersedesId: d.supersedesId,
				outcome: d.outcome,
				feedback: d.feedback,
				nextSteps: d.nextSteps,
				criteria: d.criteria,
				assessorNote: d.assessorNote
			},
			evidenceHash: d.evidenceHash,
			signer: { id: d.assessorId, name: d.signedName },
			signedAt: d.signedAt,
			hashEncoding: d.hashEncoding,
			requiresCountersignature: d.requiresCountersignature
		},
		'decision'
	);
}

export interface WorkplaceDecisionVerification {
	/** The stored decision reproduces its signature hash. */
	signatureMatches: boolean;
	/** The snapshot kept with it reproduces the evidence hash. */
	evidenceMatches: boolean;
	/** The evidence as it stands now (text and files) is still what was judged; false once edited for a resubmission. */
	evidenceCurrent: boolean;
	matches: boolean;
}

/** Recomputes both hashes from the stored row; a value the encoder refuses is a mismatch, never an exception. */
export async function verifyWorkplaceDecision(db: Db, d: WorkplaceDecision): Promise<WorkplaceDecisionVerification> {
	const equals = (hash: () => string, expected: string) => {
		try {
			return hash() === expected;
		} catch (e) {
			if (!(e instanceof CanonicalJsonError)) throw e;
			return false;
		}
	};
	const signatureMatches = equals(() => workplaceSignatureHashOf(d), d.signatureHash);
	const evidenceMatches = equals(() => workplaceEvidenceHashOf(d.evidence), d.evidenceHash);
	const now = await judgedWorkplaceEvidence(db, d.evidenceId);
	const evidenceCurrent = now !== undefined && equals(() => workplaceEvidenceHashOf(now), d.evidenceHash);
	return { signatureMatches, evidenceMatches, evidenceCurrent, matches: signatureMatches && evidenceMatches };
}

/** Every signed decision on a piece of evidence, newest first. */
export async function workplaceDecisionsOf(db: Db, evidenceId: string): Promise<WorkplaceDecision[]> {
	return await dbAll(db.select().from(workplaceDecision).where(eq(workplaceDecision.evidenceId, evidenceId)).orderBy(desc(workplaceDecision.sequence)));
}

/**
 * The decision in force on a piece of workplace evidence: the newest signed one (a later judgement
 * supersedes the earlier), whether or not it counts yet; undefined before any. Whether it counts
 * (a trainee's needs a countersignature) is `workplaceStanding`.
 */
export async function workplaceDecisionInForce(db: Db, evidenceId: string): Promise<WorkplaceDecision | undefined> {
	return (await workplaceDecisionsOf(db, evidenceId))[0];
}

/** The countersignature (or sending back) of each decision given that has one. */
export async function workplaceCountersignaturesOf(db: Db, decisionIds: readonly string[]): Promise<Map<string, WorkplaceDecisionCountersignature>> {
	if (decisionIds.length === 0) return new Map();
	return new Map(
		(await dbAll(db
			.select()
			.from(workplaceDecisionCountersignature)
			.where(inArray(workplaceDecisionCountersignature.decisionId, [...decisionIds]))))
			.map((c) => [c.decisionId, c])
	);
}

/**
 * The decisions on a learner's own piece of evidence, newest first, as the learner reads them: the
 * feedback, next steps and criteria judged, who signed and countersigned, never the assessor's note.
 * Empty for evidence that is not theirs.
 */
export async function workplaceDecisionsForLearner(db: Db, learnerId: string, evidenceId: string) {
	const decisions = (await workplaceDecisionsOf(db, evidenceId)).filter((d) => d.learnerId === learnerId);
	const countersignatures = await workplaceCountersignaturesOf(db, decisions.map((d) => d.id));
	return decisions.map((d) => {
		const c = countersignatures.get(d.id);
		return {
			id: d.id,
			sequence: d.sequence,
			outcome: d.outcome,
			feedback: d.feedback,
			nextSteps: d.nextSteps,
			criteria: d.criteria.map((j) => ({ ...j })),
			signedName: d.signedName,
			signedAt: d.signedAt,
			signatureHash: d.signatureHash,
			standing: countersignStanding(d, c),
			countersignature: c ? { outcome: c.outcome, comment: c.comment, signedName: c.signedName, signedAt: c.signedAt } : null
		};
	});
}

/** A learner's workplace decisions in force that count (signed by a qualified assessor, or countersigned). */
export async function workplaceDecisionsCounting(db: Db, learnerId: string): Promise<WorkplaceDecision[]> {
	const latest = new Map<string, WorkplaceDecision>();
	for (const d of await dbAll(db.select().from(workplaceDecision).where(eq(workplaceDecision.learnerId, learnerId)).orderBy(asc(workplaceDecision.sequence)))) {
		latest.set(d.evidenceId, d);
	}
	const countersignatures = await workplaceCountersignaturesOf(db, [...latest.values()].filter((d) => d.requiresCountersignature).map((d) => d.id));
	return [...latest.values()].filter((d) => countersignStanding(d, countersignatures.get(d.id)) === 'counts');
}

/** What the IQA, the EQA and the evidence pack read of one decision: plain JSON, nothing to look up. */
export interface WorkplaceDecisionSnapshot {
	decision: {
		id: string;
		evidenceId: string;
		learnerId: string;
		assessorId: string;
		sequence: number;
		supersedesId: string | null;
		outcome: WorkplaceDecision['outcome'];
		feedback: string;
		nextSteps: string;
		criteria: WorkplaceDecision['criteria'];
		assessorNote: string;
		signedName: string;
		signedAt: string;
		evidenceHash: string;
		signatureHash: string;
		hashEncoding: string;
		requiresCountersignature: boolean;
	};
	/** The evidence as the assessor saw it when they signed (kept with the decision). */
	evidence: JudgedWorkplaceEvidence;
	countersignature: { outcome: WorkplaceDecisionCountersignature['outcome']; comment: string; signedName: string; signedAt: string; signatureHash: string; verified: boolean } | null;
	standing: CountersignStanding;
	verified: WorkplaceDecisionVerification;
}

/** What the assessor saw and decided on one workplace decision, as plain JSON; undefined for an unknown id. */
export async function workplaceDecisionSnapshot(db: Db, decisionId: string): Promise<WorkplaceDecisionSnapshot | undefined> {
	if (typeof decisionId !== 'string' || decisionId.length > 100) return undefined;
	const d = await dbGet(db.select().from(workplaceDecision).where(eq(workplaceDecision.id, decisionId)));
	if (!d) return undefined;
	const c = (await workplaceCountersignaturesOf(db, [d.id])).get(d.id);
	const { evidence, ...decision } = d;
	return {
		decision: { ...decision, criteria: decision.criteria.map((j) => ({ ...j })) },
		evidence: structuredClone(evidence),
		countersignature: c ? { outcome: c.outcome, comment: c.comment, signedName: c.signedName, signedAt: c.signedAt, signatureHash: c.signatureHash, verified: verifyCountersignature(c, d) } : null,
		standing: countersignStanding(d, c),
		verified: await verifyWorkplaceDecision(db, d)
	};
}

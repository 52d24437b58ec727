/**
 * What the IQA looks at: a snapshot of what the assessor saw and decided, taken when sampling starts
 * and hashed (SHA-256 of RFC 8785 canonical JSON), so later changes elsewhere never change what was
 * sampled and the IQA's signature binds to exactly this.
 */
import { dbGet } from '$lib/core/database';
import { eq } from 'drizzle-orm';
import { canonicalHash } from '$lib/core';
import type { Db } from '$lib/core/database';
import { assessmentDecision } from '$lib/server/db/assessment';
import type { IqaSample, SampleDecisionKind } from '$lib/server/db/quality';
import { countersignaturesOf } from '$lib/server/assessment/decisions';
import { workplaceDecision } from '$lib/server/db/workplace-decisions';
import { workplaceCountersignaturesOf } from '$lib/server/workplace/decisions';
import { refused, type IqaResult } from './results';

/** One criterion as the assessor judged it. */
export interface SnapshotCriterion {
	code: string;
	met: boolean;
	feedback: string;
}

/**
 * The snapshot, whatever the kind of decision: the common facts the IQA's form and the rules need,
 * and `detail`, the kind's own record (the decision row and the evidence judged) as plain JSON.
 */
export interface SampleSnapshot {
	kind: SampleDecisionKind;
	decisionId: string;
	learnerId: string;
	assessor: { id: string; name: string };
	/** Who countersigned (or sent back) a trainee's decision; null when nobody did. */
	countersigner: { id: string; name: string; outcome: string; signedAt: string; signatureHash: string } | null;
	outcome: string;
	feedback: string;
	signedAt: string;
	signatureHash: string;
	criteria: SnapshotCriterion[];
	detail: unknown;
}

export function snapshotHashOf(snapshot: SampleSnapshot): string {
	return canonicalHash(snapshot, 'snapshot');
}

/** The fields both kinds of signed decision and countersignature share. */
interface SignedDecision {
	id: string;
	learnerId: string;
	assessorId: string;
	sequence: number;
	supersedesId: string | null;
	outcome: string;
	feedback: string;
	nextSteps: string;
	criteria: { code: string; met: boolean; feedback: string }[];
	assessorNote: string;
	evidenceHash: string;
	evidence: unknown;
	signedName: string;
	signedAt: string;
	signatureHash: string;
	hashEncoding: string;
	requiresCountersignature: boolean;
}
interface GivenCountersignature {
	id: string;
	countersignerId: string;
	outcome: string;
	comment: string;
	decisionSignatureHash: string;
	signedName: string;
	signedAt: string;
	signatureHash: string;
}

/** The snapshot of a signed decision of either kind; `own` is what only that kind has (its attempt or evidence item). */
function snapshotOf(kind: SampleDecisionKind, d: SignedDecision, c: GivenCountersignature | undefined, own: Record<string, unknown>): SampleSnapshot {
	return {
		kind,
		decisionId: d.id,
		learnerId: d.learnerId,
		assessor: { id: d.assessorId, name: d.signedName },
		countersigner: c ? { id: c.countersignerId, name: c.signedName, outcome: c.outcome, signedAt: c.signedAt, signatureHash: c.signatureHash } : null,
		outcome: d.outcome,
		feedback: d.feedback,
		signedAt: d.signedAt,
		signatureHash: d.signatureHash,
		criteria: d.criteria.map((j) => ({ code: j.code, met: j.met, feedback: j.feedback })),
		detail: {
			...own,
			sequence: d.sequence,
			supersedesId: d.supersedesId,
			nextSteps: d.nextSteps,
			assessorNote: d.assessorNote,
			evidenceHash: d.evidenceHash,
			evidence: d.evidence ?? null,
			hashEncoding: d.hashEncoding,
			requiresCountersignature: d.requiresCountersignature,
			countersignature: c ? { id: c.id, outcome: c.outcome, comment: c.comment, decisionSignatureHash: c.decisionSignatureHash } : null
		}
	};
}

const GONE = 'The sampled decision is no longer on record: nothing can be sampled.';

async function simulationSnapshot(db: Db, decisionId: string): Promise<IqaResult<SampleSnapshot>> {
	const d = await dbGet(db.select().from(assessmentDecision).where(eq(assessmentDecision.id, decisionId)));
	if (!d) return refused('sample.snapshot-unavailable', GONE);
	return { ok: true, value: snapshotOf('simulation', d, (await countersignaturesOf(db, [d.id])).get(d.id), { attemptId: d.attemptId, points: d.points }) };
}

/** A workplace evidence decision: the decision row, the evidence as judged (STAR, files and hashes), the countersignature. */
async function workplaceSnapshot(db: Db, decisionId: string): Promise<IqaResult<SampleSnapshot>> {
	const d = await dbGet(db.select().from(workplaceDecision).where(eq(workplaceDecision.id, decisionId)));
	if (!d) return refused('sample.snapshot-unavailable', GONE);
	return { ok: true, value: snapshotOf('workplace', d, (await workplaceCountersignaturesOf(db, [d.id])).get(d.id), { evidenceId: d.evidenceId }) };
}

/** The snapshot of the sampled decision as it stands now. */
export async function takeSnapshot(db: Db, sample: Pick<IqaSample, 'decisionKind' | 'decisionId'>): Promise<IqaResult<SampleSnapshot>> {
	return sample.decisionKind === 'simulation' ? await simulationSnapshot(db, sample.decisionId) : await workplaceSnapshot(db, sample.decisionId);
}

/** Who countersigned the sampled decision, without taking a snapshot (the own-work rule before sampling starts). */
export async function countersignerOf(db: Db, sample: Pick<IqaSample, 'decisionKind' | 'decisionId'>): Promise<string | null> {
	if (sample.decisionKind === 'workplace') return (await workplaceCountersignaturesOf(db, [sample.decisionId])).get(sample.decisionId)?.countersignerId ?? null;
	return (await countersignaturesOf(db, [sample.decisionId])).get(sample.decisionId)?.countersignerId ?? null;
}

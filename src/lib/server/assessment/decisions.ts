/**
 * Signed decisions as they are read: the one in force, the history newest first (a later judgement
 * is a new row naming the one it supersedes), and what the learner sees of them.
 */
import { dbAll } from '$lib/core/database';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { criterionByCode } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { getAttempt } from '$lib/sim/runtime';
import {
	assessmentDecision,
	decisionCountersignature,
	type AssessmentDecision,
	type CriterionJudgement,
	type DecisionCountersignature,
	type DecisionOutcome,
	type PointJudgement
} from '$lib/server/db/assessment';
import type { DecisionVerification } from './hashing';

export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
	met: 'Met',
	'not-yet-met': 'Not yet met',
	'resubmission-requested': 'Resubmission requested'
};

export interface DecisionHistoryEntry {
	id: string;
	sequence: number;
	supersedesId: string | null;
	outcome: DecisionOutcome;
	feedback: string;
	nextSteps: string;
	points: (PointJudgement & { description: string })[];
	criteria: (CriterionJudgement & { title: string })[];
	signedName: string;
	signedAt: string;
	evidenceHash: string;
	signatureHash: string;
	/** Only in what assessors see. */
	assessorNote?: string;
	verified?: DecisionVerification;
	/** Signed by a trainee: it counts only once countersigned. */
	requiresCountersignature: boolean;
	/** A qualified assessor's answer to a trainee's decision, if given. */
	countersignature: CountersignatureEntry | null;
}

export interface CountersignatureEntry {
	outcome: DecisionCountersignature['outcome'];
	comment: string;
	signedName: string;
	signedAt: string;
	signatureHash: string;
	/** Only in what assessors see: the countersignature reproduces its hash and binds to this decision's. */
	verified?: boolean;
}

/**
 * Whether a decision counts (issue 17): one a trainee signed counts only once a qualified assessor
 * has countersigned it; until then it is awaiting countersignature, or sent back for a new decision.
 */
export type CountersignStanding = 'counts' | 'awaiting' | 'sent-back';

export function countersignStanding(d: Pick<AssessmentDecision, 'requiresCountersignature'>, countersignature: Pick<DecisionCountersignature, 'outcome'> | undefined): CountersignStanding {
	if (!d.requiresCountersignature) return 'counts';
	if (!countersignature) return 'awaiting';
	return countersignature.outcome === 'countersigned' ? 'counts' : 'sent-back';
}

/** The countersignature (or sending back) of each decision given that has one. */
export async function countersignaturesOf(db: Db, decisionIds: readonly string[]): Promise<Map<string, DecisionCountersignature>> {
	if (decisionIds.length === 0) return new Map();
	return new Map((await dbAll(db.select().from(decisionCountersignature).where(inArray(decisionCountersignature.decisionId, [...decisionIds])))).map((c) => [c.decisionId, c]));
}

export function countersignatureEntry(c: DecisionCountersignature | undefined): CountersignatureEntry | null {
	return c ? { outcome: c.outcome, comment: c.comment, signedName: c.signedName, signedAt: c.signedAt, signatureHash: c.signatureHash } : null;
}

export function historyEntry(d: AssessmentDecision, descriptions: Map<string, string>, withNote: boolean, countersignature?: DecisionCountersignature): DecisionHistoryEntry {
	return {
		requiresCountersignature: d.requiresCountersignature,
		countersignature: countersignatureEntry(countersignature),
		id: d.id,
		sequence: d.sequence,
		supersedesId: d.supersedesId,
		outcome: d.outcome,
		feedback: d.feedback,
		nextSteps: d.nextSteps,
		points: d.points.map((p) => ({ ...p, description: descriptions.get(p.pointId) ?? p.pointId })),
		criteria: d.criteria.map((c) => ({ ...c, title: criterionByCode(c.code)?.title ?? c.code })),
		signedName: d.signedName,
		signedAt: d.signedAt,
		evidenceHash: d.evidenceHash,
		signatureHash: d.signatureHash,
		...(withNote ? { assessorNote: d.assessorNote } : {})
	};
}

export async function decisionsOf(db: Db, attemptId: string): Promise<AssessmentDecision[]> {
	return await dbAll(db.select().from(assessmentDecision).where(eq(assessmentDecision.attemptId, attemptId)).orderBy(desc(assessmentDecision.sequence)));
}

/** The newest decision of each attempt given (the one in force). */
export async function latestDecisions(db: Db, attemptIds: string[]): Promise<Map<string, AssessmentDecision>> {
	const latest = new Map<string, AssessmentDecision>();
	if (attemptIds.length === 0) return latest;
	for (const d of await dbAll(db.select().from(assessmentDecision).where(inArray(assessmentDecision.attemptId, attemptIds)).orderBy(asc(assessmentDecision.sequence)))) {
		latest.set(d.attemptId, d);
	}
	return latest;
}

/** A learner's decisions on their own attempt, newest first, without the assessor's private note. */
export async function decisionsForLearner(db: Db, learnerId: string, attemptId: string): Promise<DecisionHistoryEntry[]> {
	const view = await getAttempt(db, attemptId);
	if (!view || view.ownerId !== learnerId) return [];
	const descriptions = new Map((view.result?.points ?? []).map((p) => [p.id, p.description]));
	const decisions = (await decisionsOf(db, attemptId)).filter((d) => d.learnerId === learnerId);
	const countersignatures = await countersignaturesOf(db, decisions.map((d) => d.id));
	return decisions.map((d) => historyEntry(d, descriptions, false, countersignatures.get(d.id)));
}

/**
 * The decision in force on each attempt of a learner (for the coverage map and lists), leaving out
 * an attempt whose newest decision a trainee signed and no qualified assessor has countersigned:
 * it does not count yet.
 */
export async function decisionsInForce(db: Db, learnerId: string): Promise<AssessmentDecision[]> {
	const all = await dbAll(db.select().from(assessmentDecision).where(eq(assessmentDecision.learnerId, learnerId)).orderBy(asc(assessmentDecision.sequence)));
	const latest = new Map<string, AssessmentDecision>();
	for (const d of all) latest.set(d.attemptId, d);
	const countersignatures = await countersignaturesOf(db, [...latest.values()].filter((d) => d.requiresCountersignature).map((d) => d.id));
	return [...latest.values()].filter((d) => countersignStanding(d, countersignatures.get(d.id)) === 'counts');
}

/** The latest assessor feedback on an attempt whose reflection was reopened for resubmission. */
export async function resubmissionRequest(db: Db, learnerId: string, attemptId: string): Promise<{ feedback: string; nextSteps: string; signedName: string; signedAt: string } | undefined> {
	const latest = (await decisionsOf(db, attemptId))[0];
	if (!latest || latest.learnerId !== learnerId || latest.outcome !== 'resubmission-requested') return undefined;
	return { feedback: latest.feedback, nextSteps: latest.nextSteps, signedName: latest.signedName, signedAt: latest.signedAt };
}

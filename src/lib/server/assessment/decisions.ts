/**
 * Signed decisions as they are read: the one in force, the history newest first (a later judgement
 * is a new row naming the one it supersedes), and what the learner sees of them.
 */
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { criterionByCode } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { getAttempt } from '$lib/sim/runtime';
import { assessmentDecision, type AssessmentDecision, type CriterionJudgement, type DecisionOutcome, type PointJudgement } from '$lib/server/db/assessment';
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
}

export function historyEntry(d: AssessmentDecision, descriptions: Map<string, string>, withNote: boolean): DecisionHistoryEntry {
	return {
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

export function decisionsOf(db: Db, attemptId: string): AssessmentDecision[] {
	return db.select().from(assessmentDecision).where(eq(assessmentDecision.attemptId, attemptId)).orderBy(desc(assessmentDecision.sequence)).all();
}

/** The newest decision of each attempt given (the one in force). */
export function latestDecisions(db: Db, attemptIds: string[]): Map<string, AssessmentDecision> {
	const latest = new Map<string, AssessmentDecision>();
	if (attemptIds.length === 0) return latest;
	for (const d of db.select().from(assessmentDecision).where(inArray(assessmentDecision.attemptId, attemptIds)).orderBy(asc(assessmentDecision.sequence)).all()) {
		latest.set(d.attemptId, d);
	}
	return latest;
}

/** A learner's decisions on their own attempt, newest first, without the assessor's private note. */
export function decisionsForLearner(db: Db, learnerId: string, attemptId: string): DecisionHistoryEntry[] {
	const view = getAttempt(db, attemptId);
	if (!view || view.ownerId !== learnerId) return [];
	const descriptions = new Map((view.result?.points ?? []).map((p) => [p.id, p.description]));
	return decisionsOf(db, attemptId)
		.filter((d) => d.learnerId === learnerId)
		.map((d) => historyEntry(d, descriptions, false));
}

/** The decision in force on each attempt of a learner (for the coverage map and lists). */
export function decisionsInForce(db: Db, learnerId: string): AssessmentDecision[] {
	const all = db.select().from(assessmentDecision).where(eq(assessmentDecision.learnerId, learnerId)).orderBy(asc(assessmentDecision.sequence)).all();
	const latest = new Map<string, AssessmentDecision>();
	for (const d of all) latest.set(d.attemptId, d);
	return [...latest.values()];
}

/** The latest assessor feedback on an attempt whose reflection was reopened for resubmission. */
export function resubmissionRequest(db: Db, learnerId: string, attemptId: string): { feedback: string; nextSteps: string; signedName: string; signedAt: string } | undefined {
	const latest = decisionsOf(db, attemptId)[0];
	if (!latest || latest.learnerId !== learnerId || latest.outcome !== 'resubmission-requested') return undefined;
	return { feedback: latest.feedback, nextSteps: latest.nextSteps, signedName: latest.signedName, signedAt: latest.signedAt };
}

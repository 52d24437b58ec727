/**
 * Who is told what when a decision is signed, countersigned or sent back. Called by
 * assessment/signing.ts and countersigning.ts inside the transaction that records the event.
 */
import { dbGet, dbAll } from '$lib/core/database';
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';
import type { AssessmentDecision, DecisionCountersignature } from '$lib/server/db/assessment';
import { qualificationsOf } from '$lib/server/assessor-profiles';
import { findScenarioVersion } from '$lib/server/scenarios';
import { attempt } from '$lib/sim/schema';
import { notify } from './store';

/** The scenario's title, the only thing about the work a notification names. */
async function workTitle(db: Db, attemptId: string): Promise<string> {
	const row = await dbGet(db.select({ scenarioId: attempt.scenarioId, scenarioVersion: attempt.scenarioVersion }).from(attempt).where(eq(attempt.id, attemptId)));
	if (!row) return attemptId;
	return (await findScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`))?.title ?? row.scenarioId;
}

/** The active, qualified assessors of the learner's active cohorts, other than the one named. */
export async function qualifiedAssessorsOf(db: Db, learnerId: string, except: string): Promise<string[]> {
	const cohorts = (await dbAll(db
		.select({ id: cohortMember.cohortId })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.where(and(eq(cohortMember.userId, learnerId), eq(cohortMember.role, 'learner'), isNull(cohort.archivedAt)))))
		.map((c) => c.id);
	if (cohorts.length === 0) return [];
	// A deactivated account is told nothing: it cannot log in to act on it.
	const assessors = (await dbAll(db
		.selectDistinct({ id: cohortMember.userId })
		.from(cohortMember)
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.where(and(inArray(cohortMember.cohortId, cohorts), eq(cohortMember.role, 'assessor'), ne(cohortMember.userId, except), eq(user.active, true)))))
		.map((a) => a.id);
	const qualifications = await qualificationsOf(db, assessors);
	return assessors.filter((id) => qualifications.get(id)?.status === 'qualified');
}

/**
 * A decision was signed. Resubmission requested: the learner is asked. A decision that counts at
 * once: the learner is told. A trainee's decision: the qualified assessors of the learner's cohorts
 * are asked to countersign, and the learner hears once it counts.
 */
export async function decisionSigned(db: Db, decision: AssessmentDecision, now: Date): Promise<void> {
	const work = await workTitle(db, decision.attemptId);
	if (decision.outcome === 'resubmission-requested') {
		await notify(db, [decision.learnerId], { kind: 'resubmission-requested', subject: decision.id, title: `Your assessor asks you to resubmit: ${work}`, link: `/learn/attempts/${decision.attemptId}/reflection` }, now);
	} else if (decision.requiresCountersignature) {
		await notify(
			db,
			await qualifiedAssessorsOf(db, decision.learnerId, decision.assessorId),
			{ kind: 'countersignature-requested', subject: decision.id, title: `A trainee assessor’s decision needs your countersignature: ${work}`, link: `/assess/attempts/${decision.attemptId}` },
			now
		);
	} else {
		await learnerToldOfDecision(db, decision, work, now);
	}
}

async function learnerToldOfDecision(db: Db, decision: AssessmentDecision, work: string, now: Date): Promise<void> {
	await notify(db, [decision.learnerId], { kind: 'decision', subject: decision.id, title: `Your work has been assessed: ${work}`, link: `/learn/attempts/${decision.attemptId}/debrief` }, now);
}

/** A trainee's decision was countersigned (the trainee is told, and the learner: it counts now) or sent back (the trainee is told). */
export async function decisionCountersigned(db: Db, decision: AssessmentDecision, countersignature: Pick<DecisionCountersignature, 'id' | 'outcome'>, now: Date): Promise<void> {
	const work = await workTitle(db, decision.attemptId);
	const link = `/assess/attempts/${decision.attemptId}`;
	if (countersignature.outcome === 'countersigned') {
		await notify(db, [decision.assessorId], { kind: 'decision-countersigned', subject: countersignature.id, title: `Your decision was countersigned: ${work}`, link }, now);
		await learnerToldOfDecision(db, decision, work, now);
	} else {
		await notify(db, [decision.assessorId], { kind: 'decision-sent-back', subject: countersignature.id, title: `Your decision was sent back, with a comment: ${work}`, link }, now);
	}
}

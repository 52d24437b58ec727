/**
 * What the assessor sees of workplace evidence (issue 17 item 5): its place in the queue, beside the
 * attempts and in the same words (server/attempt-status.ts decides the state), the review of one
 * item with its decisions and the countersignature block, and the trainees' decisions to countersign.
 */
import { filterInOrder, mapInOrder } from '$lib/core/in-order';
import { dbAll, dbGet } from '$lib/core/database';
import { and, eq, inArray } from 'drizzle-orm';
import { criterionByCode } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { user } from '$lib/server/db/schema';
import { workplaceEvidence, type WorkplaceEvidence } from '$lib/server/db/evidence';
import { workplaceDecision, type WorkplaceDecision } from '$lib/server/db/workplace-decisions';
import { learnersAssessedBy } from '$lib/server/cohort-membership';
import { qualificationOf } from '$lib/server/assessor-profiles';
import { attemptStatus } from '$lib/server/attempt-status';
import { OUTCOME_LABELS, countersignStanding } from '$lib/server/assessment/decisions';
import { countersignRefusal, verifyCountersignature } from '$lib/server/assessment/countersigning';
import { stateOf, type QueueState } from '$lib/server/assessment/queue';
import type { AttemptStatus } from '$lib/views/attempt-status';
import { judgedWorkplaceEvidence, verifyWorkplaceDecision, workplaceCountersignaturesOf, workplaceDecisionsOf } from './decisions';
import { judgeableEvidence, type WorkplaceDecisionValues } from './signing';

const hrefOf = (evidenceId: string) => `/assess/workplace/${evidenceId}`;

/**
 * Where a piece of workplace evidence stands for the assessor, in the attempts' words: the learner's
 * submission plays the part of a submitted reflection (a draft after a resubmission request is one
 * being rewritten).
 */
function standingOf(e: Pick<WorkplaceEvidence, 'id' | 'state' | 'submittedAt'>, latest: WorkplaceDecision | undefined, countersign: ReturnType<typeof countersignStanding> | undefined) {
	const facts = {
		id: e.id,
		status: 'ended' as const,
		reflection: { status: e.state === 'submitted' ? ('submitted' as const) : ('draft' as const), submittedAt: e.submittedAt },
		decision: latest,
		countersign
	};
	const status = attemptStatus(facts, 'assessor');
	const standing: AttemptStatus = { ...status, next: status.next.replace('this attempt', 'this evidence'), href: hrefOf(e.id) };
	return { state: stateOf(facts.reflection, latest, countersign), standing };
}

export interface WorkplaceQueueItem {
	evidenceId: string;
	learnerId: string;
	learnerName: string;
	title: string;
	submittedAt: string | null;
	state: QueueState;
	standing: AttemptStatus;
	latest: { outcome: WorkplaceDecision['outcome']; signedName: string; signedAt: string } | null;
}

/** The workplace evidence of the learners this assessor assesses that is submitted or judged, oldest first. */
export async function workplaceQueue(db: Db, assessorId: string): Promise<WorkplaceQueueItem[]> {
	const learners = new Map((await learnersAssessedBy(db, assessorId)).filter((l) => l.id !== assessorId).map((l) => [l.id, l.displayName]));
	if (learners.size === 0) return [];
	const rows = await dbAll(db.select().from(workplaceEvidence).where(inArray(workplaceEvidence.learnerId, [...learners.keys()])));
	const ids = rows.map((r) => r.id);
	const latest = new Map<string, WorkplaceDecision>();
	if (ids.length > 0) {
		for (const d of await dbAll(db.select().from(workplaceDecision).where(inArray(workplaceDecision.evidenceId, ids)))) {
			if ((latest.get(d.evidenceId)?.sequence ?? 0) < d.sequence) latest.set(d.evidenceId, d);
		}
	}
	const countersignatures = await workplaceCountersignaturesOf(db, [...latest.values()].filter((d) => d.requiresCountersignature).map((d) => d.id));
	const items: WorkplaceQueueItem[] = [];
	for (const row of rows) {
		const decision = latest.get(row.id);
		// A draft never submitted is the learner's alone.
		if (row.state !== 'submitted' && !decision) continue;
		const { state, standing } = standingOf(row, decision, decision ? countersignStanding(decision, countersignatures.get(decision.id)) : undefined);
		if (!state) continue;
		items.push({
			evidenceId: row.id,
			learnerId: row.learnerId,
			learnerName: learners.get(row.learnerId) ?? '',
			title: row.title,
			submittedAt: row.state === 'submitted' ? row.submittedAt : null,
			state,
			standing,
			latest: decision ? { outcome: decision.outcome, signedName: decision.signedName, signedAt: decision.signedAt } : null
		});
	}
	const key = (i: WorkplaceQueueItem) => i.submittedAt ?? i.latest?.signedAt ?? '';
	return items.sort((a, b) => key(a).localeCompare(key(b)) || a.evidenceId.localeCompare(b.evidenceId));
}

/** Trainees' workplace decisions this (qualified) assessor may countersign. */
export async function workplaceCountersignaturesToGive(db: Db, assessorId: string) {
	if ((await qualificationOf(db, assessorId)).status !== 'qualified') return [];
	const learners = new Map((await learnersAssessedBy(db, assessorId)).map((l) => [l.id, l.displayName]));
	if (learners.size === 0) return [];
	const waiting = (await dbAll(db
		.select({ decision: workplaceDecision, traineeName: user.displayName, title: workplaceEvidence.title })
		.from(workplaceDecision)
		.innerJoin(user, eq(user.id, workplaceDecision.assessorId))
		.innerJoin(workplaceEvidence, eq(workplaceEvidence.id, workplaceDecision.evidenceId))
		.where(and(eq(workplaceDecision.requiresCountersignature, true), inArray(workplaceDecision.learnerId, [...learners.keys()])))))
		.filter(({ decision }) => decision.assessorId !== assessorId);
	const answered = await workplaceCountersignaturesOf(db, waiting.map((w) => w.decision.id));
	return (await filterInOrder(waiting, async ({ decision }) => !answered.has(decision.id) && (await workplaceDecisionsOf(db, decision.evidenceId))[0]?.id === decision.id))
		.map(({ decision, traineeName, title }) => ({
			decisionId: decision.id,
			evidenceId: decision.evidenceId,
			learnerName: learners.get(decision.learnerId) ?? '',
			title,
			outcomeLabel: OUTCOME_LABELS[decision.outcome],
			traineeName,
			signedAt: decision.signedAt
		}))
		.sort((a, b) => a.signedAt.localeCompare(b.signedAt));
}

/** The review page of one piece of workplace evidence, or undefined when it is not this assessor's to see. */
export async function workplaceReview(db: Db, assessorId: string, evidenceId: string) {
	const row = await judgeableEvidence(db, assessorId, evidenceId);
	if (!row) return undefined;
	const evidence = (await judgedWorkplaceEvidence(db, evidenceId))!;
	const learner = (await dbGet(db.select({ id: user.id, name: user.displayName }).from(user).where(eq(user.id, row.learnerId))))!;
	const decisions = await workplaceDecisionsOf(db, evidenceId);
	const countersignatures = await workplaceCountersignaturesOf(db, decisions.map((d) => d.id));
	const latest = decisions[0];
	const answer = latest ? countersignatures.get(latest.id) : undefined;
	const trainee = latest ? await dbGet(db.select({ name: user.displayName }).from(user).where(eq(user.id, latest.assessorId))) : undefined;
	const { standing } = standingOf(row, latest, latest ? countersignStanding(latest, answer) : undefined);
	const values: WorkplaceDecisionValues = {
		outcome: '',
		feedback: '',
		nextSteps: '',
		assessorNote: '',
		criteria: Object.fromEntries(row.criteria.map((code) => [code, { met: '', feedback: '' }])),
		signedName: '',
		supersedes: latest?.id ?? ''
	};
	return {
		learner,
		evidence: { ...evidence, state: row.state, criteria: evidence.criteriaClaimed.map((code) => ({ code, title: criterionByCode(code)?.title ?? code })) },
		standing,
		/** Open for a (new or superseding) decision: the learner has submitted it and is not rewriting it. */
		canSign: row.state === 'submitted',
		values,
		decisions: await mapInOrder(decisions, async (d) => {
			const c = countersignatures.get(d.id);
			return {
				id: d.id,
				sequence: d.sequence,
				outcome: d.outcome,
				outcomeLabel: OUTCOME_LABELS[d.outcome],
				feedback: d.feedback,
				nextSteps: d.nextSteps,
				criteria: d.criteria.map((j) => ({ ...j, title: criterionByCode(j.code)?.title ?? j.code })),
				assessorNote: d.assessorNote,
				signedName: d.signedName,
				signedAt: d.signedAt,
				evidenceHash: d.evidenceHash,
				signatureHash: d.signatureHash,
				requiresCountersignature: d.requiresCountersignature,
				verified: await verifyWorkplaceDecision(db, d),
				countersignature: c ? { outcome: c.outcome, comment: c.comment, signedName: c.signedName, signedAt: c.signedAt, signatureHash: c.signatureHash, verified: verifyCountersignature(c, d) } : null
			};
		}),
		countersign: latest?.requiresCountersignature
			? {
					decisionId: latest.id,
					traineeName: trainee?.name ?? latest.signedName,
					outcomeLabel: OUTCOME_LABELS[latest.outcome],
					answered: answer ? { outcome: answer.outcome, signedName: answer.signedName, signedAt: answer.signedAt, comment: answer.comment } : null,
					mine: latest.assessorId === assessorId,
					refusal: answer ? null : await countersignRefusal(db, assessorId, latest)
				}
			: null
	};
}

/** The assessor's learners: who they assess, and each learner's attempts as the assessor lists them. */
import { mapInOrder } from '$lib/core/in-order';
import { dbAll, dbGet } from '$lib/core/database';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import { verdictOf } from '$lib/sim/marking';
import { reflection, user } from '$lib/server/db/schema';
import { assesses, learnersAssessedBy } from '$lib/server/cohort-membership';
import { findScenarioVersion } from '$lib/server/scenarios';
import { attemptStatuses } from '$lib/server/attempt-status';
import { latestDecisions } from './decisions';
import { assessmentQueue, stateOf } from './queue';

/** The learners this assessor assesses (never themselves), with their ended attempts and what awaits a decision. */
export async function assessedLearners(db: Db, assessorId: string) {
	const queue = await assessmentQueue(db, assessorId);
	return await mapInOrder((await learnersAssessedBy(db, assessorId))
		.filter((l) => l.id !== assessorId), async (l) => ({
			id: l.id,
			name: l.displayName,
			email: l.email,
			ended: (await dbAll(db.select({ id: attempt.id }).from(attempt).where(and(eq(attempt.ownerId, l.id), eq(attempt.status, 'ended'))))).length,
			awaiting: queue.items.filter((i) => i.learnerId === l.id && i.state === 'awaiting').length
		}));
}

/** A learner this assessor assesses, or undefined (answered as "not found"). */
export async function assessedLearner(db: Db, assessorId: string, learnerId: string): Promise<{ id: string; name: string; email: string } | undefined> {
	if (typeof learnerId !== 'string' || learnerId.length > 100 || learnerId === assessorId || !await assesses(db, assessorId, learnerId)) return undefined;
	const row = await dbGet(db.select({ id: user.id, name: user.displayName, email: user.email }).from(user).where(eq(user.id, learnerId)));
	return row;
}

/** A learner's attempts as their assessor lists them: each with its reflection and the decision in force. */
export async function learnerAttemptsForAssessor(db: Db, learnerId: string) {
	const rows = await dbAll(db.select().from(attempt).where(eq(attempt.ownerId, learnerId)).orderBy(desc(attempt.startedAt)));
	const ids = rows.map((r) => r.id);
	const reflections = new Map((ids.length === 0 ? [] : await dbAll(db.select().from(reflection).where(inArray(reflection.attemptId, ids)))).map((r) => [r.attemptId, r]));
	const latest = await latestDecisions(db, ids);
	const standings = await attemptStatuses(db, ids, 'assessor');
	return await mapInOrder(rows, async (row) => {
		const decision = latest.get(row.id);
		return {
			id: row.id,
			title: (await findScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`))?.title ?? row.scenarioId,
			status: row.status,
			startedAt: row.startedAt,
			passed: row.result?.passed ?? null,
			score: row.result?.score ?? null,
			verdict: row.result ? verdictOf(row.result) : null,
			state: stateOf(reflections.get(row.id), decision),
			standing: standings.get(row.id)!,
			latest: decision ? { outcome: decision.outcome, signedName: decision.signedName, signedAt: decision.signedAt, sequence: decision.sequence } : null
		};
	});
}

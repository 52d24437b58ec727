/**
 * Returning grades to the LMS (AGS): when an attempt started from an LTI launch ends, its score is
 * queued; when an assessor's decision on it counts, the decision is queued separately, for its own
 * line item ("assessor-decision"). Each is queued in the transaction that records the result or the
 * signature, so one never exists without the other, and delivered just after that transaction
 * commits (a kick, jobs/kick.ts, when the services were provided at start) and by the scheduled job,
 * both under the one lease `lti-grade-return`, with retries and a growing wait. Each row is also
 * claimed before it is posted, so a score is never posted twice, even by a run that outlived its
 * lease. A platform's lasting refusal (a 4xx), an unknown platform or ten failed tries mark the row
 * failed, which administrators see on /admin.
 */
import { and, asc, desc, eq, isNull, lte, isNotNull } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { kickAfterCommit } from '$lib/server/jobs/kick';
import type { ScheduledJob } from '$lib/server/jobs/lease';
import { errorText } from '$lib/core/error-text';
import { mapInOrder } from '$lib/core/in-order';
import type { AttemptResult } from '$lib/sim/runtime';
import { attempt } from '$lib/sim/schema';
import { user } from '$lib/server/db/schema';
import type { DecisionOutcome } from '$lib/server/db/assessment';
import { ltiAttemptLink, ltiGradeReturn, type GradeReturnKind, type LtiGradeReturn } from '$lib/server/db/lti-services';
import { scenarioTitle } from '$lib/server/cohorts';
import type { GradeReturnFailure } from '$lib/views/admin';
import { ltiServices, serviceSigner } from './deps';
import { findOrCreateLineItem, postScore, type AgsScore } from './ags';
import type { LaunchForAttempt, LtiServiceDeps, LtiServiceError } from './types';

/** The line items' tags: the attempt's score, and the assessor's signed decision beside it. */
export const SCORE_TAG = 'score';
export const DECISION_TAG = 'assessor-decision';
/** After this many failed tries a row is given up and shown to administrators. */
export const MAX_TRIES = 10;
/** Rows a run of the job delivers at most; a kick goes round again for the rest, else the next tick takes them. */
const BATCH = 50;

/**
 * The delivery's lease, shared by the scheduled tick and the kicks after each commit. No period of
 * its own (0): a run is due whenever nobody holds the lease. Ten minutes before another instance may
 * take over a run: a slow LMS answers within the 10-second timeout of each call, and each row is
 * claimed for that long before it is posted.
 */
export const GRADE_RETURN_JOB: ScheduledJob = {
	name: 'lti-grade-return',
	label: 'Grades to return to the LMS',
	periodMs: 0,
	leaseMs: 10 * 60_000,
	run: async (db) => await runGradeReturnJob(db)
};

const OUTCOME_WORDS: Record<DecisionOutcome, string> = {
	met: 'Met',
	'not-yet-met': 'Not yet met',
	'resubmission-requested': 'Resubmission requested'
};

/** What a queue row posts: the score's values and the line item to post them to. */
export interface GradeReturnPayload {
	lineItem: { tag: string; label: string; scoreMaximum: number; resourceId: string };
	score: Omit<AgsScore, 'userId'>;
	[key: string]: unknown;
}

/** The wait before try n+1: 1, 2, 4 … minutes, at most a day. */
export function backoffMs(tries: number): number {
	return Math.min(60_000 * 2 ** Math.max(0, tries - 1), 24 * 3600_000);
}

/**
 * Records that the attempt came from this launch: its grades go to this platform, for this `sub`.
 * The launch calls it in the transaction that starts (or resumes) the attempt.
 */
export async function linkAttemptToLaunch(db: Db, attemptId: string, launch: LaunchForAttempt, now = new Date()): Promise<void> {
	const row = { platformId: launch.platformId, sub: launch.sub, resourceLinkId: launch.resourceLinkId, ags: launch.ags ?? null, linkedAt: now.toISOString() };
	await dbRun(db.insert(ltiAttemptLink).values({ attemptId, ...row }).onConflictDoUpdate({ target: ltiAttemptLink.attemptId, set: row }));
}

async function enqueue(db: Db, attemptId: string, kind: GradeReturnKind, subject: string, payload: GradeReturnPayload, now: Date): Promise<boolean> {
	const link = await dbGet(db.select().from(ltiAttemptLink).where(eq(ltiAttemptLink.attemptId, attemptId)));
	if (!link?.ags) return false;
	const inserted = await dbAll(db
		.insert(ltiGradeReturn)
		.values({ id: crypto.randomUUID(), attemptId, platformId: link.platformId, kind, subject, payload, nextTryAt: now.toISOString(), createdAt: now.toISOString() })
		.onConflictDoNothing()
		.returning({ id: ltiGradeReturn.id }));
	if (inserted.length === 0) return false;
	kickGradeReturn(db);
	return true;
}

/**
 * Delivers just after the current transaction commits, under the job's lease, when the services
 * were provided at start (without them there is nowhere to post: the tick reports the wait).
 */
function kickGradeReturn(db: Db): void {
	const deps = ltiServices();
	if (deps) kickAfterCommit(db, GRADE_RETURN_JOB, async (db) => isFullBatch(await deliverGradeReturns(db, deps)));
}

const isFullBatch = (counts: { delivered: number; retrying: number; failed: number }): boolean => counts.delivered + counts.retrying + counts.failed >= BATCH;

/**
 * Queues the attempt's score, if it came from an LTI launch with grade return: the score in per cent
 * of 100, "Completed", and "PendingManual" because an assessor has still to judge it.
 */
export async function enqueueAttemptScore(db: Db, attemptId: string, result: AttemptResult, now = new Date()): Promise<boolean> {
	const row = await dbGet(db.select({ scenarioId: attempt.scenarioId }).from(attempt).where(eq(attempt.id, attemptId)));
	if (!row) return false;
	const title = await scenarioTitle(db, row.scenarioId);
	return await enqueue(db, attemptId, 'score', attemptId, {
		lineItem: { tag: SCORE_TAG, label: title, scoreMaximum: 100, resourceId: row.scenarioId },
		score: {
			scoreGiven: Math.max(0, Math.min(100, result.score)),
			scoreMaximum: 100,
			comment: result.passed ? 'Passed the automatic marking; awaiting the assessor.' : 'Did not pass the automatic marking; awaiting the assessor.',
			activityProgress: 'Completed',
			gradingProgress: 'PendingManual',
			timestamp: new Date(result.endedAt).toISOString()
		}
	}, now);
}

/**
 * Queues an assessor's signed decision that counts (a trainee's once countersigned) for the
 * "assessor-decision" line item: Met is 1 of 1, otherwise 0 of 1, fully graded, with the outcome, who
 * signed and when as the comment. The learner's work and the feedback stay in Custodian.
 */
export async function enqueueDecision(
	db: Db,
	decision: { id: string; attemptId: string; outcome: DecisionOutcome; signedName: string; signedAt: string },
	now = new Date()
): Promise<boolean> {
	const row = await dbGet(db.select({ scenarioId: attempt.scenarioId }).from(attempt).where(eq(attempt.id, decision.attemptId)));
	if (!row) return false;
	const title = await scenarioTitle(db, row.scenarioId);
	return await enqueue(db, decision.attemptId, 'decision', decision.id, {
		lineItem: { tag: DECISION_TAG, label: `${title}: assessor’s decision`, scoreMaximum: 1, resourceId: row.scenarioId },
		score: {
			scoreGiven: decision.outcome === 'met' ? 1 : 0,
			scoreMaximum: 1,
			comment: `${OUTCOME_WORDS[decision.outcome]}: decision signed by ${decision.signedName} on ${decision.signedAt.slice(0, 10)}.`,
			activityProgress: decision.outcome === 'resubmission-requested' ? 'InProgress' : 'Completed',
			gradingProgress: 'FullyGraded',
			timestamp: new Date(decision.signedAt).toISOString()
		}
	}, now);
}

async function deliverOne(db: Db, deps: LtiServiceDeps, row: LtiGradeReturn): Promise<{ ok: true } | { ok: false; error: LtiServiceError }> {
	const link = await dbGet(db.select().from(ltiAttemptLink).where(eq(ltiAttemptLink.attemptId, row.attemptId)));
	if (!link?.ags) return { ok: false, error: { code: 'lti.not-offered', message: 'The attempt is no longer linked to a launch with grade return.', retryable: false } };
	const platform = await deps.platform(db, row.platformId);
	if (!platform) return { ok: false, error: { code: 'lti.platform-unknown', message: 'The platform is no longer registered (or is disabled).', retryable: false } };
	const payload = row.payload as GradeReturnPayload;
	const signer = await serviceSigner(db, deps);
	if (!signer.ok) return signer;
	const call = { platform, signer: signer.value, ags: link.ags, http: deps.http };
	const lineItem = await findOrCreateLineItem(call, {
		...payload.lineItem,
		resourceLinkId: link.resourceLinkId,
		useLaunchLineItem: payload.lineItem.tag === SCORE_TAG
	});
	if (!lineItem.ok) return lineItem;
	return await postScore(call, lineItem.value, { userId: link.sub, ...payload.score }) as { ok: true } | { ok: false; error: LtiServiceError };
}

/**
 * Delivers the rows due now, oldest first: each one either done, put off with a growing wait, or
 * failed for good. One row's failure never stops the next. Each row is claimed first (its next try
 * pushed a lease ahead, if no one moved it since it was read), so a second runner skips it.
 */
export async function deliverGradeReturns(db: Db, deps: LtiServiceDeps, now: () => Date = () => new Date()): Promise<{ delivered: number; retrying: number; failed: number }> {
	const due = await dbAll(db
		.select()
		.from(ltiGradeReturn)
		.where(and(isNull(ltiGradeReturn.doneAt), isNull(ltiGradeReturn.failedAt), lte(ltiGradeReturn.nextTryAt, now().toISOString())))
		.orderBy(asc(ltiGradeReturn.createdAt), asc(ltiGradeReturn.id))
		.limit(BATCH));
	const counts = { delivered: 0, retrying: 0, failed: 0 };
	await mapInOrder(due, async (row) => {
		const claimedUntil = new Date(now().getTime() + GRADE_RETURN_JOB.leaseMs).toISOString();
		const claimed = await writeTransaction(db, async () =>
			await dbAll(db
				.update(ltiGradeReturn)
				.set({ nextTryAt: claimedUntil })
				.where(and(eq(ltiGradeReturn.id, row.id), isNull(ltiGradeReturn.doneAt), isNull(ltiGradeReturn.failedAt), eq(ltiGradeReturn.nextTryAt, row.nextTryAt)))
				.returning({ id: ltiGradeReturn.id })));
		if (claimed.length === 0) return;
		let outcome: { ok: true } | { ok: false; error: LtiServiceError };
		try {
			outcome = await deliverOne(db, deps, row);
		} catch (error) {
			outcome = { ok: false, error: { code: 'lti.unreachable', message: errorText(error), retryable: true } };
		}
		const at = now();
		const tries = row.attempts + 1;
		if (outcome.ok) {
			counts.delivered++;
			await writeTransaction(db, async () => await dbRun(db.update(ltiGradeReturn).set({ attempts: tries, doneAt: at.toISOString(), lastError: null }).where(eq(ltiGradeReturn.id, row.id))));
			return;
		}
		const giveUp = !outcome.error.retryable || tries >= MAX_TRIES;
		counts[giveUp ? 'failed' : 'retrying']++;
		await writeTransaction(db, async () =>
			await dbRun(db
				.update(ltiGradeReturn)
				.set({
					attempts: tries,
					lastError: outcome.error.message.slice(0, 500),
					nextTryAt: new Date(at.getTime() + backoffMs(tries)).toISOString(),
					failedAt: giveUp ? at.toISOString() : null
				})
				.where(eq(ltiGradeReturn.id, row.id))));
	});
	return counts;
}

/**
 * The scheduled tick's run (GRADE_RETURN_JOB, under its lease): delivers what is due with the services the registration side provided.
 * Grades waiting while nothing was provided fail the run, so administrators see it on /admin.
 */
export async function runGradeReturnJob(db: Db, now: () => Date = () => new Date()): Promise<void> {
	const deps = ltiServices();
	if (deps) {
		await deliverGradeReturns(db, deps, now);
		return;
	}
	const waiting = await dbGet(db.select({ id: ltiGradeReturn.id }).from(ltiGradeReturn).where(and(isNull(ltiGradeReturn.doneAt), isNull(ltiGradeReturn.failedAt))).limit(1));
	if (waiting) throw new Error('Grades are waiting for the LMS, but the LTI tool’s signing key and platforms were not provided at start.');
}

export type FailedGradeReturn = GradeReturnFailure;

/** The centre's grades the platform refused for good, newest first, for the administrator's page. */
export async function failedGradeReturns(db: Db, organisationId: string, limit = 50): Promise<FailedGradeReturn[]> {
	const rows = await dbAll(db
		.select({ row: ltiGradeReturn, learnerName: user.displayName, scenarioId: attempt.scenarioId })
		.from(ltiGradeReturn)
		.innerJoin(attempt, eq(attempt.id, ltiGradeReturn.attemptId))
		.innerJoin(user, eq(user.id, attempt.ownerId))
		.where(and(isNotNull(ltiGradeReturn.failedAt), eq(user.organisationId, organisationId)))
		.orderBy(desc(ltiGradeReturn.failedAt), asc(ltiGradeReturn.id))
		.limit(limit));
	return await mapInOrder(rows, async ({ row, learnerName, scenarioId }) => ({
		id: row.id,
		attemptId: row.attemptId,
		learnerName,
		scenarioTitle: await scenarioTitle(db, scenarioId),
		kind: row.kind,
		tries: row.attempts,
		lastError: row.lastError ?? '',
		failedAt: row.failedAt!
	}));
}

/** Puts one of the centre's failed rows back in the queue (after the platform's administrator fixed the cause). */
export async function retryGradeReturn(db: Db, organisationId: string, id: string, now = new Date()): Promise<boolean> {
	if (typeof id !== 'string' || id.length > 100) return false;
	return await writeTransaction(db, async () => {
		const ours = (await failedGradeReturns(db, organisationId, 1000)).some((r) => r.id === id);
		if (!ours) return false;
		await dbRun(db.update(ltiGradeReturn).set({ failedAt: null, attempts: 0, nextTryAt: now.toISOString() }).where(eq(ltiGradeReturn.id, id)));
		kickGradeReturn(db);
		return true;
	});
}

/** Everything queued for one attempt, oldest first (tests and the attempt's history). */
export async function gradeReturnsOf(db: Db, attemptId: string): Promise<LtiGradeReturn[]> {
	return await dbAll(db.select().from(ltiGradeReturn).where(eq(ltiGradeReturn.attemptId, attemptId)).orderBy(asc(ltiGradeReturn.createdAt), asc(ltiGradeReturn.kind)));
}

/** Removes an attempt's link and queue rows: the records disposal calls it with the attempt. */
export async function forgetAttemptGrades(db: Db, attemptIds: string[]): Promise<number> {
	let changes = 0;
	await mapInOrder(attemptIds, async (id) => {
		changes += (await dbRun(db.delete(ltiGradeReturn).where(eq(ltiGradeReturn.attemptId, id)))).changes;
		changes += (await dbRun(db.delete(ltiAttemptLink).where(eq(ltiAttemptLink.attemptId, id)))).changes;
	});
	return changes;
}

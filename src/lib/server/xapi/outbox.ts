/**
 * The durable outbox of xAPI statements (issue 20 item 2). A statement is written here in the same
 * transaction as the event it tells of, and only while the centre's LRS is switched on (statements
 * with nobody to receive them would be personal data kept for no purpose: UK GDPR Art 5(1)(b), (c)).
 * Delivery is a PUT with the statement's own id, so sending it again is harmless and the LRS keeps it
 * once; each row is also claimed before it is sent, so two runners never send it twice.
 *
 * Delivery runs as the scheduled job `xapi-delivery` (every JOBS_SCHEDULE tick, once across the
 * instances by its lease) and is kicked just after an event's transaction commits, without holding
 * the request. Each run sends at most BATCH_SIZE statements, oldest first. A statement the LRS could
 * not take now (429, 5xx, down, slow) is tried again later, each wait twice the last, at most an hour;
 * one it refused (another 4xx) is marked failed with the LRS's answer until the administrator retries it.
 */
import { and, asc, desc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, inTransaction, writeTransaction, type Db } from '$lib/core/database';
import { xapiLrs, xapiOutbox, type OutboxStatus } from '$lib/server/db/xapi';
import { runLeased, scheduleLeased, type LeasedJob } from '$lib/server/jobs/lease';
import { kickAfterCommit } from '$lib/server/jobs/kick';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { openSecret, SecretUnreadableError } from '$lib/server/security/secrets';
import { putStatement, type LrsAnswer } from './lrs-client';
import { lrsOf, lrsSecretPlace } from './settings';
import { testStatement, type XapiCentre, type XapiStatement } from './statements';

/** Statements sent by one run at most (each may wait LRS_TIMEOUT_MS: 25 × 10 s is well inside the lease). */
export const BATCH_SIZE = 25;
/** Delivered rows are kept this long for the administrator to see, then deleted: the LRS has them. */
export const DELIVERED_KEPT_DAYS = 30;

/**
 * The delivery job's lease. No period of its own (0): a run is due whenever nobody holds the lease,
 * so the tick and the kicks after each event all run it, one at a time across the instances.
 */
export const XAPI_DELIVERY: LeasedJob & { label: string } = { name: 'xapi-delivery', label: 'xAPI statements to the centre’s LRS', periodMs: 0, leaseMs: 10 * 60_000 };

/** The wait before try n+1 after n tries failed for now: 30 s, 1 min, 2 min… at most an hour. */
export function retryDelayMs(attempts: number): number {
	return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

/** Whether the centre's LRS is on: statements are only written while it is. */
export async function lrsEnabled(db: Db, organisationId: string): Promise<boolean> {
	return (await lrsOf(db, organisationId))?.enabled === true;
}

/**
 * Writes the statements to the outbox, in the caller's transaction, and kicks delivery once it has
 * committed. A statement already there (the same event enqueued again) is left as it is.
 */
export async function enqueueStatements(db: Db, organisationId: string, attemptId: string, statements: readonly XapiStatement[], now: Date = new Date()): Promise<void> {
	if (statements.length === 0) return;
	if (!inTransaction()) throw new Error('enqueueStatements runs inside the transaction of the event it tells of');
	const last = (await dbGet(db.select({ seq: sql<number | null>`max(${xapiOutbox.queueSeq})` }).from(xapiOutbox)))?.seq ?? 0;
	const at = now.toISOString();
	await dbRun(db
		.insert(xapiOutbox)
		.values(statements.map((s, i) => ({ statementId: s.id, organisationId, attemptId, body: JSON.stringify(s), queueSeq: Number(last) + i + 1, createdAt: at, status: 'waiting' as const, attempts: 0, nextTryAt: at })))
		.onConflictDoNothing());
	kickXapiDelivery(db);
}

export interface DeliveryCounts {
	delivered: number;
	retrying: number;
	failed: number;
	/** The batch was full: more may be due. */
	full: boolean;
}

/**
 * Sends the due statements, oldest first, at most `limit`. Each row is claimed (its try counted and
 * its next try pushed past the lease) before it is sent, so a second runner skips it. After an LRS
 * could not take one for now, the rest of that centre's batch waits for the next run.
 */
export async function deliverDueStatements(db: Db, { now = new Date(), limit = BATCH_SIZE }: { now?: Date; limit?: number } = {}): Promise<DeliveryCounts> {
	const at = now.toISOString();
	await dbRun(db.delete(xapiOutbox).where(and(eq(xapiOutbox.status, 'delivered'), lt(xapiOutbox.deliveredAt, new Date(now.getTime() - DELIVERED_KEPT_DAYS * 86_400_000).toISOString()))));
	const due = await dbAll(db
		.select({ statementId: xapiOutbox.statementId, organisationId: xapiOutbox.organisationId, body: xapiOutbox.body, nextTryAt: xapiOutbox.nextTryAt, endpoint: xapiLrs.endpoint, key: xapiLrs.key, secret: xapiLrs.secret })
		.from(xapiOutbox)
		.innerJoin(xapiLrs, eq(xapiLrs.organisationId, xapiOutbox.organisationId))
		.where(and(eq(xapiOutbox.status, 'waiting'), lte(xapiOutbox.nextTryAt, at), eq(xapiLrs.enabled, true)))
		.orderBy(asc(xapiOutbox.queueSeq), asc(xapiOutbox.createdAt))
		.limit(limit));
	const counts: DeliveryCounts = { delivered: 0, retrying: 0, failed: 0, full: due.length === limit };
	const unavailable = new Set<string>();
	for (const row of due) {
		if (unavailable.has(row.organisationId)) continue;
		const claimedUntil = new Date(now.getTime() + XAPI_DELIVERY.leaseMs).toISOString();
		const claimed = await dbGet(db
			.update(xapiOutbox)
			.set({ attempts: sql`${xapiOutbox.attempts} + 1`, nextTryAt: claimedUntil })
			.where(and(eq(xapiOutbox.statementId, row.statementId), eq(xapiOutbox.status, 'waiting'), eq(xapiOutbox.nextTryAt, row.nextTryAt)))
			.returning({ attempts: xapiOutbox.attempts }));
		if (!claimed) continue;
		const answer = await putWithStoredSecret(row);
		const finished = new Date(Math.max(Date.now(), now.getTime()));
		const described = `${answer.status === null ? '' : `${answer.status}: `}${answer.text}`.slice(0, 1_000) || `${answer.status}`;
		if (answer.outcome === 'delivered') {
			counts.delivered++;
			await dbRun(db.update(xapiOutbox).set({ status: 'delivered', deliveredAt: finished.toISOString(), lastError: null }).where(eq(xapiOutbox.statementId, row.statementId)));
		} else if (answer.outcome === 'retry') {
			counts.retrying++;
			unavailable.add(row.organisationId);
			await dbRun(db.update(xapiOutbox).set({ nextTryAt: new Date(now.getTime() + retryDelayMs(claimed.attempts)).toISOString(), lastError: described }).where(eq(xapiOutbox.statementId, row.statementId)));
		} else {
			counts.failed++;
			await dbRun(db.update(xapiOutbox).set({ status: 'failed', lastError: described }).where(eq(xapiOutbox.statementId, row.statementId)));
		}
	}
	return counts;
}

/**
 * The PUT with the centre's secret decrypted for this call only. A secret this installation cannot
 * decrypt (SECRETS_KEY) is an answer to try again later, its reason kept for the administrator.
 */
async function putWithStoredSecret(row: { statementId: string; organisationId: string; body: string; endpoint: string; key: string; secret: string }): Promise<LrsAnswer> {
	let secret: string;
	try {
		secret = openSecret(row.secret, lrsSecretPlace(row.organisationId));
	} catch (error) {
		if (!(error instanceof SecretUnreadableError)) throw error;
		return { outcome: 'retry', status: null, text: `Custodian cannot use the LRS secret: ${error.message}. Enter the secret again on the xAPI settings page.` };
	}
	return await putStatement({ endpoint: row.endpoint, key: row.key, secret }, row.statementId, row.body);
}

/**
 * One run of delivery here, if this holder wins the job's lease (another runner holding it: nothing).
 * `now` is the outbox's clock (what is due, when to try again); the lease keeps the real one.
 */
export async function runXapiDelivery(db: Db, options: { holder?: string; now?: Date; limit?: number } = {}): Promise<{ ran: boolean; counts?: DeliveryCounts }> {
	let counts: DeliveryCounts | undefined;
	const outcome = await runLeased(db, XAPI_DELIVERY, async () => void (counts = await deliverDueStatements(db, { now: options.now ?? new Date(), limit: options.limit })), options.holder ? { holder: options.holder } : {});
	return { ran: outcome.ran, ...(counts ? { counts } : {}) };
}

/** Delivers on `schedule` (JOBS_SCHEDULE) and once now, in every instance, one at a time across them. */
export function scheduleXapiDelivery(db: Db, schedule: string): () => void {
	return scheduleLeased(db, schedule, [{ ...XAPI_DELIVERY, run: async (db: Db) => await deliverDueStatements(db) }]);
}

/**
 * Delivers soon after the current transaction commits, off the request (jobs/kick.ts): the request's
 * answer never waits for the LRS. Goes round again while batches come back full.
 */
function kickXapiDelivery(db: Db): void {
	kickAfterCommit(db, XAPI_DELIVERY, async (db) => (await deliverDueStatements(db)).full);
}

export interface OutboxEntry {
	statementId: string;
	verb: string;
	createdAt: string;
	attempts: number;
	nextTryAt: string;
	lastError: string | null;
}

export interface OutboxView {
	counts: Record<OutboxStatus, number>;
	/** The oldest waiting statements (up to 20). */
	waiting: OutboxEntry[];
	/** The latest failed statements (up to 20), with what the LRS answered. */
	failed: OutboxEntry[];
}

const verbOf = (body: string): string => {
	try {
		const display = (JSON.parse(body) as { verb?: { display?: Record<string, string> } }).verb?.display;
		return display?.['en-GB'] ?? Object.values(display ?? {})[0] ?? '';
	} catch {
		return '';
	}
};

export async function outboxView(db: Db, organisationId: string): Promise<OutboxView> {
	const grouped = await dbAll(db
		.select({ status: xapiOutbox.status, n: sql<number>`count(*)` })
		.from(xapiOutbox)
		.where(eq(xapiOutbox.organisationId, organisationId))
		.groupBy(xapiOutbox.status));
	const counts: Record<OutboxStatus, number> = { waiting: 0, delivered: 0, failed: 0 };
	for (const g of grouped) counts[g.status] = Number(g.n);
	const entries = async (status: OutboxStatus) =>
		(await dbAll(db
			.select()
			.from(xapiOutbox)
			.where(and(eq(xapiOutbox.organisationId, organisationId), eq(xapiOutbox.status, status)))
			.orderBy(status === 'waiting' ? asc(xapiOutbox.queueSeq) : desc(xapiOutbox.queueSeq))
			.limit(20))).map((r) => ({ statementId: r.statementId, verb: verbOf(r.body), createdAt: r.createdAt, attempts: r.attempts, nextTryAt: r.nextTryAt, lastError: r.lastError }));
	return { counts, waiting: await entries('waiting'), failed: await entries('failed') };
}

/** Puts the centre's failed statements back in the queue, due now; returns how many. */
export async function retryFailedStatements(db: Db, organisationId: string, by: Actor, now: Date = new Date()): Promise<number> {
	return await writeTransaction(db, async () => {
		const rows = await dbAll(db
			.update(xapiOutbox)
			.set({ status: 'waiting', nextTryAt: now.toISOString() })
			.where(and(eq(xapiOutbox.organisationId, organisationId), eq(xapiOutbox.status, 'failed')))
			.returning({ statementId: xapiOutbox.statementId }));
		if (rows.length > 0) {
			await recordActorEvent(db, by, { type: 'settings.changed', detail: { settings: ['xapi.retry-failed'], statements: rows.length } }, now);
			kickXapiDelivery(db);
		}
		return rows.length;
	});
}

export type TestStatementAnswer = { ok: true; status: number; text: string } | { ok: false; status: number | null; text: string };

/**
 * Sends one statement about nobody (a random id, the actor `custodian-lrs-check`) to the saved LRS
 * at once, outside the outbox, and gives back what it answered.
 */
export async function sendTestStatement(db: Db, organisationId: string, centre: XapiCentre, now: Date = new Date()): Promise<TestStatementAnswer | { ok: false; status: null; text: string; notConfigured: true }> {
	const lrs = await lrsOf(db, organisationId);
	if (!lrs) return { ok: false, status: null, text: 'Save the LRS’s address, key and secret first.', notConfigured: true };
	const statement = testStatement(centre, crypto.randomUUID(), now.toISOString());
	const answer = await putWithStoredSecret({ ...lrs, statementId: statement.id, body: JSON.stringify(statement) });
	return answer.outcome === 'delivered' ? { ok: true, status: answer.status, text: answer.text } : { ok: false, status: answer.status, text: answer.text };
}

/**
 * Forgets the statements of attempts whose records are disposed of (retention/records.ts): those
 * not yet delivered are never sent, and delivered ones leave the outbox before their 30 days.
 */
export async function forgetAttemptStatements(db: Db, attemptIds: readonly string[]): Promise<number> {
	if (attemptIds.length === 0) return 0;
	return (await dbRun(db.delete(xapiOutbox).where(inArray(xapiOutbox.attemptId, [...attemptIds])))).changes;
}

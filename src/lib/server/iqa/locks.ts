/**
 * Locks on sampled work (issue 17, item 3). A signed IQA round that agrees on every criterion, with
 * no action still open, locks the sampled decision: its assessor cannot sign a decision superseding
 * it. Only a centre admin unlocks it, with a reason, and the unlock is in the security log. Locks and
 * unlocks are append-only events (triggers); the latest event of a decision says where it stands.
 */
import { mapInOrder } from '$lib/core/in-order';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { dbGet, dbRun, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { user, type Role } from '$lib/server/db/schema';
import { iqaSample, type SampleDecisionKind } from '$lib/server/db/quality';
import { workLockEvent, type WorkLockEvent } from '$lib/server/db/iqa-records';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { refused, type IqaResult } from './results';

export const UNLOCK_LIMITS = { reason: 2000 } as const;

async function latestEvent(db: Db, kind: SampleDecisionKind, decisionId: string): Promise<WorkLockEvent | undefined> {
	return await dbGet(db
		.select()
		.from(workLockEvent)
		.where(and(eq(workLockEvent.decisionKind, kind), eq(workLockEvent.decisionId, decisionId)))
		.orderBy(desc(workLockEvent.seq))
		.limit(1));
}

/** Whether the decision is locked now: its latest lock event is a lock. */
export async function isWorkLocked(db: Db, kind: SampleDecisionKind, decisionId: string): Promise<boolean> {
	return (await latestEvent(db, kind, decisionId))?.kind === 'locked';
}

/** Appends a lock or unlock (inside the caller's transaction). */
export async function appendLockEvent(db: Db, event: Omit<WorkLockEvent, 'id' | 'seq'>): Promise<WorkLockEvent> {
	const seq = ((await latestEvent(db, event.decisionKind, event.decisionId))?.seq ?? 0) + 1;
	const row = { ...event, id: crypto.randomUUID(), seq };
	await dbRun(db.insert(workLockEvent).values(row));
	return row;
}

export interface LockHistoryEntry extends Pick<WorkLockEvent, 'id' | 'kind' | 'reason' | 'at' | 'sampleId'> {
	byName: string;
}

/** A decision's locks and unlocks, oldest first. */
export async function lockHistory(db: Db, kind: SampleDecisionKind, decisionId: string): Promise<LockHistoryEntry[]> {
	return await dbAll(db
		.select({ id: workLockEvent.id, kind: workLockEvent.kind, reason: workLockEvent.reason, at: workLockEvent.at, sampleId: workLockEvent.sampleId, byName: user.displayName })
		.from(workLockEvent)
		.innerJoin(user, eq(user.id, workLockEvent.byId))
		.where(and(eq(workLockEvent.decisionKind, kind), eq(workLockEvent.decisionId, decisionId)))
		.orderBy(workLockEvent.seq));
}

export interface LockedWork {
	decisionKind: SampleDecisionKind;
	decisionId: string;
	sampleId: string;
	learnerName: string;
	assessorName: string;
	lockedAt: string;
	lockedBy: string;
	history: LockHistoryEntry[];
}

/** The centre's work locked now, newest lock first. */
export async function lockedWork(db: Db, organisationId: string): Promise<LockedWork[]> {
	const events = await dbAll(db.select().from(workLockEvent).where(eq(workLockEvent.organisationId, organisationId)).orderBy(workLockEvent.seq));
	const latest = new Map<string, WorkLockEvent>();
	for (const e of events) latest.set(`${e.decisionKind}:${e.decisionId}`, e);
	const locks = [...latest.values()].filter((e) => e.kind === 'locked').sort((a, b) => b.at.localeCompare(a.at));
	if (locks.length === 0) return [];
	const samples = new Map((await dbAll(db.select().from(iqaSample).where(inArray(iqaSample.id, locks.map((l) => l.sampleId))))).map((s) => [s.id, s]));
	const names = new Map((await dbAll(db.select({ id: user.id, name: user.displayName }).from(user))).map((u) => [u.id, u.name]));
	return await mapInOrder(locks, async (l) => {
		const sample = samples.get(l.sampleId);
		return {
			decisionKind: l.decisionKind,
			decisionId: l.decisionId,
			sampleId: l.sampleId,
			learnerName: names.get(sample?.learnerId ?? '') ?? '',
			assessorName: names.get(sample?.assessorId ?? '') ?? '',
			lockedAt: l.at,
			lockedBy: names.get(l.byId) ?? '',
			history: await lockHistory(db, l.decisionKind, l.decisionId)
		};
	});
}

export interface Unlocker extends Actor {
	organisationId: string;
	roles: readonly Role[];
}

/** Unlocks a locked decision of the admin's centre, with a reason, in the security log. */
export async function unlockWork(db: Db, by: Unlocker, kind: string, decisionId: string, reason: string, now = new Date()): Promise<IqaResult<WorkLockEvent>> {
	if (!by.roles.includes('admin')) return refused('lock.not-admin', 'Only a centre administrator may unlock work the IQA has signed.');
	if (kind !== 'simulation' && kind !== 'workplace') return refused('lock.not-found', 'That work is not locked.');
	const why = reason.trim();
	if (why === '') return refused('lock.invalid', 'Nothing was unlocked: correct what is marked.', { reason: 'Say why the work is unlocked: it is kept in the security log.' });
	if (why.length > UNLOCK_LIMITS.reason) return refused('lock.invalid', 'Nothing was unlocked: correct what is marked.', { reason: `Keep the reason to ${UNLOCK_LIMITS.reason} characters.` });
	return await writeTransaction(db, async (): Promise<IqaResult<WorkLockEvent>> => {
		const latest = await latestEvent(db, kind, decisionId);
		if (!latest || latest.kind !== 'locked' || latest.organisationId !== by.organisationId) return refused('lock.not-found', 'That work is not locked.');
		const event = await appendLockEvent(db, { organisationId: by.organisationId, decisionKind: kind, decisionId, sampleId: latest.sampleId, roundId: null, kind: 'unlocked', reason: why, byId: by.id, at: now.toISOString() });
		const sample = await dbGet(db.select({ assessorId: iqaSample.assessorId }).from(iqaSample).where(eq(iqaSample.id, latest.sampleId)));
		await recordActorEvent(db, by, { type: 'work.unlocked', userId: sample?.assessorId ?? null, detail: { decisionKind: kind, decisionId, sampleId: latest.sampleId, reason: why.slice(0, 500) } }, now);
		return { ok: true, value: event };
	});
}

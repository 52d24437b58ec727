/**
 * Locks on sampled work (issue 17, item 3). A signed IQA round that agrees on every criterion, with
 * no action still open, locks the sampled decision: its assessor cannot sign a decision superseding
 * it. Only a centre admin unlocks it, with a reason, and the unlock is in the security log. Locks and
 * unlocks are append-only events (triggers); the latest event of a decision says where it stands.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { writeTransaction, type Db } from '$lib/core/database';
import { user, type Role } from '$lib/server/db/schema';
import { iqaSample, type SampleDecisionKind } from '$lib/server/db/quality';
import { workLockEvent, type WorkLockEvent } from '$lib/server/db/iqa-records';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { refused, type IqaResult } from './results';

export const UNLOCK_LIMITS = { reason: 2000 } as const;

function latestEvent(db: Db, kind: SampleDecisionKind, decisionId: string): WorkLockEvent | undefined {
	return db
		.select()
		.from(workLockEvent)
		.where(and(eq(workLockEvent.decisionKind, kind), eq(workLockEvent.decisionId, decisionId)))
		.orderBy(desc(workLockEvent.seq))
		.limit(1)
		.get();
}

/** Whether the decision is locked now: its latest lock event is a lock. */
export function isWorkLocked(db: Db, kind: SampleDecisionKind, decisionId: string): boolean {
	return latestEvent(db, kind, decisionId)?.kind === 'locked';
}

/** Appends a lock or unlock (inside the caller's transaction). */
export function appendLockEvent(db: Db, event: Omit<WorkLockEvent, 'id' | 'seq'>): WorkLockEvent {
	const seq = (latestEvent(db, event.decisionKind, event.decisionId)?.seq ?? 0) + 1;
	const row = { ...event, id: crypto.randomUUID(), seq };
	db.insert(workLockEvent).values(row).run();
	return row;
}

export interface LockHistoryEntry extends Pick<WorkLockEvent, 'id' | 'kind' | 'reason' | 'at' | 'sampleId'> {
	byName: string;
}

/** A decision's locks and unlocks, oldest first. */
export function lockHistory(db: Db, kind: SampleDecisionKind, decisionId: string): LockHistoryEntry[] {
	return db
		.select({ id: workLockEvent.id, kind: workLockEvent.kind, reason: workLockEvent.reason, at: workLockEvent.at, sampleId: workLockEvent.sampleId, byName: user.displayName })
		.from(workLockEvent)
		.innerJoin(user, eq(user.id, workLockEvent.byId))
		.where(and(eq(workLockEvent.decisionKind, kind), eq(workLockEvent.decisionId, decisionId)))
		.orderBy(workLockEvent.seq)
		.all();
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
export function lockedWork(db: Db, organisationId: string): LockedWork[] {
	const events = db.select().from(workLockEvent).where(eq(workLockEvent.organisationId, organisationId)).orderBy(workLockEvent.seq).all();
	const latest = new Map<string, WorkLockEvent>();
	for (const e of events) latest.set(`${e.decisionKind}:${e.decisionId}`, e);
	const locks = [...latest.values()].filter((e) => e.kind === 'locked').sort((a, b) => b.at.localeCompare(a.at));
	if (locks.length === 0) return [];
	const samples = new Map(db.select().from(iqaSample).where(inArray(iqaSample.id, locks.map((l) => l.sampleId))).all().map((s) => [s.id, s]));
	const names = new Map(db.select({ id: user.id, name: user.displayName }).from(user).all().map((u) => [u.id, u.name]));
	return locks.map((l) => {
		const sample = samples.get(l.sampleId);
		return {
			decisionKind: l.decisionKind,
			decisionId: l.decisionId,
			sampleId: l.sampleId,
			learnerName: names.get(sample?.learnerId ?? '') ?? '',
			assessorName: names.get(sample?.assessorId ?? '') ?? '',
			lockedAt: l.at,
			lockedBy: names.get(l.byId) ?? '',
			history: lockHistory(db, l.decisionKind, l.decisionId)
		};
	});
}

export interface Unlocker extends Actor {
	organisationId: string;
	roles: readonly Role[];
}

/** Unlocks a locked decision of the admin's centre, with a reason, in the security log. */
export function unlockWork(db: Db, by: Unlocker, kind: string, decisionId: string, reason: string, now = new Date()): IqaResult<WorkLockEvent> {
	if (!by.roles.includes('admin')) return refused('lock.not-admin', 'Only a centre administrator may unlock work the IQA has signed.');
	if (kind !== 'simulation' && kind !== 'workplace') return refused('lock.not-found', 'That work is not locked.');
	const why = reason.trim();
	if (why === '') return refused('lock.invalid', 'Nothing was unlocked: correct what is marked.', { reason: 'Say why the work is unlocked: it is kept in the security log.' });
	if (why.length > UNLOCK_LIMITS.reason) return refused('lock.invalid', 'Nothing was unlocked: correct what is marked.', { reason: `Keep the reason to ${UNLOCK_LIMITS.reason} characters.` });
	return writeTransaction(db, (): IqaResult<WorkLockEvent> => {
		const latest = latestEvent(db, kind, decisionId);
		if (!latest || latest.kind !== 'locked' || latest.organisationId !== by.organisationId) return refused('lock.not-found', 'That work is not locked.');
		const event = appendLockEvent(db, { organisationId: by.organisationId, decisionKind: kind, decisionId, sampleId: latest.sampleId, roundId: null, kind: 'unlocked', reason: why, byId: by.id, at: now.toISOString() });
		const sample = db.select({ assessorId: iqaSample.assessorId }).from(iqaSample).where(eq(iqaSample.id, latest.sampleId)).get();
		recordActorEvent(db, by, { type: 'work.unlocked', userId: sample?.assessorId ?? null, detail: { decisionKind: kind, decisionId, sampleId: latest.sampleId, reason: why.slice(0, 500) } }, now);
		return { ok: true, value: event };
	});
}

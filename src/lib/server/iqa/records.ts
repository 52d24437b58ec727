/**
 * The IQA's signed records of a learner's samples, with their actions and lock history: what an EQA
 * (issue 17, item 4) and the portfolio see. Drafts and unsigned work are never here.
 */
import { dbAll, dbRun } from '$lib/core/database';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { iqaSample, type IqaSample } from '$lib/server/db/quality';
import { iqaAction, iqaActionEvent, iqaSampleDraft, iqaSampleRound, iqaSampleSnapshot, workLockEvent } from '$lib/server/db/iqa-records';
import { isWorkLocked, lockHistory, type LockHistoryEntry } from './locks';
import { actionViews, type ActionView, type RoundView } from './samples';
import { verifyRound } from './signing';
import type { SampleSnapshot } from './snapshots';

export interface SampleRecord {
	sample: IqaSample;
	snapshotHash: string;
	snapshotTakenAt: string;
	snapshot: SampleSnapshot;
	/** Signed rounds, oldest first, each checked against its hash and the snapshot's. */
	rounds: RoundView[];
	actions: ActionView[];
	locked: boolean;
	lockHistory: LockHistoryEntry[];
}

/** The learner's samples with at least one signed round, oldest first. */
export async function sampleRecordsFor(db: Db, { learnerId }: { learnerId: string }): Promise<SampleRecord[]> {
	const samples = await dbAll(db.select().from(iqaSample).where(eq(iqaSample.learnerId, learnerId)).orderBy(iqaSample.pickedAt));
	if (samples.length === 0) return [];
	const ids = samples.map((s) => s.id);
	const snapshots = new Map((await dbAll(db.select().from(iqaSampleSnapshot).where(inArray(iqaSampleSnapshot.sampleId, ids)))).map((s) => [s.sampleId, s]));
	const rounds = await dbAll(db.select().from(iqaSampleRound).where(inArray(iqaSampleRound.sampleId, ids)).orderBy(iqaSampleRound.round));
	const actions = await actionViews(db, await dbAll(db.select().from(iqaAction).where(inArray(iqaAction.sampleId, ids)).orderBy(iqaAction.createdAt)));
	const records: SampleRecord[] = [];
	for (const sample of samples) {
		const snapshot = snapshots.get(sample.id);
		const signed = rounds.filter((r) => r.sampleId === sample.id);
		if (!snapshot || signed.length === 0) continue;
		records.push({
			sample,
			snapshotHash: snapshot.snapshotHash,
			snapshotTakenAt: snapshot.takenAt,
			snapshot: snapshot.snapshot as SampleSnapshot,
			rounds: signed.map((r) => ({ ...r, verified: verifyRound(r, snapshot.snapshotHash) })),
			actions: actions.filter((a) => a.sampleId === sample.id),
			locked: await isWorkLocked(db, sample.decisionKind, sample.decisionId),
			lockHistory: await lockHistory(db, sample.decisionKind, sample.decisionId)
		});
	}
	return records;
}

/** An IQA's signed round on a sampled decision as the learner's portfolio shows it: never the feedback to the assessor. */
export interface SignedIqaOutcome {
	stage: IqaSample['stage'];
	round: number;
	/** Agreed on every criterion, or set the assessor actions. */
	agreed: boolean;
	signedName: string;
	signedAt: string;
	signatureHash: string;
}

/** The signed IQA rounds on each of these decisions, oldest first. */
export async function signedIqaOutcomes(db: Db, kind: IqaSample['decisionKind'], decisionIds: readonly string[]): Promise<Map<string, SignedIqaOutcome[]>> {
	const outcomes = new Map<string, SignedIqaOutcome[]>();
	if (decisionIds.length === 0) return outcomes;
	const rows = await dbAll(db
		.select({ sample: iqaSample, round: iqaSampleRound })
		.from(iqaSampleRound)
		.innerJoin(iqaSample, eq(iqaSample.id, iqaSampleRound.sampleId))
		.where(and(eq(iqaSample.decisionKind, kind), inArray(iqaSample.decisionId, [...decisionIds])))
		.orderBy(iqaSampleRound.signedAt, iqaSampleRound.round));
	for (const { sample, round } of rows) {
		const outcome: SignedIqaOutcome = { stage: sample.stage, round: round.round, agreed: round.criteria.every((c) => c.verdict === 'agree'), signedName: round.signedName, signedAt: round.signedAt, signatureHash: round.signatureHash };
		outcomes.set(sample.decisionId, [...(outcomes.get(sample.decisionId) ?? []), outcome]);
	}
	return outcomes;
}

/**
 * Deletes the IQA's records of a learner's samples (drafts, snapshots, signed rounds, actions and their
 * history, lock history), children first, inside a disposal of the learner's decisions
 * (retention/records.ts): the triggers refuse these deletes unless that transaction holds the
 * learner's disposal permit. Returns how many rows of each kind went.
 */
export async function disposeSampleRecords(db: Db, learnerId: string): Promise<Record<'IQA sample rounds' | 'IQA actions' | 'IQA action history' | 'IQA locks and unlocks', number>> {
	const sampleIds = (await dbAll(db.select({ id: iqaSample.id }).from(iqaSample).where(eq(iqaSample.learnerId, learnerId)))).map((s) => s.id);
	const counts = { 'IQA sample rounds': 0, 'IQA actions': 0, 'IQA action history': 0, 'IQA locks and unlocks': 0 };
	if (sampleIds.length === 0) return counts;
	const actionIds = (await dbAll(db.select({ id: iqaAction.id }).from(iqaAction).where(inArray(iqaAction.sampleId, sampleIds)))).map((a) => a.id);
	if (actionIds.length > 0) counts['IQA action history'] = (await dbRun(db.delete(iqaActionEvent).where(inArray(iqaActionEvent.actionId, actionIds)))).changes;
	counts['IQA actions'] = (await dbRun(db.delete(iqaAction).where(inArray(iqaAction.sampleId, sampleIds)))).changes;
	counts['IQA locks and unlocks'] = (await dbRun(db.delete(workLockEvent).where(inArray(workLockEvent.sampleId, sampleIds)))).changes;
	await dbRun(db.delete(iqaSampleDraft).where(inArray(iqaSampleDraft.sampleId, sampleIds)));
	counts['IQA sample rounds'] = (await dbRun(db.delete(iqaSampleRound).where(inArray(iqaSampleRound.sampleId, sampleIds)))).changes;
	await dbRun(db.delete(iqaSampleSnapshot).where(inArray(iqaSampleSnapshot.sampleId, sampleIds)));
	return counts;
}

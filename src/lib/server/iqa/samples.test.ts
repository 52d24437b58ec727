import { dbRun, dbAll } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { refusal } from '$lib/core/testing';
import { and, eq } from 'drizzle-orm';
import { CANONICAL_ENCODING } from '$lib/core';
import { decisionCountersignature, type AssessmentDecision } from '$lib/server/db/assessment';
import { securityEvent } from '$lib/server/db/schema';
import { notification } from '$lib/server/db/notifications';
import { iqaAction, iqaActionEvent, iqaSampleRound, iqaSampleSnapshot, workLockEvent } from '$lib/server/db/iqa-records';
import { signDecision } from '$lib/server/assessment/signing';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { remindIqaActions } from '$lib/server/notifications/iqa';
import { answerAction, actionsForAssessor, reviewAction } from './actions';
import { isWorkLocked, lockedWork, unlockWork } from './locks';
import { sampleRecordsFor } from './records';
import { emptyRoundValues, samplesForIqa, sampleView, saveRoundDraft, signRound, startSampling, type RoundValues } from './samples';
import { verifyRound } from './signing';
import { snapshotHashOf, type SampleSnapshot } from './snapshots';
import { actorFor, insertSample } from './testing';
import { portfolioContent } from '$lib/server/portfolio/content';
import { disposeLearnerRecords, setLearnerStanding } from '$lib/server/retention/records';
import { iqaSample } from '$lib/server/db/quality';

const f = assessmentFixture();

async function signedDecision(at = '2026-03-05T12:00:00Z'): Promise<AssessmentDecision> {
	const attemptId = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
	const signed = await signDecision(f.db, f.gareth(), attemptId, await f.decided(attemptId), new Date(at));
	if (!signed.ok) throw new Error(signed.error.message);
	return signed.value;
}

const helen = async () => await actorFor(f.db, 'iqa@custodian.test');
const morag = async () => await actorFor(f.db, 'admin@custodian.test');
const now = new Date('2026-03-10T10:00:00Z');

/** A complete round: VACS all confirmed, every criterion agreed unless `actions` names it. */
function roundValues(codes: string[], actions: Record<string, string> = {}): RoundValues {
	const values = emptyRoundValues(codes);
	for (const check of Object.keys(values.vacs) as (keyof RoundValues['vacs'])[]) values.vacs[check] = { confirmed: 'yes', note: '' };
	for (const code of codes) values.criteria[code] = actions[code] ? { verdict: 'action', action: actions[code], targetDate: '2026-03-20' } : { verdict: 'agree', action: '', targetDate: '' };
	return { ...values, feedback: 'Clear, well-evidenced judgement.', signedName: 'Helen Achterberg' };
}

async function started(given?: Awaited<ReturnType<typeof signedDecision>>) {
	const decision = given ?? (await signedDecision());
	const sample = await insertSample(f.db, decision);
	const snapshot = await startSampling(f.db, await helen(), sample.id, now);
	if (!snapshot.ok) throw new Error(snapshot.error.message);
	const codes = (snapshot.value.snapshot as SampleSnapshot).criteria.map((c) => c.code);
	return { decision, sample, snapshot: snapshot.value, codes };
}

describe('starting a sample', () => {
	it('takes a snapshot of the decision as signed, hashed with the canonical encoder', async () => {
		const { decision, snapshot, codes } = await started();
		const taken = snapshot.snapshot as SampleSnapshot;
		expect(taken).toMatchObject({ kind: 'simulation', decisionId: decision.id, assessor: { id: f.ids.gareth, name: 'Gareth Llewellyn' }, outcome: 'met', signatureHash: decision.signatureHash, countersigner: null });
		expect(codes).toEqual(decision.criteria.map((c) => c.code));
		expect(snapshot.hashEncoding).toBe(CANONICAL_ENCODING);
		expect(snapshot.snapshotHash).toBe(snapshotHashOf(taken));
		expect(snapshotHashOf({ ...taken, outcome: 'not-yet-met' })).not.toBe(snapshot.snapshotHash);
	});

	it('refuses to start twice: the first snapshot is what is judged', async () => {
		const { sample } = await started();
		expect(await startSampling(f.db, await helen(), sample.id)).toMatchObject({ ok: false, error: { code: 'sample.already-started' } });
	});

	it('refuses an IQA their own decision, and one they countersigned, with a clear message', async () => {
		const decision = await signedDecision();
		const own = await insertSample(f.db, { ...decision, assessorId: (await helen()).id });
		expect(await startSampling(f.db, await helen(), own.id)).toMatchObject({ ok: false, error: { code: 'sample.own-work', message: expect.stringContaining('never samples their own decisions') } });
		await dbRun(f.db.insert(decisionCountersignature)
			.values({ id: 'c1', decisionId: decision.id, countersignerId: (await helen()).id, outcome: 'countersigned', decisionSignatureHash: decision.signatureHash, signedName: 'Helen Achterberg', signedAt: now.toISOString(), signatureHash: 'x', hashEncoding: CANONICAL_ENCODING }));
		const countersigned = await insertSample(f.db, decision, 'summative');
		expect(await startSampling(f.db, await helen(), countersigned.id)).toMatchObject({ ok: false, error: { code: 'sample.own-work', message: expect.stringContaining('countersigned') } });
		expect((await samplesForIqa(f.db, await helen())).find((s) => s.id === countersigned.id)?.refusal).toContain('countersigned');
	});

	it('lets only an IQA start, and only in their own centre', async () => {
		const sample = await insertSample(f.db, await signedDecision());
		expect(await startSampling(f.db, await morag(), sample.id)).toMatchObject({ ok: false, error: { code: 'sample.not-iqa' } });
		expect(await startSampling(f.db, { ...await helen(), organisationId: 'elsewhere' }, sample.id)).toMatchObject({ ok: false, error: { code: 'sample.not-found' } });
	});
});

describe('signing a round', () => {
	it('names each missing answer next to its field and signs nothing', async () => {
		const { sample, codes } = await started();
		const values = { ...emptyRoundValues(codes), feedback: '', signedName: 'Someone Else' };
		values.criteria[codes[0]!] = { verdict: 'action', action: '', targetDate: '2020-01-01' };
		const refused = await signRound(f.db, await helen(), sample.id, values, now);
		expect(refused).toMatchObject({ ok: false, error: { code: 'round.invalid' } });
		if (refused.ok) return;
		expect(refused.error.fields).toMatchObject({ 'vacs.valid': expect.any(String), feedback: expect.any(String), signedName: expect.stringContaining('Helen Achterberg'), [`criteria.${codes[0]}.action`]: expect.any(String), [`criteria.${codes[0]}.targetDate`]: expect.any(String) });
		expect(await dbAll(f.db.select().from(iqaSampleRound))).toHaveLength(0);
	});

	it('keeps a draft apart from signed rounds until it is signed', async () => {
		const { sample, codes } = await started();
		expect((await saveRoundDraft(f.db, await helen(), sample.id, { ...roundValues(codes), feedback: 'half done' }, now)).ok).toBe(true);
		expect((await sampleView(f.db, await helen(), sample.id))?.draft?.feedback).toBe('half done');
		expect((await sampleView(f.db, await helen(), sample.id))?.rounds).toHaveLength(0);
		expect((await signRound(f.db, await helen(), sample.id, roundValues(codes), now)).ok).toBe(true);
		expect((await sampleView(f.db, await helen(), sample.id))?.draft).toBeNull();
	});

	it('binds the signature to the round and the snapshot: any change is detected', async () => {
		const { sample, codes, snapshot } = await started();
		const signed = await signRound(f.db, await helen(), sample.id, roundValues(codes), now);
		if (!signed.ok) throw new Error(signed.error.message);
		const round = signed.value.round;
		expect(verifyRound(round, snapshot.snapshotHash)).toBe(true);
		expect(verifyRound({ ...round, feedback: 'Something else' }, snapshot.snapshotHash)).toBe(false);
		expect(verifyRound({ ...round, criteria: round.criteria.map((c) => ({ ...c, verdict: 'action' as const })) }, snapshot.snapshotHash)).toBe(false);
		expect(verifyRound({ ...round, signedName: 'Morag Campbell' }, snapshot.snapshotHash)).toBe(false);
		expect(verifyRound(round, 'f'.repeat(64))).toBe(false);
	});

	it('is refused by the database once signed: no UPDATE or DELETE of a round, its snapshot, actions, their history or the lock history', async () => {
		const { sample, codes } = await started();
		const first = await signRound(f.db, await helen(), sample.id, roundValues(codes, { [codes[0]!]: 'Explain the judgement' }), now);
		if (!first.ok) throw new Error(first.error.message);
		const action = first.value.actions[0]!;
		expect((await answerAction(f.db, { id: f.ids.gareth }, action.id, 'Explained.', now)).ok).toBe(true);
		expect((await reviewAction(f.db, await helen(), sample.id, action.id, 'closed', '', now)).ok).toBe(true);
		expect((await signRound(f.db, await helen(), sample.id, roundValues(codes), now)).ok).toBe(true);
		expect(await refusal(dbRun(f.db.update(iqaSampleRound).set({ feedback: 'changed' })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(iqaSampleRound)))).toMatch(/cannot be deleted/);
		expect(await refusal(dbRun(f.db.update(iqaSampleSnapshot).set({ snapshotHash: 'x' })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(iqaSampleSnapshot)))).toMatch(/cannot be deleted/);
		expect(await refusal(dbRun(f.db.update(iqaAction).set({ action: 'changed' })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(iqaAction)))).toMatch(/cannot be deleted/);
		expect(await refusal(dbRun(f.db.update(iqaActionEvent).set({ text: 'changed' })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(iqaActionEvent)))).toMatch(/cannot be deleted/);
		expect(await refusal(dbRun(f.db.update(workLockEvent).set({ reason: 'changed' })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(workLockEvent)))).toMatch(/cannot be deleted/);
	});
});

describe('actions', () => {
	it('are answered by the decision’s assessor only, closed by the IQA, and keep their whole history', async () => {
		const { sample, codes } = await started();
		const signed = await signRound(f.db, await helen(), sample.id, roundValues(codes, { [codes[0]!]: 'Add feedback on this criterion' }), now);
		if (!signed.ok) throw new Error(signed.error.message);
		expect(signed.value.locked).toBe(false);
		const action = signed.value.actions[0]!;
		expect(await dbAll(f.db.select().from(notification).where(and(eq(notification.userId, f.ids.gareth), eq(notification.kind, 'iqa-action-set'))))).toHaveLength(1);
		expect((await samplesForIqa(f.db, await helen()))[0]?.status).toBe('actions-open');

		expect(await answerAction(f.db, { id: f.ids.sam }, action.id, 'Not mine', now)).toMatchObject({ ok: false, error: { code: 'action.not-found' } });
		expect(await answerAction(f.db, { id: f.ids.gareth }, action.id, '  ', now)).toMatchObject({ ok: false, error: { fields: { answer: expect.any(String) } } });
		expect(await reviewAction(f.db, await helen(), sample.id, action.id, 'closed', '', now)).toMatchObject({ ok: false, error: { code: 'action.refused' } });
		expect(await reviewAction(f.db, await helen(), 'another-sample', action.id, 'closed', '', now)).toMatchObject({ ok: false, error: { code: 'action.not-found' } });
		expect((await answerAction(f.db, { id: f.ids.gareth }, action.id, 'Added it.', now)).ok).toBe(true);
		expect(await dbAll(f.db.select().from(notification).where(and(eq(notification.userId, (await helen()).id), eq(notification.kind, 'iqa-action-answered'))))).toHaveLength(1);
		expect(await reviewAction(f.db, await helen(), sample.id, action.id, 'sent-back', '', now)).toMatchObject({ ok: false, error: { fields: { comment: expect.any(String) } } });
		expect((await reviewAction(f.db, await helen(), sample.id, action.id, 'sent-back', 'Say why, too.', now)).ok).toBe(true);
		expect((await answerAction(f.db, { id: f.ids.gareth }, action.id, 'Added the reason.', now)).ok).toBe(true);
		expect((await reviewAction(f.db, await helen(), sample.id, action.id, 'closed', '', now)).ok).toBe(true);
		expect(await answerAction(f.db, { id: f.ids.gareth }, action.id, 'Again', now)).toMatchObject({ ok: false, error: { code: 'action.refused' } });

		const mine = await actionsForAssessor(f.db, f.ids.gareth, now);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ state: 'closed', overdue: false, learnerName: 'Amira Khan' });
		expect(mine[0]!.history.map((e) => [e.kind, e.text])).toEqual([
			['answered', 'Added it.'],
			['sent-back', 'Say why, too.'],
			['answered', 'Added the reason.'],
			['closed', '']
		]);
		expect((await samplesForIqa(f.db, await helen()))[0]?.status).toBe('in-progress');
	});

	it('are reminded once when due within 7 days and once when overdue, never once closed', async () => {
		const { sample, codes } = await started();
		const signed = await signRound(f.db, await helen(), sample.id, roundValues(codes, { [codes[0]!]: 'Fix it' }), now);
		if (!signed.ok) throw new Error(signed.error.message);
		expect(await remindIqaActions(f.db, new Date('2026-03-11T10:00:00Z'))).toBe(0);
		expect(await remindIqaActions(f.db, new Date('2026-03-14T10:00:00Z'))).toBe(1);
		expect(await remindIqaActions(f.db, new Date('2026-03-15T10:00:00Z'))).toBe(0);
		expect((await actionsForAssessor(f.db, f.ids.gareth, new Date('2026-03-22T10:00:00Z')))[0]).toMatchObject({ overdue: true, daysLeft: -2 });
		expect(await remindIqaActions(f.db, new Date('2026-03-22T10:00:00Z'))).toBe(1);
		expect(await remindIqaActions(f.db, new Date('2026-03-23T10:00:00Z'))).toBe(0);
		const kinds = (await dbAll(f.db.select({ kind: notification.kind }).from(notification).where(eq(notification.userId, f.ids.gareth)))).map((n) => n.kind);
		expect(kinds.filter((k) => k.startsWith('iqa-action-')).sort()).toEqual(['iqa-action-due', 'iqa-action-overdue', 'iqa-action-set']);
	});
});

describe('locks', () => {
	it('lock the decision once a round agrees on everything with no open action, and refuse a superseding decision', async () => {
		const { decision, sample, codes } = await started();
		const first = await signRound(f.db, await helen(), sample.id, roundValues(codes, { [codes[0]!]: 'Fix it' }), now);
		if (!first.ok) throw new Error(first.error.message);
		const action = first.value.actions[0]!;
		// An agreeing round while an action is still open does not lock.
		const second = await signRound(f.db, await helen(), sample.id, roundValues(codes), now);
		expect(second.ok && second.value.locked).toBe(false);
		await answerAction(f.db, { id: f.ids.gareth }, action.id, 'Fixed.', now);
		await reviewAction(f.db, await helen(), sample.id, action.id, 'closed', '', now);
		const third = await signRound(f.db, await helen(), sample.id, roundValues(codes), now);
		expect(third.ok && third.value.locked).toBe(true);
		expect(await isWorkLocked(f.db, 'simulation', decision.id)).toBe(true);
		expect((await samplesForIqa(f.db, await helen(), 'agreed-locked')).map((s) => s.id)).toEqual([sample.id]);

		const again = await signDecision(f.db, f.gareth(), decision.attemptId, { ...await f.decided(decision.attemptId), supersedes: decision.id });
		expect(again).toMatchObject({ ok: false, error: { code: 'decision.locked', message: expect.stringContaining('locked') } });
	});

	it('are unlocked only by a centre admin, with a reason, in the security log; the history stays', async () => {
		const { decision, sample, codes } = await started();
		await signRound(f.db, await helen(), sample.id, roundValues(codes), now);
		expect((await lockedWork(f.db, (await morag()).organisationId)).map((l) => l.decisionId)).toEqual([decision.id]);
		expect(await unlockWork(f.db, await helen(), 'simulation', decision.id, 'I want to', now)).toMatchObject({ ok: false, error: { code: 'lock.not-admin' } });
		expect(await unlockWork(f.db, await morag(), 'simulation', decision.id, ' ', now)).toMatchObject({ ok: false, error: { fields: { reason: expect.any(String) } } });
		expect(await unlockWork(f.db, { ...await morag(), organisationId: 'elsewhere' }, 'simulation', decision.id, 'Reason', now)).toMatchObject({ ok: false, error: { code: 'lock.not-found' } });
		expect(await isWorkLocked(f.db, 'simulation', decision.id)).toBe(true);

		expect((await unlockWork(f.db, await morag(), 'simulation', decision.id, 'Learner appeal upheld', now)).ok).toBe(true);
		expect(await isWorkLocked(f.db, 'simulation', decision.id)).toBe(false);
		const logged = await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'work.unlocked')));
		expect(logged).toHaveLength(1);
		expect(logged[0]).toMatchObject({ actorId: (await morag()).id, userId: f.ids.gareth, detail: { decisionId: decision.id, reason: 'Learner appeal upheld' } });
		expect((await sampleView(f.db, await helen(), sample.id))?.lockHistory.map((e) => [e.kind, e.reason])).toEqual([
			['locked', ''],
			['unlocked', 'Learner appeal upheld']
		]);
		expect(await lockedWork(f.db, (await morag()).organisationId)).toEqual([]);
		expect((await signDecision(f.db, f.gareth(), decision.attemptId, { ...await f.decided(decision.attemptId), supersedes: decision.id })).ok).toBe(true);
	});
});

describe('sample records', () => {
	it('give a learner’s signed rounds with their actions, verified, and leave out unsigned work', async () => {
		const { sample, codes } = await started();
		expect(await sampleRecordsFor(f.db, { learnerId: f.ids.amira })).toEqual([]);
		await signRound(f.db, await helen(), sample.id, roundValues(codes, { [codes[0]!]: 'Fix it' }), now);
		const records = await sampleRecordsFor(f.db, { learnerId: f.ids.amira });
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ locked: false, rounds: [{ round: 1, verified: true }], actions: [{ state: 'open' }] });
		expect(await sampleRecordsFor(f.db, { learnerId: f.ids.tomas })).toEqual([]);
	});
});

describe('the learner’s portfolio', () => {
	it('shows the IQA’s signed outcome under the sampled decision, never the IQA’s feedback to the assessor', async () => {
		const { decision, sample, codes } = await started();
		await signRound(f.db, await helen(), sample.id, { ...roundValues(codes), feedback: 'Private word for Gareth only.' }, now);
		const content = await portfolioContent(f.db, { documentId: 'doc-1', learnerId: f.ids.amira, kind: 'attempt', attemptId: decision.attemptId, issuedAt: now.toISOString() });
		const printed = content?.attempts.flatMap((a) => a.decisions) ?? [];
		expect(printed[0]?.iqa).toEqual([{ stage: 'interim', round: 1, agreed: true, signedName: 'Helen Achterberg', signedAt: now.toISOString(), signatureHash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
		expect(JSON.stringify(content)).not.toContain('Private word for Gareth');
	});
});

describe('disposal of a learner’s decisions (retention)', () => {
	it('takes the IQA’s records of their samples with it, which nothing else may delete', async () => {
		const { decision, sample, codes } = await started(await signedDecision('2022-06-02T10:00:00Z'));
		const first = await signRound(f.db, await helen(), sample.id, roundValues(codes, { [codes[0]!]: 'Fix it' }), now);
		if (!first.ok) throw new Error(first.error.message);
		await answerAction(f.db, { id: f.ids.gareth }, first.value.actions[0]!.id, 'Fixed.', now);
		await reviewAction(f.db, await helen(), sample.id, first.value.actions[0]!.id, 'closed', '', now);
		await signRound(f.db, await helen(), sample.id, roundValues(codes), now);
		expect(await isWorkLocked(f.db, 'simulation', decision.id)).toBe(true);
		expect(await refusal(dbRun(f.db.delete(iqaSampleRound)))).toMatch(/cannot be deleted/);

		const standing = await setLearnerStanding(f.db, (await morag()).organisationId, f.ids.amira, { status: 'completed', statusOn: '2022-06-30', certifiedOn: '2022-07-15', note: '' }, { id: f.ids.sam }, new Date('2022-08-01T09:00:00Z'));
		expect(standing.ok).toBe(true);
		const disposed = await disposeLearnerRecords(f.db, (await morag()).organisationId, f.ids.amira, 'decisions', null, new Date('2026-03-10T09:00:00Z'));
		expect(disposed).toMatchObject({ ok: true, outcome: { counts: { 'IQA sample rounds': 2, 'IQA actions': 1, 'IQA action history': 2, 'IQA locks and unlocks': 1 } } });
		for (const table of [iqaSampleSnapshot, iqaSampleRound, iqaAction, iqaActionEvent, workLockEvent, iqaSample]) expect(await dbAll(f.db.select().from(table))).toEqual([]);
		expect(await isWorkLocked(f.db, 'simulation', decision.id)).toBe(false);
	});
});

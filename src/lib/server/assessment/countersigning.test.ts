import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { securityEvent, user } from '$lib/server/db/schema';
import { decisionCountersignature } from '$lib/server/db/assessment';
import { attemptStatuses } from '$lib/server/attempt-status';
import { learnerGroupOf } from '$lib/server/attempt-counts';
import { learnerCoverage } from '$lib/server/coverage';
import { countersignDecision, countersignaturesToGive, verifyCountersignature } from './countersigning';
import { decisionsInForce } from './decisions';
import { verifyDecision } from './hashing';
import { assessmentQueue } from './queue';
import { signDecision } from './signing';
import { assessmentFixture } from './testing';

const f = assessmentFixture();
const idOf = (email: string) => f.db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
const dafydd = () => ({ id: idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' });
const gareth = () => ({ id: f.ids.gareth, displayName: 'Gareth Llewellyn' });

/** A submitted attempt of Amira's with a met decision signed by Dafydd, the demo trainee. */
function traineeDecision() {
	const attemptId = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
	const signed = signDecision(f.db, dafydd(), attemptId, f.decided(attemptId, { signedName: 'Dafydd Morgan' }), new Date('2026-03-02T10:00:00Z'));
	if (!signed.ok) throw new Error(signed.error.message);
	return { attemptId, decision: signed.value };
}

describe('a trainee assessor’s decision', () => {
	it('does not count until a qualified assessor countersigns it, then counts', () => {
		const { attemptId, decision } = traineeDecision();
		expect(decision.requiresCountersignature).toBe(true);
		expect(attemptStatuses(f.db, [attemptId], 'learner').get(attemptId)).toMatchObject({ state: 'awaiting-countersignature', label: 'Awaiting countersignature' });
		expect(decisionsInForce(f.db, f.ids.amira)).toEqual([]);
		expect(learnerCoverage(f.db, f.ids.amira).some((row) => row.state === 'signed-off')).toBe(false);
		expect(assessmentQueue(f.db, f.ids.gareth).counts.countersignature).toBe(1);
		expect(countersignaturesToGive(f.db, f.ids.gareth).map((c) => [c.decisionId, c.traineeName])).toEqual([[decision.id, 'Dafydd Morgan']]);

		const given = countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'gareth llewellyn' }, new Date('2026-03-03T10:00:00Z'));
		expect(given).toMatchObject({ ok: true, value: { outcome: 'countersigned', decisionSignatureHash: decision.signatureHash, signedName: 'gareth llewellyn' } });
		expect(attemptStatuses(f.db, [attemptId], 'learner').get(attemptId)?.state).toBe('signed-off');
		expect(decisionsInForce(f.db, f.ids.amira).map((d) => d.id)).toEqual([decision.id]);
		expect(countersignaturesToGive(f.db, f.ids.gareth)).toEqual([]);
		expect(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'decision.countersigned')).all()).toMatchObject([{ actorId: f.ids.gareth, userId: dafydd().id }]);
	});

	it('is refused a countersignature by the trainee themselves, and by another trainee', () => {
		const { decision } = traineeDecision();
		expect(countersignDecision(f.db, dafydd(), decision.id, { answer: 'countersign', comment: '', signedName: 'Dafydd Morgan' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused', message: expect.stringContaining('You signed this decision') } });
		f.db.$client.prepare(`INSERT INTO assessor_profile (assessor_id, status, risk, updated_at, updated_by) VALUES (?, 'trainee', 'trainee', ?, ?)`).run(f.ids.gareth, new Date().toISOString(), f.ids.gareth);
		expect(countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused', message: expect.stringContaining('trainee') } });
		expect(countersignaturesToGive(f.db, f.ids.gareth)).toEqual([]);
		expect(f.db.select().from(decisionCountersignature).all()).toEqual([]);
	});

	it('is refused to an assessor who does not assess the learner, as if it did not exist', () => {
		const ola = f.submittedAttempt(f.ids.ola, '2026-03-01T09:00:00Z');
		const sam = { id: f.ids.sam, displayName: 'Sam Okafor' };
		f.db.$client.prepare(`INSERT INTO assessor_profile (assessor_id, status, risk, updated_at, updated_by) VALUES (?, 'trainee', 'trainee', ?, ?)`).run(f.ids.sam, new Date().toISOString(), f.ids.sam);
		const signed = signDecision(f.db, sam, ola, { ...f.review(ola, f.ids.sam).values, outcome: 'met', feedback: 'Good.', signedName: 'Sam Okafor' });
		if (!signed.ok) throw new Error(signed.error.message);
		expect(countersignDecision(f.db, gareth(), signed.value.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
	});

	it('sent back with a comment, lets the trainee sign a new decision that again waits for a countersignature', () => {
		const { attemptId, decision } = traineeDecision();
		expect(countersignDecision(f.db, gareth(), decision.id, { answer: 'send-back', comment: ' ', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { fields: { comment: expect.any(String) } } });
		const back = countersignDecision(f.db, gareth(), decision.id, { answer: 'send-back', comment: 'Point 2 is not evidenced.', signedName: 'Gareth Llewellyn' });
		expect(back).toMatchObject({ ok: true, value: { outcome: 'sent-back', comment: 'Point 2 is not evidenced.' } });
		expect(attemptStatuses(f.db, [attemptId], 'assessor').get(attemptId)).toMatchObject({ state: 'sent-back', tone: 'red' });
		expect(decisionsInForce(f.db, f.ids.amira)).toEqual([]);
		const again = signDecision(f.db, dafydd(), attemptId, { ...f.review(attemptId, dafydd().id).values, outcome: 'met', feedback: 'Looked again.', signedName: 'Dafydd Morgan' });
		expect(again).toMatchObject({ ok: true, value: { sequence: 2, supersedesId: decision.id, requiresCountersignature: true } });
		expect(attemptStatuses(f.db, [attemptId], 'learner').get(attemptId)?.state).toBe('awaiting-countersignature');
		expect(countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused' } });
	});

	it('needs no countersignature when a qualified assessor signs, or for a resubmission request', () => {
		const attemptId = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = signDecision(f.db, gareth(), attemptId, f.decided(attemptId));
		expect(signed).toMatchObject({ ok: true, value: { requiresCountersignature: false } });
		if (!signed.ok) return;
		expect(countersignDecision(f.db, { id: f.ids.sam, displayName: 'Sam Okafor' }, signed.value.id, { answer: 'countersign', comment: '', signedName: 'Sam Okafor' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused' } });
		const other = f.submittedAttempt(f.ids.tomas, '2026-03-01T09:00:00Z');
		const asked = signDecision(f.db, dafydd(), other, { ...f.review(other, dafydd().id).values, outcome: 'resubmission-requested', feedback: 'More, please.', nextSteps: 'Say what you checked.', signedName: 'Dafydd Morgan' });
		expect(asked).toMatchObject({ ok: true, value: { requiresCountersignature: false } });
	});

	it('cannot lose its need for a countersignature without breaking its signature', () => {
		const { decision } = traineeDecision();
		expect(verifyDecision(f.db, decision).matches).toBe(true);
		expect(verifyDecision(f.db, { ...decision, requiresCountersignature: false })).toMatchObject({ signatureMatches: false, matches: false });
	});
});

describe('a countersignature', () => {
	it('binds to the decision’s hash: tampering with it, or moving it to another decision, is detected', () => {
		const { decision } = traineeDecision();
		const given = countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: 'Agreed.', signedName: 'Gareth Llewellyn' });
		if (!given.ok) throw new Error(given.error.message);
		expect(verifyCountersignature(given.value, decision)).toBe(true);
		expect(verifyCountersignature({ ...given.value, comment: 'Agreed, reluctantly.' }, decision)).toBe(false);
		expect(verifyCountersignature({ ...given.value, signedName: 'Sam Okafor' }, decision)).toBe(false);
		expect(verifyCountersignature(given.value, { ...decision, signatureHash: 'f'.repeat(64) })).toBe(false);
		expect(verifyCountersignature(given.value, { ...decision, id: 'another-decision' })).toBe(false);
		expect(f.review(decision.attemptId).decisions[0]?.countersignature).toMatchObject({ outcome: 'countersigned', verified: true });
	});

	it('is immutable: the database refuses an UPDATE or a DELETE', () => {
		const { decision } = traineeDecision();
		countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' });
		expect(() => f.db.update(decisionCountersignature).set({ outcome: 'sent-back' }).run()).toThrow(/cannot be changed/);
		expect(() => f.db.delete(decisionCountersignature).run()).toThrow(/cannot be deleted/);
		expect(f.db.select().from(decisionCountersignature).all()).toHaveLength(1);
	});
});

describe('the learner’s counts', () => {
	it('count a decision awaiting countersignature as awaiting assessment', () => {
		const { attemptId } = traineeDecision();
		expect(learnerGroupOf(attemptStatuses(f.db, [attemptId], 'learner').get(attemptId)!)).toBe('awaiting');
	});
});

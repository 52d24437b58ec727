import { dbGet, dbAll, dbExec, dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { refusal } from '$lib/core/testing';
import { eq, sql } from 'drizzle-orm';
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
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const dafydd = async () => ({ id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' });
const gareth = () => ({ id: f.ids.gareth, displayName: 'Gareth Llewellyn' });

/** A submitted attempt of Amira's with a met decision signed by Dafydd, the demo trainee. */
async function traineeDecision() {
	const attemptId = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
	const signed = await signDecision(f.db, await dafydd(), attemptId, await f.decided(attemptId, { signedName: 'Dafydd Morgan' }), new Date('2026-03-02T10:00:00Z'));
	if (!signed.ok) throw new Error(signed.error.message);
	return { attemptId, decision: signed.value };
}

describe('a trainee assessor’s decision', () => {
	it('does not count until a qualified assessor countersigns it, then counts', async () => {
		const { attemptId, decision } = await traineeDecision();
		expect(decision.requiresCountersignature).toBe(true);
		expect((await attemptStatuses(f.db, [attemptId], 'learner')).get(attemptId)).toMatchObject({ state: 'awaiting-countersignature', label: 'Awaiting countersignature' });
		expect(await decisionsInForce(f.db, f.ids.amira)).toEqual([]);
		expect((await learnerCoverage(f.db, f.ids.amira)).some((row) => row.state === 'signed-off')).toBe(false);
		expect((await assessmentQueue(f.db, f.ids.gareth)).counts.countersignature).toBe(1);
		expect((await countersignaturesToGive(f.db, f.ids.gareth)).map((c) => [c.decisionId, c.traineeName])).toEqual([[decision.id, 'Dafydd Morgan']]);

		const given = await countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'gareth llewellyn' }, new Date('2026-03-03T10:00:00Z'));
		expect(given).toMatchObject({ ok: true, value: { outcome: 'countersigned', decisionSignatureHash: decision.signatureHash, signedName: 'gareth llewellyn' } });
		expect((await attemptStatuses(f.db, [attemptId], 'learner')).get(attemptId)?.state).toBe('signed-off');
		expect((await decisionsInForce(f.db, f.ids.amira)).map((d) => d.id)).toEqual([decision.id]);
		expect(await countersignaturesToGive(f.db, f.ids.gareth)).toEqual([]);
		expect(await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'decision.countersigned')))).toMatchObject([{ actorId: f.ids.gareth, userId: (await dafydd()).id }]);
	});

	it('is refused a countersignature by the trainee themselves, and by another trainee', async () => {
		const { decision } = await traineeDecision();
		expect(await countersignDecision(f.db, await dafydd(), decision.id, { answer: 'countersign', comment: '', signedName: 'Dafydd Morgan' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused', message: expect.stringContaining('You signed this decision') } });
		await dbExec(f.db, sql`INSERT INTO assessor_profile (assessor_id, status, risk, updated_at, updated_by) VALUES (${f.ids.gareth}, 'trainee', 'trainee', ${new Date().toISOString()}, ${f.ids.gareth})`);
		expect(await countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused', message: expect.stringContaining('trainee') } });
		expect(await countersignaturesToGive(f.db, f.ids.gareth)).toEqual([]);
		expect(await dbAll(f.db.select().from(decisionCountersignature))).toEqual([]);
	});

	it('is refused to an assessor who does not assess the learner, as if it did not exist', async () => {
		const ola = await f.submittedAttempt(f.ids.ola, '2026-03-01T09:00:00Z');
		const sam = { id: f.ids.sam, displayName: 'Sam Okafor' };
		await dbExec(f.db, sql`INSERT INTO assessor_profile (assessor_id, status, risk, updated_at, updated_by) VALUES (${f.ids.sam}, 'trainee', 'trainee', ${new Date().toISOString()}, ${f.ids.sam})`);
		const signed = await signDecision(f.db, sam, ola, { ...(await f.review(ola, f.ids.sam)).values, outcome: 'met', feedback: 'Good.', signedName: 'Sam Okafor' });
		if (!signed.ok) throw new Error(signed.error.message);
		expect(await countersignDecision(f.db, gareth(), signed.value.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
	});

	it('sent back with a comment, lets the trainee sign a new decision that again waits for a countersignature', async () => {
		const { attemptId, decision } = await traineeDecision();
		expect(await countersignDecision(f.db, gareth(), decision.id, { answer: 'send-back', comment: ' ', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { fields: { comment: expect.any(String) } } });
		const back = await countersignDecision(f.db, gareth(), decision.id, { answer: 'send-back', comment: 'Point 2 is not evidenced.', signedName: 'Gareth Llewellyn' });
		expect(back).toMatchObject({ ok: true, value: { outcome: 'sent-back', comment: 'Point 2 is not evidenced.' } });
		expect((await attemptStatuses(f.db, [attemptId], 'assessor')).get(attemptId)).toMatchObject({ state: 'sent-back', tone: 'red' });
		expect(await decisionsInForce(f.db, f.ids.amira)).toEqual([]);
		const again = await signDecision(f.db, await dafydd(), attemptId, { ...(await f.review(attemptId, (await dafydd()).id)).values, outcome: 'met', feedback: 'Looked again.', signedName: 'Dafydd Morgan' });
		expect(again).toMatchObject({ ok: true, value: { sequence: 2, supersedesId: decision.id, requiresCountersignature: true } });
		expect((await attemptStatuses(f.db, [attemptId], 'learner')).get(attemptId)?.state).toBe('awaiting-countersignature');
		expect(await countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused' } });
	});

	it('needs no countersignature when a qualified assessor signs, or for a resubmission request', async () => {
		const attemptId = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = await signDecision(f.db, gareth(), attemptId, await f.decided(attemptId));
		expect(signed).toMatchObject({ ok: true, value: { requiresCountersignature: false } });
		if (!signed.ok) return;
		expect(await countersignDecision(f.db, { id: f.ids.sam, displayName: 'Sam Okafor' }, signed.value.id, { answer: 'countersign', comment: '', signedName: 'Sam Okafor' })).toMatchObject({ ok: false, error: { code: 'countersignature.refused' } });
		const other = await f.submittedAttempt(f.ids.tomas, '2026-03-01T09:00:00Z');
		const asked = await signDecision(f.db, await dafydd(), other, { ...(await f.review(other, (await dafydd()).id)).values, outcome: 'resubmission-requested', feedback: 'More, please.', nextSteps: 'Say what you checked.', signedName: 'Dafydd Morgan' });
		expect(asked).toMatchObject({ ok: true, value: { requiresCountersignature: false } });
	});

	it('cannot lose its need for a countersignature without breaking its signature', async () => {
		const { decision } = await traineeDecision();
		expect((await verifyDecision(f.db, decision)).matches).toBe(true);
		expect(await verifyDecision(f.db, { ...decision, requiresCountersignature: false })).toMatchObject({ signatureMatches: false, matches: false });
	});
});

describe('a countersignature', () => {
	it('binds to the decision’s hash: tampering with it, or moving it to another decision, is detected', async () => {
		const { decision } = await traineeDecision();
		const given = await countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: 'Agreed.', signedName: 'Gareth Llewellyn' });
		if (!given.ok) throw new Error(given.error.message);
		expect(verifyCountersignature(given.value, decision)).toBe(true);
		expect(verifyCountersignature({ ...given.value, comment: 'Agreed, reluctantly.' }, decision)).toBe(false);
		expect(verifyCountersignature({ ...given.value, signedName: 'Sam Okafor' }, decision)).toBe(false);
		expect(verifyCountersignature(given.value, { ...decision, signatureHash: 'f'.repeat(64) })).toBe(false);
		expect(verifyCountersignature(given.value, { ...decision, id: 'another-decision' })).toBe(false);
		expect((await f.review(decision.attemptId)).decisions[0]?.countersignature).toMatchObject({ outcome: 'countersigned', verified: true });
	});

	it('is immutable: the database refuses an UPDATE or a DELETE', async () => {
		const { decision } = await traineeDecision();
		await countersignDecision(f.db, gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' });
		expect(await refusal(dbRun(f.db.update(decisionCountersignature).set({ outcome: 'sent-back' })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(decisionCountersignature)))).toMatch(/cannot be deleted/);
		expect(await dbAll(f.db.select().from(decisionCountersignature))).toHaveLength(1);
	});
});

describe('the learner’s counts', () => {
	it('count a decision awaiting countersignature as awaiting assessment', async () => {
		const { attemptId } = await traineeDecision();
		expect(learnerGroupOf((await attemptStatuses(f.db, [attemptId], 'learner')).get(attemptId)!)).toBe('awaiting');
	});
});

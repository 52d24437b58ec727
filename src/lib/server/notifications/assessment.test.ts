import { dbGet, dbAll, dbExec, dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { user } from '$lib/server/db/schema';
import { notification } from '$lib/server/db/notifications';
import { countersignDecision } from '$lib/server/assessment/countersigning';
import { signDecision } from '$lib/server/assessment/signing';
import { assessmentFixture } from '$lib/server/assessment/testing';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const dafydd = async () => ({ id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' });
const sam = () => ({ id: f.ids.sam, displayName: 'Sam Okafor' });
const all = async () => await dbAll(f.db.select().from(notification));
const of = async (userId: string) => (await all()).filter((n) => n.userId === userId);

async function signedBy(signer: { id: string; displayName: string }, outcome: 'met' | 'resubmission-requested' = 'met') {
	const attemptId = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
	const signed = await signDecision(f.db, signer, attemptId, await f.decided(attemptId, { outcome, signedName: signer.displayName, nextSteps: 'Look again at the caller’s authority.' }), new Date('2026-03-02T10:00:00Z'));
	if (!signed.ok) throw new Error(signed.error.message);
	return { attemptId, decision: signed.value };
}

describe('notifications of assessment events', () => {
	it('tells the learner, and only the learner, of a qualified assessor’s decision, with a link to it', async () => {
		const { attemptId, decision } = await signedBy(f.gareth());
		expect(await all()).toMatchObject([
			{ userId: f.ids.amira, kind: 'decision', subject: decision.id, link: `/learn/attempts/${attemptId}/debrief`, readAt: null, emailStatus: null, title: expect.stringContaining('has been assessed') }
		]);
		expect((await all())[0]!.title).not.toContain('Amira');
	});

	it('asks the learner to resubmit when the assessor requests a resubmission', async () => {
		const { attemptId } = await signedBy(f.gareth(), 'resubmission-requested');
		expect(await all()).toMatchObject([{ userId: f.ids.amira, kind: 'resubmission-requested', link: `/learn/attempts/${attemptId}/reflection` }]);
	});

	it('asks the qualified assessors of the learner’s cohort — not the trainee, not the learner — to countersign a trainee’s decision', async () => {
		const { attemptId, decision } = await signedBy(await dafydd());
		const told = await all();
		expect(told.map((n) => n.userId).sort()).toEqual([f.ids.gareth, f.ids.sam].sort());
		expect(told.every((n) => n.kind === 'countersignature-requested' && n.subject === decision.id && n.link === `/assess/attempts/${attemptId}`)).toBe(true);
		expect(await of(f.ids.amira)).toEqual([]);
		expect(await of((await dafydd()).id)).toEqual([]);
	});

	it('does not ask an assessor who is a trainee too', async () => {
		await dbExec(f.db, sql`INSERT INTO assessor_profile (assessor_id, status, risk, updated_at, updated_by) VALUES (${f.ids.sam}, 'trainee', 'trainee', ${new Date().toISOString()}, ${f.ids.sam})`);
		await signedBy(await dafydd());
		expect((await all()).map((n) => n.userId)).toEqual([f.ids.gareth]);
	});

	it('does not ask a deactivated assessor', async () => {
		await dbRun(f.db.update(user).set({ active: false }).where(eq(user.id, f.ids.sam)));
		await signedBy(await dafydd());
		expect((await all()).map((n) => n.userId)).toEqual([f.ids.gareth]);
	});

	it('tells the trainee their decision was countersigned, and the learner that it now counts', async () => {
		const { decision } = await signedBy(await dafydd());
		const given = await countersignDecision(f.db, f.gareth(), decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' });
		expect(given.ok).toBe(true);
		expect(await of((await dafydd()).id)).toMatchObject([{ kind: 'decision-countersigned' }]);
		expect(await of(f.ids.amira)).toMatchObject([{ kind: 'decision', subject: decision.id }]);
		expect(await of(f.ids.sam)).toMatchObject([{ kind: 'countersignature-requested' }]);
	});

	it('tells the trainee their decision was sent back, and the learner nothing', async () => {
		const { decision } = await signedBy(await dafydd());
		expect((await countersignDecision(f.db, sam(), decision.id, { answer: 'send-back', comment: 'Check the authority again.', signedName: 'Sam Okafor' })).ok).toBe(true);
		expect(await of((await dafydd()).id)).toMatchObject([{ kind: 'decision-sent-back', title: expect.stringContaining('sent back') }]);
		expect(await of(f.ids.amira)).toEqual([]);
	});

	it('creates nothing when the event is refused', async () => {
		const attemptId = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		expect((await signDecision(f.db, f.gareth(), attemptId, await f.decided(attemptId, { signedName: 'Someone Else' }))).ok).toBe(false);
		const { decision } = await signedBy(await dafydd());
		const before = (await all()).length;
		expect((await countersignDecision(f.db, await dafydd(), decision.id, { answer: 'countersign', comment: '', signedName: 'Dafydd Morgan' })).ok).toBe(false);
		expect((await all()).length).toBe(before);
	});
});

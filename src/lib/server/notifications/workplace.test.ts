import { dbGet, dbAll, dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { user } from '$lib/server/db/schema';
import { notification } from '$lib/server/db/notifications';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { countersignWorkplaceDecision, signWorkplaceDecision, type WorkplaceDecisionValues } from '$lib/server/workplace/signing';
import { submittedWorkplaceEvidence } from '$lib/server/workplace/testing';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const dafydd = async () => ({ id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' });
const sam = () => ({ id: f.ids.sam, displayName: 'Sam Okafor' });
const all = async () => await dbAll(f.db.select().from(notification));
const of = async (userId: string) => (await all()).filter((n) => n.userId === userId);
const photo = { name: 'call-log.png', mediaType: 'image/png', bytes: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]) };

function values(outcome: string, signedName: string): WorkplaceDecisionValues {
	return {
		outcome,
		feedback: 'A clear account, and the form shows the checks.',
		nextSteps: outcome === 'met' ? '' : 'Add the call log.',
		assessorNote: '',
		criteria: { PC01: { met: 'met', feedback: '' } },
		signedName,
		supersedes: ''
	};
}

async function signedBy(signer: { id: string; displayName: string }, outcome: 'met' | 'not-yet-met' | 'resubmission-requested' = 'met') {
	const { evidenceId } = await submittedWorkplaceEvidence(f.db, { organisationId: DEMO_ORGANISATION_ID, learnerId: f.ids.amira, title: 'Amira’s call with Mrs Jones', criteria: ['PC01'], files: [photo] });
	const signed = await signWorkplaceDecision(f.db, signer, evidenceId, values(outcome, signer.displayName), new Date('2026-03-02T10:00:00Z'));
	if (!signed.ok) throw new Error(signed.error.message);
	return { evidenceId, decision: signed.value };
}

describe('notifications of decisions on workplace evidence', () => {
	it('tells the learner, and only the learner, of a qualified assessor’s decision, with a link to the evidence and nothing of it in the title', async () => {
		const { evidenceId, decision } = await signedBy(f.gareth());
		expect(await all()).toMatchObject([{ userId: f.ids.amira, kind: 'decision', subject: decision.id, link: `/learn/evidence/${evidenceId}`, readAt: null, title: expect.stringContaining('has been assessed') }]);
		expect((await all())[0]!.title).not.toMatch(/Amira|Jones/u);
	});

	it('tells the learner of a decision of not yet met too', async () => {
		const { decision } = await signedBy(f.gareth(), 'not-yet-met');
		expect(await all()).toMatchObject([{ userId: f.ids.amira, kind: 'decision', subject: decision.id }]);
	});

	it('asks the learner to resubmit when the assessor requests a resubmission, even when a trainee asks', async () => {
		const { evidenceId } = await signedBy(await dafydd(), 'resubmission-requested');
		expect(await all()).toMatchObject([{ userId: f.ids.amira, kind: 'resubmission-requested', link: `/learn/evidence/${evidenceId}` }]);
	});

	it('asks the qualified assessors of the learner’s cohort — not the trainee, not the learner — to countersign a trainee’s decision', async () => {
		const { evidenceId, decision } = await signedBy(await dafydd());
		const told = await all();
		expect(told.map((n) => n.userId).sort()).toEqual([f.ids.gareth, f.ids.sam].sort());
		expect(told.every((n) => n.kind === 'countersignature-requested' && n.subject === decision.id && n.link === `/assess/workplace/${evidenceId}`)).toBe(true);
		expect(await of(f.ids.amira)).toEqual([]);
		expect(await of((await dafydd()).id)).toEqual([]);
	});

	it('does not ask a deactivated assessor to countersign', async () => {
		await dbRun(f.db.update(user).set({ active: false }).where(eq(user.id, f.ids.sam)));
		await signedBy(await dafydd());
		expect((await all()).map((n) => n.userId)).toEqual([f.ids.gareth]);
	});

	it('tells the trainee their decision was countersigned, and the learner that it now counts', async () => {
		const { evidenceId, decision } = await signedBy(await dafydd());
		expect((await countersignWorkplaceDecision(f.db, { ...f.gareth(), address: null }, decision.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).ok).toBe(true);
		expect(await of((await dafydd()).id)).toMatchObject([{ kind: 'decision-countersigned', link: `/assess/workplace/${evidenceId}` }]);
		expect(await of(f.ids.amira)).toMatchObject([{ kind: 'decision', subject: decision.id, link: `/learn/evidence/${evidenceId}` }]);
		expect(await of(f.ids.sam)).toMatchObject([{ kind: 'countersignature-requested' }]);
	});

	it('tells the trainee their decision was sent back, and the learner nothing', async () => {
		const { decision } = await signedBy(await dafydd());
		expect((await countersignWorkplaceDecision(f.db, { ...sam(), address: null }, decision.id, { answer: 'send-back', comment: 'Check the photo.', signedName: 'Sam Okafor' })).ok).toBe(true);
		expect(await of((await dafydd()).id)).toMatchObject([{ kind: 'decision-sent-back', title: expect.stringContaining('sent back') }]);
		expect(await of(f.ids.amira)).toEqual([]);
	});

	it('creates nothing when the signing or the countersigning is refused', async () => {
		const { evidenceId } = await submittedWorkplaceEvidence(f.db, { organisationId: DEMO_ORGANISATION_ID, learnerId: f.ids.amira, criteria: ['PC01'], files: [photo] });
		expect((await signWorkplaceDecision(f.db, f.gareth(), evidenceId, values('met', 'Someone Else'))).ok).toBe(false);
		expect(await all()).toEqual([]);
		const { decision } = await signedBy(await dafydd());
		const before = (await all()).length;
		expect((await countersignWorkplaceDecision(f.db, { ...await dafydd(), address: null }, decision.id, { answer: 'countersign', comment: '', signedName: 'Dafydd Morgan' })).ok).toBe(false);
		expect((await all()).length).toBe(before);
	});
});

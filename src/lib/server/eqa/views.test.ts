import { dbGet, dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { countersignDecision } from '$lib/server/assessment/countersigning';
import { signDecision } from '$lib/server/assessment/signing';
import { eqaAccess, type EqaAccess } from '$lib/server/db/eqa';
import { learnerStanding } from '$lib/server/db/quality';
import { user } from '$lib/server/db/schema';
import { centreGrantView, sampleAssessors, sampledLearnerView, sampledLearners } from './views';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
/** The demo EQA's open grant to Amira and Tomás (demo.ts). */
const demoGrant = async (): Promise<EqaAccess> => (await dbGet(f.db.select().from(eqaAccess).where(eq(eqaAccess.id, 'demo-eqa-access'))))!;

describe('what the EQA sees of the sample', () => {
	it('lists the sample’s learners with their standing, the assessors who signed or countersigned, and each decision with its countersignature', async () => {
		const attemptId = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const trainee = { id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' };
		const signed = await signDecision(f.db, trainee, attemptId, await f.decided(attemptId, { signedName: 'Dafydd Morgan' }), new Date('2026-03-02T10:00:00Z'));
		if (!signed.ok) throw new Error(signed.error.message);
		expect((await countersignDecision(f.db, f.gareth(), signed.value.id, { answer: 'countersign', comment: 'Agreed.', signedName: 'Gareth Llewellyn' })).ok).toBe(true);
		await dbRun(f.db.insert(learnerStanding).values({ learnerId: f.ids.tomas, organisationId: 'demo-centre', status: 'completed', statusOn: '2026-06-30', updatedBy: await idOf('admin@custodian.test'), updatedAt: new Date().toISOString() }));

		const grant = await demoGrant();
		expect((await sampledLearners(f.db, grant)).map((l) => [l.id, l.status])).toEqual([
			[f.ids.amira, 'in-training'],
			[f.ids.tomas, 'completed']
		]);
		expect((await sampleAssessors(f.db, grant)).map((a) => [a.name, a.status])).toEqual([
			['Dafydd Morgan', 'trainee'],
			['Gareth Llewellyn', 'qualified']
		]);
		const view = (await sampledLearnerView(f.db, grant, f.ids.amira))!;
		const decision = view.attempts.find((a) => a.id === attemptId)!.decisions[0]!;
		expect(decision).toMatchObject({ signedName: 'Dafydd Morgan', requiresCountersignature: true, countersignature: { outcome: 'countersigned', signedName: 'Gareth Llewellyn', comment: 'Agreed.' } });
		expect(decision).not.toHaveProperty('assessorNote');
		expect(await sampledLearnerView(f.db, grant, f.ids.ola)).toBeUndefined();
	});

	it('shows the centre a draft report as not yet there, and another centre’s grant not at all', async () => {
		expect(await centreGrantView(f.db, 'demo-centre', 'demo-eqa-access')).toMatchObject({ grant: { state: 'live', eqa: { name: 'Nkechi Adeyemi' } }, report: null, answers: [] });
		expect(await centreGrantView(f.db, 'other-centre', 'demo-eqa-access')).toBeUndefined();
	});
});

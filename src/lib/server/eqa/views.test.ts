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
const idOf = (email: string) => f.db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
/** The demo EQA's open grant to Amira and Tomás (demo.ts). */
const demoGrant = (): EqaAccess => f.db.select().from(eqaAccess).where(eq(eqaAccess.id, 'demo-eqa-access')).get()!;

describe('what the EQA sees of the sample', () => {
	it('lists the sample’s learners with their standing, the assessors who signed or countersigned, and each decision with its countersignature', () => {
		const attemptId = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const trainee = { id: idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' };
		const signed = signDecision(f.db, trainee, attemptId, f.decided(attemptId, { signedName: 'Dafydd Morgan' }), new Date('2026-03-02T10:00:00Z'));
		if (!signed.ok) throw new Error(signed.error.message);
		expect(countersignDecision(f.db, f.gareth(), signed.value.id, { answer: 'countersign', comment: 'Agreed.', signedName: 'Gareth Llewellyn' }).ok).toBe(true);
		f.db.insert(learnerStanding).values({ learnerId: f.ids.tomas, organisationId: 'demo-centre', status: 'completed', statusOn: '2026-06-30', updatedBy: idOf('admin@custodian.test'), updatedAt: new Date().toISOString() }).run();

		const grant = demoGrant();
		expect(sampledLearners(f.db, grant).map((l) => [l.id, l.status])).toEqual([
			[f.ids.amira, 'in-training'],
			[f.ids.tomas, 'completed']
		]);
		expect(sampleAssessors(f.db, grant).map((a) => [a.name, a.status])).toEqual([
			['Dafydd Morgan', 'trainee'],
			['Gareth Llewellyn', 'qualified']
		]);
		const view = sampledLearnerView(f.db, grant, f.ids.amira)!;
		const decision = view.attempts.find((a) => a.id === attemptId)!.decisions[0]!;
		expect(decision).toMatchObject({ signedName: 'Dafydd Morgan', requiresCountersignature: true, countersignature: { outcome: 'countersigned', signedName: 'Gareth Llewellyn', comment: 'Agreed.' } });
		expect(decision).not.toHaveProperty('assessorNote');
		expect(sampledLearnerView(f.db, grant, f.ids.ola)).toBeUndefined();
	});

	it('shows the centre a draft report as not yet there, and another centre’s grant not at all', () => {
		expect(centreGrantView(f.db, 'demo-centre', 'demo-eqa-access')).toMatchObject({ grant: { state: 'live', eqa: { name: 'Nkechi Adeyemi' } }, report: null, answers: [] });
		expect(centreGrantView(f.db, 'other-centre', 'demo-eqa-access')).toBeUndefined();
	});
});

import { dbGet, dbAll, dbExec, dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { user } from '$lib/server/db/schema';
import { iqaSample } from '$lib/server/db/quality';
import { notification } from '$lib/server/db/notifications';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { signDecision } from '$lib/server/assessment/signing';
import {
	DEFAULT_RATES,
	coverageGrid,
	createPlan,
	findPlan,
	pickManualSample,
	pickRuleSamples,
	pickSamplesForAllPlans,
	planCoverage,
	planDefaults,
	plansForCohort,
	requiredCount,
	rulePicksOf,
	updatePlan,
	type PlanSettingsInput
} from './sampling';
import { recordMeeting, meetingsOf } from './meetings';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const iqa = async () => ({ id: await idOf('iqa@custodian.test'), organisationId: (await dbGet(f.db.select().from(user).where(eq(user.email, 'iqa@custodian.test'))))!.organisationId });
const COHORT = 'demo-cohort-january';

function settings(change: Partial<PlanSettingsInput> = {}): PlanSettingsInput {
	return { ...planDefaults(), ...change };
}

async function plan(change: Partial<PlanSettingsInput> = {}) {
	const made = await createPlan(f.db, await iqa(), COHORT, settings(change), new Date('2026-03-01T08:00:00Z'));
	if (!made.ok) throw new Error(made.error.message);
	return made.value;
}

/** A met decision signed by Gareth on a new attempt of the learner's; returns the decision. */
async function decision(learnerId: string, day: number, signer = f.gareth()) {
	const at = `2026-03-${String(day).padStart(2, '0')}`;
	const attemptId = await f.submittedAttempt(learnerId, `${at}T09:00:00Z`);
	const signed = await signDecision(f.db, signer, attemptId, { ...(await f.review(attemptId, signer.id)).values, outcome: 'met', feedback: 'Good.', signedName: signer.displayName }, new Date(`${at}T10:00:00Z`));
	if (!signed.ok) throw new Error(signed.error.message);
	return signed.value;
}

async function setRisk(assessorId: string, risk: string) {
	await dbExec(f.db, sql`INSERT INTO assessor_profile (assessor_id, status, risk, updated_at, updated_by) VALUES (${assessorId}, 'qualified', ${risk}, ${new Date().toISOString()}, ${assessorId}) ON CONFLICT(assessor_id) DO UPDATE SET risk = excluded.risk`);
}

async function setStanding(learnerId: string, status: 'in-training' | 'completed' | 'withdrawn') {
	await dbExec(
		f.db,
		sql`INSERT INTO learner_standing (learner_id, organisation_id, status, status_on, updated_by, updated_at) VALUES (${learnerId}, ${(await iqa()).organisationId}, ${status}, '2026-04-01', ${(await iqa()).id}, ${new Date().toISOString()}) ON CONFLICT(learner_id) DO UPDATE SET status = excluded.status`
	);
}

const samples = async () => await dbAll(f.db.select().from(iqaSample));

describe('a sampling plan', () => {
	it('starts at 100 % for new and trainee assessors, with every method and criterion and both stages', async () => {
		const p = await plan();
		expect(p.rates).toEqual(DEFAULT_RATES);
		expect(p.rates.new).toBe(100);
		expect(p.rates.trainee).toBe(100);
		expect(p.methods).toEqual(['simulation', 'observation', 'witness-testimony', 'workplace-evidence', 'reflection']);
		expect(p.qualificationTitle).toBe('Process information about customers');
		expect([p.interimRequired, p.summativeRequired]).toEqual([true, true]);
		expect((await plansForCohort(f.db, COHORT)).map((x) => x.id)).toEqual([p.id]);
	});

	it('refuses settings it cannot use, each with a message for its field, and saves a change with who made it', async () => {
		const bad = await createPlan(f.db, await iqa(), 'no-such-cohort', settings({ qualificationTitle: ' ', rates: { ...DEFAULT_RATES, low: 101, high: null }, methods: ['telepathy'], criteria: [], interimRequired: false, summativeRequired: false }));
		expect(bad).toMatchObject({ ok: false, error: { fields: { cohortId: expect.any(String), qualificationTitle: expect.any(String), 'rate-low': expect.any(String), 'rate-high': expect.any(String), methods: expect.any(String), criteria: expect.any(String), stages: expect.any(String) } } });
		const p = await plan();
		const changed = await updatePlan(f.db, await iqa(), p.id, settings({ rates: { ...DEFAULT_RATES, low: 5 }, summativeRequired: false }), new Date('2026-03-05T08:00:00Z'));
		expect(changed).toMatchObject({ ok: true, value: { rates: { low: 5 }, summativeRequired: false, updatedAt: '2026-03-05T08:00:00.000Z', updatedBy: (await iqa()).id } });
		expect(await updatePlan(f.db, { ...await iqa(), organisationId: 'another-centre' }, p.id, settings())).toMatchObject({ ok: false, error: { code: 'plan.not-found' } });
		expect(await findPlan(f.db, 'another-centre', p.id)).toBeUndefined();
	});
});

describe('rule-based picks', () => {
	it('sample every decision of a new assessor, and the low band’s rate (rounded up) of a low-risk one', async () => {
		const p = await plan();
		for (const day of [2, 3, 4]) await decision(f.ids.amira, day);
		expect((await pickRuleSamples(f.db, p.id, new Date('2026-03-10T00:00:00Z'))).picked).toHaveLength(3);
		expect((await samples()).every((s) => s.pick === 'rule' && s.stage === 'interim' && s.reason.startsWith('Risk band new: 100 %'))).toBe(true);

		await setRisk(f.ids.gareth, 'low');
		const q = await plan();
		await dbRun(f.db.delete(iqaSample));
		const picked = (await pickRuleSamples(f.db, q.id, new Date('2026-03-10T00:00:00Z'))).picked;
		expect(picked).toHaveLength(1); // 10 % of 3, rounded up
		expect(picked[0]!.reason).toContain('Risk band low: 10 %');
	});

	it('sample an assessor rated low at the trainee band’s rate once they are a trainee', async () => {
		const p = await plan();
		// Signed while qualified (so they count without a countersignature); then marked trainee.
		for (const day of [2, 3, 4]) await decision(f.ids.amira, day);
		await setRisk(f.ids.gareth, 'low');
		await dbExec(f.db, sql`UPDATE assessor_profile SET status = 'trainee' WHERE assessor_id = ${f.ids.gareth}`);
		const picked = (await pickRuleSamples(f.db, p.id, new Date('2026-03-10T00:00:00Z'))).picked;
		expect(picked).toHaveLength(3);
		expect(picked[0]!.reason).toContain('Risk band trainee: 100 %');
	});

	it('pick the same decisions from the same data, and nothing new when run again', async () => {
		await setRisk(f.ids.gareth, 'medium');
		const p = await plan();
		for (const day of [2, 3, 4, 5, 6, 7, 8]) await decision(f.ids.amira, day);
		const first = (await pickRuleSamples(f.db, p.id)).picked.map((s) => s.decisionId).sort();
		expect(first).toHaveLength(requiredCount(25, 7));
		expect((await pickRuleSamples(f.db, p.id)).picked).toEqual([]);
		await dbRun(f.db.delete(iqaSample));
		expect((await pickRuleSamples(f.db, p.id)).picked.map((s) => s.decisionId).sort()).toEqual(first);
	});

	it('pick at interim while the learner trains and at summative once they have completed; none of a withdrawn learner', async () => {
		const p = await plan();
		const amiras = await decision(f.ids.amira, 2);
		const tomass = await decision(f.ids.tomas, 3);
		await setStanding(f.ids.tomas, 'completed');
		await pickRuleSamples(f.db, p.id);
		expect((await samples()).map((s) => [s.decisionId, s.stage]).sort()).toEqual([[amiras.id, 'interim'], [tomass.id, 'summative']].sort());
		await setStanding(f.ids.amira, 'withdrawn');
		await decision(f.ids.amira, 4);
		expect((await pickRuleSamples(f.db, p.id)).picked).toEqual([]);
	});

	it('leave the decisions of the IQA who presses the button to the scheduled job, and tell the centre’s IQAs once per run', async () => {
		await dbExec(f.db, sql`INSERT INTO user_role (user_id, role) VALUES (${f.ids.gareth}, 'iqa')`);
		const p = await plan();
		await decision(f.ids.amira, 2);
		expect(await pickRuleSamples(f.db, p.id, new Date(), f.ids.gareth)).toMatchObject({ picked: [], leftAsOwn: 1 });
		expect(await pickSamplesForAllPlans(f.db, new Date('2026-03-10T00:00:00Z'))).toBe(1);
		expect(await pickSamplesForAllPlans(f.db, new Date('2026-03-10T00:15:00Z'))).toBe(0);
		const told = await dbAll(f.db.select().from(notification).where(eq(notification.kind, 'work-ready-for-iqa')));
		expect(told.map((n) => n.userId).sort()).toEqual([f.ids.gareth, (await iqa()).id].sort());
		expect(told[0]).toMatchObject({ title: 'One decision is ready for IQA: Process information about customers', link: `/iqa/plans/${p.id}` });
	});
});

describe('manual picks', () => {
	it('take a reason, and refuse a decision the IQA signed, a summative pick before completion and a second pick', async () => {
		await dbExec(f.db, sql`INSERT INTO user_role (user_id, role) VALUES (${f.ids.gareth}, 'iqa')`);
		const p = await plan();
		const d = await decision(f.ids.amira, 2);
		const garethAsIqa = { id: f.ids.gareth, organisationId: (await iqa()).organisationId };
		expect(await pickManualSample(f.db, garethAsIqa, p.id, { decision: `simulation:${d.id}`, stage: 'interim', reason: 'Borderline.' })).toMatchObject({
			ok: false,
			error: { code: 'sample.refused', message: expect.stringContaining('an IQA never samples their own decisions') }
		});
		expect(await pickManualSample(f.db, await iqa(), p.id, { decision: `simulation:${d.id}`, stage: 'interim', reason: ' ' })).toMatchObject({ ok: false, error: { fields: { reason: expect.any(String) } } });
		expect(await pickManualSample(f.db, await iqa(), p.id, { decision: `simulation:${d.id}`, stage: 'summative', reason: 'Check.' })).toMatchObject({ ok: false, error: { fields: { stage: expect.stringContaining('completed') } } });
		expect(await pickManualSample(f.db, await iqa(), p.id, { decision: 'simulation:not-a-decision', stage: 'interim', reason: 'Check.' })).toMatchObject({ ok: false, error: { fields: { decision: expect.any(String) } } });
		expect(await pickManualSample(f.db, await iqa(), p.id, { decision: `simulation:${d.id}`, stage: 'interim', reason: 'Borderline judgement on PC01.' })).toMatchObject({ ok: true, value: { pick: 'manual', pickedBy: (await iqa()).id, reason: 'Borderline judgement on PC01.' } });
		expect(await pickManualSample(f.db, await iqa(), p.id, { decision: `simulation:${d.id}`, stage: 'interim', reason: 'Again.' })).toMatchObject({ ok: false, error: { fields: { decision: expect.stringContaining('already') } } });
		expect(await samples()).toHaveLength(1);
	});
});

describe('the coverage grid', () => {
	it('names the gaps in words until the sample covers every assessor, criterion and method, then is compliant', async () => {
		const d = await decision(f.ids.amira, 2);
		const judged = d.criteria.map((c) => c.code);
		const p = await plan({ methods: ['simulation', 'reflection'], criteria: judged, summativeRequired: false });
		const before = (await planCoverage(f.db, p.id))!;
		expect(before.compliant).toBe(false);
		expect(before.gaps).toContain('Gareth Llewellyn (risk new): 0 of 1 interim decisions sampled (0 %), 100 % required — 1 more to sample.');
		expect(before.gaps).toContain(`${before.criteria[0]!.code} ${before.criteria[0]!.title}: no interim sample covers it.`);
		expect(before.gaps).toContain('Simulation: no interim sample uses this method.');
		expect(coverageGrid(before, null).rows[0]!.gapStages).toEqual(['interim']);
		expect(coverageGrid(before, null).columns.every((c) => c.gap)).toBe(true);
		expect(before.camera.map((c) => c.heading)).toEqual(['Candidates', 'Assessors', 'Methods', 'Evidence and criteria', 'Records', 'Assessment locations']);
		// The IQA's view names the learners not yet sampled; the EQA's counts them only.
		expect(before.camera[0]!.summary).toMatch(/; not yet: .+\.$/);
		expect((await planCoverage(f.db, p.id, { nameLearners: false }))!.camera[0]!.summary).toMatch(/^0 of \d+ learners have work in the sample\.$/);

		await pickRuleSamples(f.db, p.id);
		const after = (await planCoverage(f.db, p.id))!;
		expect(after.gaps).toEqual([]);
		expect(after.compliant).toBe(true);
		expect(after.assessors.find((a) => a.assessorId === f.ids.gareth)!.stages).toEqual([{ stage: 'interim', decisions: 1, sampled: 1, required: 1, achieved: 100, met: true }]);
		expect(after.cells).toContainEqual({ assessorId: f.ids.gareth, criterion: after.criteria[0]!.code, method: 'simulation', stage: 'interim', samples: 1 });
		const grid = coverageGrid(after, f.ids.gareth);
		expect(grid.rows[0]!.gapStages).toEqual([]);
		expect(grid.rows[0]!.counts).toEqual([1, 1]);
		expect(grid.columns).toEqual([
			{ method: 'simulation', stage: 'interim', gap: false },
			{ method: 'reflection', stage: 'interim', gap: false }
		]);
		expect(coverageGrid(after, 'someone-else').rows[0]!.gapStages).toEqual(['interim']);
	});

	it('keeps a method no decision uses as a gap, and counts only decisions that count', async () => {
		const p = await plan({ methods: ['simulation', 'witness-testimony'], criteria: ['PC01'], summativeRequired: false });
		const trainee = { id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' };
		await decision(f.ids.amira, 2, trainee); // awaiting countersignature: does not count yet
		expect((await pickRuleSamples(f.db, p.id)).picked).toEqual([]);
		expect((await planCoverage(f.db, p.id))!.gaps).toContain('Witness testimony: no interim sample uses this method.');
	});
});

describe('standardisation meetings', () => {
	it('are recorded against the plan with staff and typed-in attendees, and refused without date, attendees or work', async () => {
		const p = await plan();
		expect(await recordMeeting(f.db, await iqa(), p.id, { heldOn: '2026-02-30', staff: [], others: '', workDiscussed: '', actions: '' })).toMatchObject({
			ok: false,
			error: { fields: { heldOn: expect.any(String), staff: expect.any(String), workDiscussed: expect.any(String) } }
		});
		expect(await recordMeeting(f.db, await iqa(), p.id, { heldOn: '2026-03-20', staff: ['not-staff'], others: '', workDiscussed: 'x', actions: '' })).toMatchObject({ ok: false, error: { fields: { staff: expect.any(String) } } });
		const met = await recordMeeting(f.db, await iqa(), p.id, { heldOn: '2026-03-20', staff: [f.ids.gareth], others: 'Jo Bloggs (EQA)\n\n', workDiscussed: 'Amira’s spouse-caller attempt.', actions: 'Gareth to add feedback on PC03.' });
		expect(met).toMatchObject({ ok: true, value: { attendees: [{ name: 'Gareth Llewellyn', userId: f.ids.gareth }, { name: 'Jo Bloggs (EQA)', userId: null }] } });
		expect(await meetingsOf(f.db, p.id)).toMatchObject([{ heldOn: '2026-03-20', recordedByName: 'Helen Achterberg' }]);
		expect(await recordMeeting(f.db, { ...await iqa(), organisationId: 'another-centre' }, p.id, { heldOn: '2026-03-20', staff: [], others: 'A', workDiscussed: 'x', actions: '' })).toMatchObject({ ok: false, error: { code: 'plan.not-found' } });
	});
});

describe('the pick rule, for any decisions and rate', () => {
	it('brings the share sampled up to the rate, picks only unsampled decisions, and picks nothing more when run again', () => {
		fc.assert(
			fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }), fc.func(fc.boolean()), fc.integer({ min: 0, max: 100 }), (ids, sampledAlready, rate) => {
				const sampled = new Set(ids.filter((id) => sampledAlready(id)));
				const order = (id: string) => [...id].map((ch) => ch.charCodeAt(0).toString(16).padStart(4, '0')).join('');
				const first = rulePicksOf(ids, (id) => sampled.has(id), rate, order);
				expect(first.picks.every((id) => !sampled.has(id))).toBe(true);
				for (const id of first.picks) sampled.add(id);
				expect(sampled.size * 100).toBeGreaterThanOrEqual(rate * ids.length);
				expect(rulePicksOf(ids, (id) => sampled.has(id), rate, order).picks).toEqual([]);
				// The same data gives the same picks, whatever order the decisions come in.
				const reversed = rulePicksOf([...ids].reverse(), (id) => sampled.has(id) && !first.picks.includes(id), rate, order);
				expect(reversed.picks).toEqual(first.picks);
			})
		);
	});
});

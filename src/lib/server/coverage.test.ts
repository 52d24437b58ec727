import { describe, expect, it } from 'vitest';
import { CRITERIA } from '$lib/criteria';
import type { AttemptSummary } from '$lib/views/learning';
import { attemptsByScenario, coverageCounts, coverageOf, learnerCoverage, SHOWN_PER_SCENARIO } from './coverage';
import { dbGet } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { seedDemoData } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { submitReflection } from '$lib/server/reflections';
import { assessorReview, signDecision } from '$lib/server/assessment';
import { recordObservation } from '$lib/server/other-evidence';
import { user } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';


const base: AttemptSummary = {
	id: 'a1',
	scenarioId: 'spouse-caller',
	scenarioVersion: '1.0.0+abc',
	title: 'The spouse caller',
	status: 'ended',
	startedAt: '2026-01-01T10:00:00Z',
	endedAt: '2026-01-01T10:20:00Z',
	score: 100,
	passed: true,
	// Coverage reads only whether it passed and what it evidenced.
	verdict: null,
	criteriaEvidenced: ['PC01', 'EMP03'],
	standing: { state: 'reflecting', label: 'Reflection not submitted', next: 'Write your reflection', tone: 'red', href: '/learn/attempts/a1/reflection' }
};
const criteria = new Map([['spouse-caller', ['PC01', 'EMP03', 'PC05']]]);

describe('the coverage map', () => {
	it('lists every criterion of the unit, with no evidence before any attempt', () => {
		const rows = coverageOf([], criteria);
		expect(rows.map((r) => r.code)).toEqual(CRITERIA.map((c) => c.code));
		expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['none']));
	});

	it('shows a criterion met by a passed attempt, with that attempt as its evidence', () => {
		const rows = coverageOf([base], criteria);
		expect(rows.find((r) => r.code === 'EMP03')).toMatchObject({ state: 'met', attempts: [{ id: 'a1', state: 'met' }] });
		expect(rows.find((r) => r.code === 'PC05')?.state).toBe('none');
	});

	it('counts a failed attempt’s met points as in progress, not met', () => {
		const rows = coverageOf([{ ...base, passed: false }], criteria);
		expect(rows.find((r) => r.code === 'EMP03')?.state).toBe('in-progress');
	});

	it('shows the criteria of a scenario under way as in progress, and the best state wins', () => {
		const running: AttemptSummary = { ...base, id: 'a2', status: 'in-progress', endedAt: null, score: null, passed: null, criteriaEvidenced: [] };
		const rows = coverageOf([running, base], criteria);
		expect(rows.find((r) => r.code === 'PC05')).toMatchObject({ state: 'in-progress', attempts: [{ id: 'a2' }] });
		expect(rows.find((r) => r.code === 'PC01')?.state).toBe('met');
	});
});

describe('the coverage page', () => {
	it('counts the criteria in every state, listing a state with none at 0', () => {
		const counts = coverageCounts(coverageOf([base], criteria));
		expect(counts.map((c) => c.state)).toEqual(['none', 'in-progress', 'met', 'signed-off']);
		expect(counts.find((c) => c.state === 'met')).toEqual({ state: 'met', label: 'Met in the simulator', count: 2 });
		expect(counts.find((c) => c.state === 'signed-off')?.count).toBe(0);
		expect(counts.reduce((sum, c) => sum + c.count, 0)).toBe(CRITERIA.length);
	});

	it('groups a criterion’s attempts by scenario, showing the newest few of each and counting the rest', () => {
		const attempts = Array.from({ length: SHOWN_PER_SCENARIO + 2 }, (_, i) => ({ ...base, id: `s${i}`, signedOff: i === 0 }));
		const other = { ...base, id: 'o1', scenarioId: 'police-request', title: 'The police request', signedOff: false };
		const groups = attemptsByScenario([...attempts, other]);
		expect(groups.map((g) => [g.scenarioId, g.attempts.length, g.more])).toEqual([
			['spouse-caller', SHOWN_PER_SCENARIO, 2],
			['police-request', 1, 0]
		]);
		expect(groups[0]!.attempts.map((a) => a.id)).toEqual(['s0', 's1', 's2']);
		expect(groups[0]!.attempts[0]).toMatchObject({ signedOff: true, status: 'ended', passed: true });
	});
});

describe('signed-off coverage', () => {
	it('marks a criterion signed off by a signed decision on an attempt, with who signed and when', () => {
		const rows = coverageOf([base], criteria, [{ kind: 'attempt', id: 'a1', title: base.title, criteria: ['PC01'], signedBy: { name: 'Gareth Llewellyn', at: '2026-03-05T12:00:00Z' } }]);
		expect(rows.find((r) => r.code === 'PC01')).toMatchObject({
			state: 'signed-off',
			signedBy: { name: 'Gareth Llewellyn' },
			attempts: [{ id: 'a1', state: 'signed-off' }],
			evidence: [{ kind: 'attempt', id: 'a1', state: 'signed-off' }]
		});
		expect(rows.find((r) => r.code === 'EMP03')).toMatchObject({ state: 'met' });
		expect(rows.find((r) => r.code === 'EMP03')?.signedBy).toBeUndefined();
	});

	it('counts mapped testimony and observations as signed-off evidence, and the latest sign-off is shown', () => {
		const rows = coverageOf([], criteria, [
			{ kind: 'testimony', id: 't1', title: 'Witness testimony: D. Rhys', criteria: ['PC05'], signedBy: { name: 'Gareth Llewellyn', at: '2026-03-01T00:00:00Z' } },
			{ kind: 'observation', id: 'o1', title: 'Observation: front desk', criteria: ['PC05'], signedBy: { name: 'Sam Okafor', at: '2026-03-04T00:00:00Z' } }
		]);
		expect(rows.find((r) => r.code === 'PC05')).toMatchObject({ state: 'signed-off', signedBy: { name: 'Sam Okafor' }, attempts: [] });
		expect(rows.find((r) => r.code === 'PC05')?.evidence.map((e) => e.kind)).toEqual(['testimony', 'observation']);
	});
});

describe('a learner’s stored coverage', () => {
	it('shows “signed off” for the criteria of a signed met decision and of mapped evidence, and nothing for another learner', async () => {
		const db = await openTestDatabase();
		await seedDemoData(db);
		await syncBuiltInScenarios(db);
		const idOf = async (email: string) => (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
		const amira = await idOf('learner@custodian.test');
		const gareth = await idOf('assessor@custodian.test');
		const started = await startLearnerAttempt(db, amira, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		await endLearnerAttempt(db, amira, started.value.id);
		const text = 'Three words here and more.';
		await submitReflection(db, amira, started.value.id, { situation: text, task: text, action: text, result: text });
		const review = (await assessorReview(db, gareth, started.value.id))!;
		const firstCode = review.criteria[0]!.code;
		const values = { ...review.values, criteria: { ...review.values.criteria, [firstCode]: { met: 'met', feedback: 'Shown in the call.' } } };
		const signed = await signDecision(db, { id: gareth, displayName: 'Gareth Llewellyn' }, started.value.id, { ...values, outcome: 'met', feedback: 'Well done.', signedName: 'Gareth Llewellyn' });
		expect(signed.ok).toBe(true);
		await recordObservation(db, gareth, amira, { observedOn: '2020-01-01', setting: 'Reception desk', description: 'Took a complaint.', criteria: ['K01'] });
		const rows = await learnerCoverage(db, amira);
		expect(rows.find((r) => r.code === firstCode)).toMatchObject({ state: 'signed-off', signedBy: { name: 'Gareth Llewellyn' } });
		expect(rows.find((r) => r.code === 'K01')).toMatchObject({ state: 'signed-off', evidence: [{ kind: 'observation' }] });
		expect((await learnerCoverage(db, await idOf('learner2@custodian.test'))).some((r) => r.state === 'signed-off')).toBe(false);
	});
});

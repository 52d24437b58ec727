import { forEachInOrder } from '$lib/core/in-order';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { dbGet } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { startAttempt } from '$lib/sim/runtime';
import { user } from '$lib/server/db/schema';
import { parseCsv } from './csv';
import { applyLearnerAction, endLearnerAttempt, startLearnerAttempt } from './attempts';
import { DEMO_ORGANISATION_ID, seedDemoData } from './demo';
import { cohortResults, resultsCsv } from './results';
import { currentVersionOf, loadScenarioVersion, syncBuiltInScenarios } from './scenarios';

const ORG = DEMO_ORGANISATION_ID;

async function idOf(db: Db, email: string): Promise<string> {
	return (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
}

/** Plays the spouse-caller scenario's dialogue choices and ends the attempt. */
async function play(db: Db, learnerId: string, choices: string[], end = true): Promise<string> {
	const started = await startLearnerAttempt(db, learnerId, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	await forEachInOrder(choices, async (choiceId, i) => {
		const applied = await applyLearnerAction(db, learnerId, started.value.id, { kind: 'choice', choiceId }, i + 1);
		if (!applied.ok) throw new Error(applied.error.message);
	});
	if (end && !(await endLearnerAttempt(db, learnerId, started.value.id)).ok) throw new Error('not ended');
	return started.value.id;
}

describe('cohort results', () => {
	let db: Db;
	beforeAll(async () => {
		db = await openTestDatabase();
		await seedDemoData(db);
		await syncBuiltInScenarios(db);
		const amira = await idOf(db, 'learner@custodian.test');
		const tomas = await idOf(db, 'learner2@custodian.test');
		const ola = await idOf(db, 'learner3@custodian.test');
		// Amira discloses the balance after "security" twice; Tomás declines without checking and sees the call through.
		await play(db, amira, ['ask-his-security', 'security-passed-give-balance']);
		await play(db, amira, ['read-out-to-check', 'give-balance']);
		await play(db, tomas, ['refuse-straight-away', 'empathise-and-explain', 'explain-authority-route', 'explain-address-needs-daniel', 'goodbye']);
		// Not counted: an attempt still in progress, another cohort's learner, and a tutor's preview.
		await play(db, tomas, ['bring-up-account'], false);
		await play(db, ola, ['read-out-to-check', 'give-balance']);
		const preview = await startAttempt(db, loadScenarioVersion((await currentVersionOf(db, 'spouse-caller'))!), { ownerId: `preview:${await idOf(db, 'tutor@custodian.test')}` });
		if (!preview.ok) throw new Error('preview');
	});

	it('counts only the ended attempts of the cohort’s own learners', async () => {
		const results = (await cohortResults(db, ORG, 'demo-cohort-january'))!;
		expect(results.attempts).toBe(3);
		const spouse = results.scenarios.find((s) => s.scenarioId === 'spouse-caller')!;
		expect(spouse).toMatchObject({ attempts: 3, learners: 2, assigned: true, title: (await currentVersionOf(db, 'spouse-caller'))!.title });
		// Both of Amira's attempts disclosed the balance: a critical miss fails them.
		expect(spouse.passed).toBeLessThanOrEqual(1);
		const critical = spouse.points.find((p) => p.id === 'no-account-information-disclosed')!;
		expect(critical).toMatchObject({ critical: true, attempts: 3, met: 1, metRate: 33.3 });
		// Assigned scenarios nobody has tried yet are listed with no figures.
		expect(results.scenarios.find((s) => s.scenarioId === 'new-customer-signup')).toMatchObject({ attempts: 0, meanScore: null, points: [] });
		expect((await cohortResults(db, ORG, 'demo-cohort-march'))!.attempts).toBe(1);
	});

	it('puts the most-missed points first and shows what the attempts that missed a point did differently', async () => {
		const results = (await cohortResults(db, ORG, 'demo-cohort-january'))!;
		expect(results.mostMissed[0]!.missed).toBeGreaterThanOrEqual(results.mostMissed.at(-1)!.missed);
		// Nothing less missed than the disclosure (missed twice) outranks it.
		expect(results.mostMissed.every((p) => p.missed >= 2)).toBe(true);
		const spouse = results.scenarios.find((s) => s.scenarioId === 'spouse-caller')!;
		const disclosure = spouse.mistakes.find((m) => m.pointId === 'no-account-information-disclosed')!;
		expect(disclosure).toMatchObject({ missed: 2, met: 1 });
		const labels = disclosure.actions.map((a) => a.label);
		expect(labels.some((l) => l.includes('£182.40'))).toBe(true);
		// Tomás's refusal (in the attempt that met it) is never offered as a cause of missing it.
		expect(labels.some((l) => l.includes('only discuss an account with the account holder'))).toBe(false);
		for (const action of disclosure.actions) expect(action.inMissed / 2).toBeGreaterThan(action.inMet / 1);
		expect(disclosure.commonChoices?.attempts).toBe(1);
		// Nobody logged the call: with no attempt that met it there is nothing to compare, so no action is blamed.
		expect(spouse.mistakes.find((m) => m.pointId === 'call-logged')).toMatchObject({ missed: 3, met: 0, actions: [] });
	});

	it('lists per criterion the learners who have it evidenced', async () => {
		const results = (await cohortResults(db, ORG, 'demo-cohort-january'))!;
		expect(results.criteria.length).toBeGreaterThan(0);
		for (const c of results.criteria) for (const l of c.learners) expect(['Amira Khan', 'Tomás Ó Briain']).toContain(l.displayName);
	});

	it('answers another centre’s or an unknown cohort with nothing', async () => {
		expect(await cohortResults(db, 'another-centre', 'demo-cohort-january')).toBeUndefined();
		expect(await cohortResults(db, ORG, 'no-such-cohort')).toBeUndefined();
	});

	it('exports a CSV with a row per scenario, per marking point and per criterion that reads back', async () => {
		const results = (await cohortResults(db, ORG, 'demo-cohort-january'))!;
		const parsed = parseCsv(resultsCsv(results));
		if (!parsed.ok) throw new Error(parsed.message);
		const [header, ...rows] = parsed.rows.map((r) => r.cells);
		expect(header![0]).toBe('section');
		const points = results.scenarios.reduce((n, s) => n + s.points.length, 0);
		const attempts = results.scenarios.reduce((n, s) => n + s.verdicts.length, 0);
		expect(attempts).toBe(3);
		expect(rows).toHaveLength(results.scenarios.length + points + attempts + results.criteria.length);
		expect(rows.find((r) => r[2] === 'no-account-information-disclosed')?.slice(5, 8)).toEqual(['3', '1', '33.3']);
	});

	it('never reports a score without the verdict, the pass mark and the reason beside it', async () => {
		const results = (await cohortResults(db, ORG, 'demo-cohort-january'))!;
		const spouse = results.scenarios.find((s) => s.scenarioId === 'spouse-caller')!;
		expect(spouse.passMarks).toEqual([spouse.verdicts[0]!.passMark]);
		expect(spouse.notPassedCritical + spouse.notPassedScore).toBe(spouse.attempts - spouse.passed);
		// Amira's two disclosures of the balance: not passed, with the critical error as the reason.
		expect(spouse.notPassedCritical).toBeGreaterThanOrEqual(2);
		const parsed = parseCsv(resultsCsv(results));
		if (!parsed.ok) throw new Error(parsed.message);
		const [header, ...rows] = parsed.rows.map((r) => r.cells);
		expect(header!.slice(10)).toEqual(['score %', 'pass mark %', 'verdict', 'verdict reason']);
		const attempts = rows.filter((r) => r[0] === 'attempt');
		expect(attempts.map((r) => r[2]).sort()).toEqual(['Amira Khan', 'Amira Khan', 'Tomás Ó Briain']);
		for (const row of attempts) {
			expect(row[11]).toMatch(/^\d+$/);
			expect(row[12]).toMatch(/^(Passed|Not passed — .+)$/);
			expect(row[13]!.length).toBeGreaterThan(10);
		}
		const amira = attempts.filter((r) => r[2] === 'Amira Khan');
		for (const row of amira) expect(row[12]).toMatch(/^Not passed — 1 critical error$/);
		const scenarioRow = rows.find((r) => r[0] === 'scenario' && r[1] === spouse.title)!;
		expect(scenarioRow[13]).toMatch(/^Not passed: \d+ with a critical error/);
	});
});

import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { dbGet, dbRun } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { user } from '$lib/server/db/schema';
import { attempt } from '$lib/sim/schema';
import { DEMO_ORGANISATION_ID, seedDemoData } from './demo';
import { syncBuiltInScenarios } from './scenarios';
import { endLearnerAttempt, startLearnerAttempt } from './attempts';
import {
	addMember,
	assignScenario,
	assignmentsOfLearner,
	changeDueDate,
	cohortDetail,
	createCohort,
	isCalendarDate,
	listCohorts,
	removeMember,
	setCohortArchived,
	unassign,
	updateCohort
} from './cohorts';

const ORG = DEMO_ORGANISATION_ID;
const NOW = new Date('2026-02-10T12:00:00Z');

async function idOf(db: Db, email: string): Promise<string> {
	return (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
}

describe('cohorts', () => {
	let db: Db;
	let tutor: string;
	beforeEach(async () => {
		db = await openTestDatabase();
		await seedDemoData(db);
		await syncBuiltInScenarios(db);
		tutor = await idOf(db, 'tutor@custodian.test');
	});

	it('creates a cohort with a unique name in the centre, ignoring case', async () => {
		const made = await createCohort(db, ORG, tutor, { name: '  Level 3, May intake ', description: 'Mornings' }, NOW);
		expect(made.ok && made.value.name).toBe('Level 3, May intake');
		const again = await createCohort(db, ORG, tutor, { name: 'level 3, MAY intake', description: '' }, NOW);
		expect(again.ok).toBe(false);
		if (!again.ok) expect(again.errors.name).toMatch(/already a cohort/);
		expect((await listCohorts(db, ORG)).map((c) => c.name)).toContain('Level 3, May intake');
	});

	it('refuses a name that is too short or too long, and a description over 500 characters, naming each field', async () => {
		const result = await createCohort(db, ORG, tutor, { name: 'ab', description: 'x'.repeat(501) });
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors.name).toMatch(/at least 3/);
			expect(result.errors.description).toMatch(/500/);
		}
		expect((await createCohort(db, ORG, tutor, { name: 'x'.repeat(121), description: '' })).ok).toBe(false);
	});

	it('renames a cohort but not to the name of another', async () => {
		const made = await createCohort(db, ORG, tutor, { name: 'Spring group', description: '' });
		if (!made.ok) throw new Error('not made');
		expect((await updateCohort(db, ORG, made.value.id, { name: 'Spring group A', description: 'Renamed' })).ok).toBe(true);
		const clash = await updateCohort(db, ORG, made.value.id, { name: 'Level 2 Customer Service, January intake', description: '' });
		expect(clash.ok).toBe(false);
		// Renaming to its own name (another case) is fine.
		expect((await updateCohort(db, ORG, made.value.id, { name: 'SPRING GROUP A', description: '' })).ok).toBe(true);
	});

	it('answers a cohort of another centre exactly like a missing one', async () => {
		expect(await cohortDetail(db, 'another-centre', 'demo-cohort-january')).toBeUndefined();
		const rename = await updateCohort(db, 'another-centre', 'demo-cohort-january', { name: 'Taken over', description: '' });
		expect(rename.ok || rename.error.code).toBe('cohort.not-found');
		const missing = await updateCohort(db, ORG, 'no-such-cohort', { name: 'Whatever', description: '' });
		expect(missing.ok || missing.error.code).toBe('cohort.not-found');
	});

	it('archives a cohort: its assignments leave its learners’ home pages, and restoring brings them back', async () => {
		const amira = await idOf(db, 'learner@custodian.test');
		expect(await assignmentsOfLearner(db, amira, NOW)).toHaveLength(3);
		expect((await setCohortArchived(db, ORG, 'demo-cohort-january', true, NOW)).ok).toBe(true);
		expect(await assignmentsOfLearner(db, amira, NOW)).toEqual([]);
		expect((await listCohorts(db, ORG)).at(-1)?.archived).toBe(true);
		await setCohortArchived(db, ORG, 'demo-cohort-january', false, NOW);
		expect(await assignmentsOfLearner(db, amira, NOW)).toHaveLength(3);
	});

	it('adds only active users of the centre who hold the role, once each, and removes them', async () => {
		const ola = await idOf(db, 'learner3@custodian.test');
		const gareth = await idOf(db, 'assessor@custodian.test');
		expect((await addMember(db, ORG, 'demo-cohort-january', { userId: ola, role: 'learner' })).ok).toBe(true);
		const twice = await addMember(db, ORG, 'demo-cohort-january', { userId: ola, role: 'learner' });
		expect(twice.ok || twice.errors.learnerId).toMatch(/already/);
		// Gareth is an assessor, not a learner.
		const wrongRole = await addMember(db, ORG, 'demo-cohort-march', { userId: gareth, role: 'learner' });
		expect(wrongRole.ok || wrongRole.error.code).toBe('cohort.member-unknown');
		expect((await addMember(db, ORG, 'demo-cohort-march', { userId: gareth, role: 'assessor' })).ok).toBe(true);
		expect((await addMember(db, ORG, 'demo-cohort-march', { userId: gareth, role: 'tutor' })).ok).toBe(false);
		const detail = (await cohortDetail(db, ORG, 'demo-cohort-march'))!;
		expect(detail.assessors.map((a) => a.id)).toContain(gareth);
		expect(detail.candidates.assessor.map((a) => a.id)).not.toContain(gareth);
		expect((await removeMember(db, ORG, 'demo-cohort-march', { userId: gareth, role: 'assessor' })).ok).toBe(true);
		expect((await removeMember(db, ORG, 'demo-cohort-march', { userId: gareth, role: 'assessor' })).ok).toBe(false);
	});

	it('assigns a current scenario due today or later, once per cohort', async () => {
		const today = '2026-02-10';
		const yesterday = await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'spouse-caller', dueOn: '2026-02-09', note: '' }, NOW);
		expect(yesterday.ok || yesterday.errors.dueOn).toMatch(/from today/);
		const made = await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'spouse-caller', dueOn: today, note: 'Read the brief first.' }, NOW);
		expect(made.ok).toBe(true);
		const again = await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'spouse-caller', dueOn: '2026-03-01', note: '' }, NOW);
		expect(again.ok || again.errors.scenarioId).toMatch(/already assigned/);
		const unknown = await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'no-such-scenario', dueOn: today, note: '' }, NOW);
		expect(unknown.ok || unknown.errors.scenarioId).toMatch(/from the list/);
		const badDate = await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'record-correction', dueOn: '2026-02-30', note: '' }, NOW);
		expect(badDate.ok || badDate.errors.dueOn).toMatch(/real date/);
		expect((await cohortDetail(db, ORG, 'demo-cohort-march'))!.scenarios.map((s) => s.id)).not.toContain('spouse-caller');
	});

	it('uses the UK date: just after midnight in British Summer Time is already the next day', async () => {
		// 23:30 UTC on 30 June is 00:30 on 1 July in London.
		const late = new Date('2026-06-30T23:30:00Z');
		const result = await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'spouse-caller', dueOn: '2026-06-30', note: '' }, late);
		expect(result.ok).toBe(false);
		expect((await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'spouse-caller', dueOn: '2026-07-01', note: '' }, late)).ok).toBe(true);
	});

	it('changes a due date (a past one too, but never an impossible one) and unassigns', async () => {
		const made = await assignScenario(db, ORG, 'demo-cohort-march', tutor, { scenarioId: 'spouse-caller', dueOn: '2026-03-01', note: '' }, NOW);
		if (!made.ok) throw new Error('not assigned');
		expect((await changeDueDate(db, ORG, 'demo-cohort-march', { assignmentId: made.value.id, dueOn: '2026-01-05' })).ok).toBe(true);
		expect((await changeDueDate(db, ORG, 'demo-cohort-march', { assignmentId: made.value.id, dueOn: 'soon' })).ok).toBe(false);
		// An assignment of another cohort is not found through this one.
		expect((await changeDueDate(db, ORG, 'demo-cohort-january', { assignmentId: made.value.id, dueOn: '2026-04-01' })).ok).toBe(false);
		expect((await unassign(db, ORG, 'demo-cohort-january', made.value.id)).ok).toBe(false);
		expect((await unassign(db, ORG, 'demo-cohort-march', made.value.id)).ok).toBe(true);
	});

	it('gives a learner their assignments soonest first with days left and status', async () => {
		const amira = await idOf(db, 'learner@custodian.test');
		const later = new Date(Date.now() + 16 * 86_400_000);
		const before = await assignmentsOfLearner(db, amira, later);
		expect(before.map((a) => a.status)).toEqual(['not-started', 'not-started', 'not-started']);
		// Demo assignments are due 14, 21 and 35 days after seeding: 16 days on, the first is overdue.
		expect(before[0]!.daysLeft).toBeLessThan(0);
		expect(before[1]!.daysLeft).toBeGreaterThan(0);

		const started = await startLearnerAttempt(db, amira, before[0]!.scenarioId);
		if (!started.ok) throw new Error(started.error.message);
		expect((await assignmentsOfLearner(db, amira, later))[0]!.status).toBe('in-progress');
		expect((await endLearnerAttempt(db, amira, started.value.id)).ok).toBe(true);
		expect((await assignmentsOfLearner(db, amira, later))[0]!.status).toBe('done');
	});

	it('does not count an attempt ended before the scenario was assigned as done', async () => {
		const amira = await idOf(db, 'learner@custodian.test');
		const started = await startLearnerAttempt(db, amira, 'record-correction');
		if (!started.ok) throw new Error(started.error.message);
		await endLearnerAttempt(db, amira, started.value.id);
		await dbRun(db.update(attempt).set({ endedAt: '2020-01-01T00:00:00.000Z' }).where(eq(attempt.id, started.value.id)));
		await assignScenario(db, ORG, 'demo-cohort-january', tutor, { scenarioId: 'record-correction', dueOn: '2099-01-01', note: '' });
		const row = (await assignmentsOfLearner(db, amira)).find((a) => a.scenarioId === 'record-correction');
		expect(row?.status).toBe('not-started');
	});

	it('accepts only real calendar dates', () => {
		expect(isCalendarDate('2028-02-29')).toBe(true);
		expect(isCalendarDate('2027-02-29')).toBe(false);
		expect(isCalendarDate('2027-13-01')).toBe(false);
		expect(isCalendarDate('27-01-01')).toBe(false);
	});
});


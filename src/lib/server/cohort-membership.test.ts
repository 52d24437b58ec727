import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '$lib/core/database';
import { dbGet, dbRun } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { cohort } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';
import { seedDemoData } from './demo';
import { assesses, cohortsOfLearner, learnersAssessedBy } from './cohort-membership';

async function idOf(db: Db, email: string): Promise<string> {
	return (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
}

describe('cohort membership', () => {
	let db: Db;
	beforeEach(async () => {
		db = await openTestDatabase();
		await seedDemoData(db);
	});

	it('gives an assessor the learners of the cohorts they assess and no others', async () => {
		const gareth = await idOf(db, 'assessor@custodian.test');
		const sam = await idOf(db, 'lead@custodian.test');
		expect((await learnersAssessedBy(db, gareth)).map((l) => l.email).sort()).toEqual(['learner2@custodian.test', 'learner@custodian.test']);
		expect(await learnersAssessedBy(db, sam)).toHaveLength(3);
		expect(await assesses(db, gareth, await idOf(db, 'learner@custodian.test'))).toBe(true);
		expect(await assesses(db, gareth, await idOf(db, 'learner3@custodian.test'))).toBe(false);
		expect(await assesses(db, sam, await idOf(db, 'learner3@custodian.test'))).toBe(true);
	});

	it('stops an assessor seeing a cohort once it is archived', async () => {
		const gareth = await idOf(db, 'assessor@custodian.test');
		await dbRun(db.update(cohort).set({ archivedAt: new Date().toISOString() }).where(eq(cohort.id, 'demo-cohort-january')));
		expect(await learnersAssessedBy(db, gareth)).toEqual([]);
		expect(await assesses(db, gareth, await idOf(db, 'learner@custodian.test'))).toBe(false);
	});

	it('does not treat a learner as their own or another learner\'s assessor', async () => {
		const amira = await idOf(db, 'learner@custodian.test');
		expect(await assesses(db, amira, await idOf(db, 'learner2@custodian.test'))).toBe(false);
		expect(await learnersAssessedBy(db, amira)).toEqual([]);
		expect((await cohortsOfLearner(db, amira)).map((c) => c.name)).toEqual(['Level 2 Customer Service, January intake']);
	});
});

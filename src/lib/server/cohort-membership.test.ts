import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '$lib/core/database';
import { openDatabase } from '$lib/core/database';
import { cohort } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';
import { seedDemoData } from './demo';
import { assesses, cohortsOfLearner, learnersAssessedBy } from './cohort-membership';

function idOf(db: Db, email: string): string {
	return db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
}

describe('cohort membership', () => {
	let db: Db;
	beforeEach(async () => {
		db = openDatabase(':memory:');
		await seedDemoData(db);
	});

	it('gives an assessor the learners of the cohorts they assess and no others', () => {
		const gareth = idOf(db, 'assessor@custodian.test');
		const sam = idOf(db, 'lead@custodian.test');
		expect(learnersAssessedBy(db, gareth).map((l) => l.email).sort()).toEqual(['learner2@custodian.test', 'learner@custodian.test']);
		expect(learnersAssessedBy(db, sam)).toHaveLength(3);
		expect(assesses(db, gareth, idOf(db, 'learner@custodian.test'))).toBe(true);
		expect(assesses(db, gareth, idOf(db, 'learner3@custodian.test'))).toBe(false);
		expect(assesses(db, sam, idOf(db, 'learner3@custodian.test'))).toBe(true);
	});

	it('stops an assessor seeing a cohort once it is archived', () => {
		const gareth = idOf(db, 'assessor@custodian.test');
		db.update(cohort).set({ archivedAt: new Date().toISOString() }).where(eq(cohort.id, 'demo-cohort-january')).run();
		expect(learnersAssessedBy(db, gareth)).toEqual([]);
		expect(assesses(db, gareth, idOf(db, 'learner@custodian.test'))).toBe(false);
	});

	it('does not treat a learner as their own or another learner\'s assessor', () => {
		const amira = idOf(db, 'learner@custodian.test');
		expect(assesses(db, amira, idOf(db, 'learner2@custodian.test'))).toBe(false);
		expect(learnersAssessedBy(db, amira)).toEqual([]);
		expect(cohortsOfLearner(db, amira).map((c) => c.name)).toEqual(['Level 2 Customer Service, January intake']);
	});
});

import { dbAll, dbQuery } from '$lib/core/database';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';

/**
 * Who may see whose evidence: an assessor judges the learners of the cohorts they assess (active
 * cohorts only), and no one else. Every assessor page and download asks `assesses` first.
 */

export interface AssessedLearner {
	id: string;
	displayName: string;
	email: string;
}

/** The learners in every active cohort this assessor assesses, by name. */
export async function learnersAssessedBy(db: Db, assessorId: string): Promise<AssessedLearner[]> {
	const cohorts = (await dbAll(db
		.select({ id: cohortMember.cohortId })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.where(and(eq(cohortMember.userId, assessorId), eq(cohortMember.role, 'assessor'), isNull(cohort.archivedAt)))))
		.map((row) => row.id);
	if (cohorts.length === 0) return [];
	return await dbAll(db
		.selectDistinct({ id: user.id, displayName: user.displayName, email: user.email })
		.from(cohortMember)
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.where(and(inArray(cohortMember.cohortId, cohorts), eq(cohortMember.role, 'learner')))
		.orderBy(user.displayName));
}

/** Whether this assessor assesses this learner (through an active cohort they share). */
export async function assesses(db: Db, assessorId: string, learnerId: string): Promise<boolean> {
	const rows = await dbQuery(
		db,
		sql`SELECT 1 FROM cohort_member a
			 JOIN cohort_member l ON l.cohort_id = a.cohort_id AND l.user_id = ${learnerId} AND l.role = 'learner'
			 JOIN cohort c ON c.id = a.cohort_id AND c.archived_at IS NULL
			 WHERE a.user_id = ${assessorId} AND a.role = 'assessor' LIMIT 1`
	);
	return rows.length > 0;
}

/** The active cohorts a learner belongs to. */
export async function cohortsOfLearner(db: Db, learnerId: string): Promise<{ id: string; name: string }[]> {
	return await dbAll(db
		.select({ id: cohort.id, name: cohort.name })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.where(and(eq(cohortMember.userId, learnerId), eq(cohortMember.role, 'learner'), isNull(cohort.archivedAt)))
		.orderBy(cohort.name));
}

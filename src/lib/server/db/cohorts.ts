/**
 * Cohorts (issue 7): a group of learners with their assessors, and the scenarios assigned to it with
 * a due date. An assessor judges the learners of the cohorts they assess, and no others.
 */
import { index, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisation, user } from './schema';

export const cohort = sqliteTable(
	'cohort',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		/** "Level 2 Customer Service, January intake". */
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		createdBy: text('created_by')
			.notNull()
			.references(() => user.id),
		createdAt: text('created_at').notNull(),
		archivedAt: text('archived_at')
	},
	(t) => [uniqueIndex('cohort_name_unique').on(t.organisationId, t.name)]
);

export const COHORT_MEMBER_ROLES = ['learner', 'assessor'] as const;
export type CohortMemberRole = (typeof COHORT_MEMBER_ROLES)[number];

export const cohortMember = sqliteTable(
	'cohort_member',
	{
		cohortId: text('cohort_id')
			.notNull()
			.references(() => cohort.id),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		role: text('role', { enum: COHORT_MEMBER_ROLES }).notNull(),
		addedAt: text('added_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.cohortId, t.userId, t.role] }), index('cohort_member_user_idx').on(t.userId, t.role)]
);

/** A scenario set for a cohort, due by a date (YYYY-MM-DD, the end of that day in the UK). */
export const assignment = sqliteTable(
	'assignment',
	{
		id: text('id').primaryKey(),
		cohortId: text('cohort_id')
			.notNull()
			.references(() => cohort.id),
		scenarioId: text('scenario_id').notNull(),
		dueOn: text('due_on').notNull(),
		note: text('note').notNull().default(''),
		assignedBy: text('assigned_by')
			.notNull()
			.references(() => user.id),
		assignedAt: text('assigned_at').notNull()
	},
	(t) => [uniqueIndex('assignment_cohort_scenario_unique').on(t.cohortId, t.scenarioId)]
);

export type Cohort = typeof cohort.$inferSelect;
export type CohortMember = typeof cohortMember.$inferSelect;
export type Assignment = typeof assignment.$inferSelect;

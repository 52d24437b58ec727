/**
 * External quality assurance (issue 17 item 4): the access a centre grants an external quality
 * assurer (EQA) sent by the awarding body, the sample of learners it covers, the EQA's report and the
 * centre's answer to it.
 *
 * A grant is read-only, for one cohort (the qualification run) and the learners picked from it, from
 * one date to another (whole UK days, both included); it ends by itself after its last day, or
 * earlier when the centre revokes it. A report is written as a draft and, once submitted, never
 * changes (triggers in the migration refuse it); the centre answers it in rows of its own.
 */
import { index, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisation, user } from './schema';
import { cohort } from './cohorts';

export const eqaAccess = sqliteTable(
	'eqa_access',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		/** The EQA's account (role eqa). */
		eqaUserId: text('eqa_user_id')
			.notNull()
			.references(() => user.id),
		/** The qualification run the sample comes from. */
		cohortId: text('cohort_id')
			.notNull()
			.references(() => cohort.id),
		/** First day of access (YYYY-MM-DD, UK). */
		startsOn: text('starts_on').notNull(),
		/** Last day of access (YYYY-MM-DD, UK): it ends at the end of this day. */
		endsOn: text('ends_on').notNull(),
		invitedBy: text('invited_by')
			.notNull()
			.references(() => user.id),
		invitedAt: text('invited_at').notNull(),
		revokedAt: text('revoked_at'),
		revokedBy: text('revoked_by').references(() => user.id),
		revokedReason: text('revoked_reason')
	},
	(t) => [index('eqa_access_user_idx').on(t.eqaUserId), index('eqa_access_org_idx').on(t.organisationId, t.invitedAt)]
);

/** The learners of a grant's sample: any standing, withdrawn and completed ones included. */
export const eqaAccessLearner = sqliteTable(
	'eqa_access_learner',
	{
		accessId: text('access_id')
			.notNull()
			.references(() => eqaAccess.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id)
	},
	(t) => [primaryKey({ columns: [t.accessId, t.learnerId] })]
);

export const EQA_RISKS = ['red', 'amber', 'green'] as const;
export type EqaRisk = (typeof EQA_RISKS)[number];

/** The EQA's finding on one criterion of the unit. */
export interface EqaFinding {
	criterion: string;
	finding: string;
}

/** An action the EQA sets the centre: what, who owns it, by when (YYYY-MM-DD). */
export interface EqaAction {
	id: string;
	what: string;
	owner: string;
	dueOn: string;
}

/** The EQA's report on one grant: a draft until submitted, then immutable (trigger). */
export const eqaReport = sqliteTable(
	'eqa_report',
	{
		id: text('id').primaryKey(),
		accessId: text('access_id')
			.notNull()
			.references(() => eqaAccess.id),
		authorId: text('author_id')
			.notNull()
			.references(() => user.id),
		summary: text('summary').notNull().default(''),
		findings: text('findings', { mode: 'json' }).$type<EqaFinding[]>().notNull(),
		actions: text('actions', { mode: 'json' }).$type<EqaAction[]>().notNull(),
		/** The EQA's rating of the centre's risk; null while the draft has none. */
		risk: text('risk', { enum: EQA_RISKS }),
		updatedAt: text('updated_at').notNull(),
		submittedAt: text('submitted_at')
	},
	(t) => [uniqueIndex('eqa_report_access_unique').on(t.accessId)]
);

/**
 * The centre's answer to a submitted report (actionId null) or to one of its actions. Each answer is
 * a new row; the newest of each is the one in force, the earlier ones stay as history.
 */
export const eqaAnswer = sqliteTable(
	'eqa_answer',
	{
		id: text('id').primaryKey(),
		reportId: text('report_id')
			.notNull()
			.references(() => eqaReport.id),
		actionId: text('action_id'),
		answer: text('answer').notNull(),
		answeredBy: text('answered_by')
			.notNull()
			.references(() => user.id),
		answeredAt: text('answered_at').notNull()
	},
	(t) => [index('eqa_answer_report_idx').on(t.reportId, t.answeredAt)]
);

export type EqaAccess = typeof eqaAccess.$inferSelect;
export type EqaReport = typeof eqaReport.$inferSelect;
export type EqaAnswer = typeof eqaAnswer.$inferSelect;

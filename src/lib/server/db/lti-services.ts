/**
 * The LTI Advantage services (issue 20 item 1): which attempts came from an LTI launch, the durable
 * queue of grades to return to the platform's gradebook, and the LMS courses whose member lists a
 * tutor may copy into a cohort (their accounts are the launch side's lti_account, db/lti.ts).
 *
 * Attempt ids are kept as plain text, not foreign keys: these rows are deleted with the attempt by the
 * records disposal (server/retention/records.ts), which must not be blocked by them.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AgsClaim } from '../lti/services/types';

/** An attempt started from an LTI resource-link launch: where its grades go. */
export const ltiAttemptLink = sqliteTable('lti_attempt_link', {
	attemptId: text('attempt_id').primaryKey(),
	platformId: text('platform_id').notNull(),
	/** The platform's `sub` for the learner: the AGS score's userId. */
	sub: text('sub').notNull(),
	resourceLinkId: text('resource_link_id').notNull(),
	/** The launch's AGS claim; null when the platform offered no grade return for the link. */
	ags: text('ags', { mode: 'json' }).$type<AgsClaim | null>(),
	linkedAt: text('linked_at').notNull()
});

export const GRADE_RETURN_KINDS = ['score', 'decision'] as const;
export type GradeReturnKind = (typeof GRADE_RETURN_KINDS)[number];

/**
 * A grade to post to the platform: the attempt's score, or separately the assessor's signed decision.
 * Written in the transaction of the result or the signature, delivered by the scheduled job with
 * retries; a row is done (`doneAt`) or failed for good (`failedAt`, shown to administrators).
 */
export const ltiGradeReturn = sqliteTable(
	'lti_grade_return',
	{
		id: text('id').primaryKey(),
		attemptId: text('attempt_id').notNull(),
		platformId: text('platform_id').notNull(),
		kind: text('kind', { enum: GRADE_RETURN_KINDS }).notNull(),
		/** The attempt id for a score, the decision's id for a decision: one row each. */
		subject: text('subject').notNull(),
		/** What to post: the score's fields and the line item to find or make. */
		payload: text('payload', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
		attempts: integer('attempts').notNull().default(0),
		/** ISO time of the next try; the job takes rows due at its tick. */
		nextTryAt: text('next_try_at').notNull(),
		lastError: text('last_error'),
		doneAt: text('done_at'),
		/** Set when the platform refused for good (a 4xx) or the tries ran out. */
		failedAt: text('failed_at'),
		createdAt: text('created_at').notNull()
	},
	(t) => [uniqueIndex('lti_grade_return_subject_unique').on(t.kind, t.subject), index('lti_grade_return_due_idx').on(t.doneAt, t.failedAt, t.nextTryAt)]
);

/** An LMS course seen in a launch that offered Names and Role Provisioning. */
export const ltiContext = sqliteTable(
	'lti_context',
	{
		platformId: text('platform_id').notNull(),
		contextId: text('context_id').notNull(),
		organisationId: text('organisation_id').notNull(),
		title: text('title').notNull(),
		membershipsUrl: text('memberships_url').notNull(),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.platformId, t.contextId] })]
);

export type LtiAttemptLink = typeof ltiAttemptLink.$inferSelect;
export type LtiGradeReturn = typeof ltiGradeReturn.$inferSelect;
export type LtiContext = typeof ltiContext.$inferSelect;

/**
 * Retention of the centre's own records (issue 17 item 7): legal holds that stop disposal, and the
 * log of what disposal removed. The retention periods are the organisation's settings
 * (evidenceRetentionYears, decisionRetentionYears); the clock starts at the learner's certification
 * (learner_standing.certified_on).
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisation, user } from './schema';

/** The kinds of record kept for a period after certification, each disposed of on its own. */
export const RECORD_CLASSES = ['evidence', 'decisions'] as const;
export type RecordClass = (typeof RECORD_CLASSES)[number];

/** A learner's records kept past their period: a complaint, an appeal, an investigation. */
export const legalHold = sqliteTable(
	'legal_hold',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		reason: text('reason').notNull(),
		placedBy: text('placed_by')
			.notNull()
			.references(() => user.id),
		placedAt: text('placed_at').notNull(),
		releasedBy: text('released_by').references(() => user.id),
		releasedAt: text('released_at'),
		releaseReason: text('release_reason').notNull().default('')
	},
	(t) => [index('legal_hold_learner_idx').on(t.learnerId, t.releasedAt)]
);

/**
 * What one disposal removed: one row per learner and class, never changed or deleted (triggers).
 * Counts only, no content: the log proves the disposal without keeping what it disposed of.
 */
export const recordDisposal = sqliteTable(
	'record_disposal',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		recordClass: text('record_class', { enum: RECORD_CLASSES }).notNull(),
		/** The certification date and the period that made the records due. */
		certifiedOn: text('certified_on').notNull(),
		retentionYears: integer('retention_years').notNull(),
		/** Rows removed per kind of record ("attempts": 3 …) and files deleted. */
		counts: text('counts', { mode: 'json' }).$type<Record<string, number>>().notNull(),
		/** null: the scheduled run; otherwise the administrator who ran it. */
		disposedBy: text('disposed_by').references(() => user.id),
		disposedAt: text('disposed_at').notNull()
	},
	(t) => [uniqueIndex('record_disposal_learner_class_unique').on(t.learnerId, t.recordClass), index('record_disposal_org_idx').on(t.organisationId, t.disposedAt)]
);

/**
 * Present only inside the disposal's own transaction: while a learner's row is here, the triggers
 * that keep signed and audited records from being deleted let that learner's records go. Inserted
 * and removed in the same transaction, so no other connection ever sees one.
 */
export const recordDisposalPermit = sqliteTable('record_disposal_permit', {
	learnerId: text('learner_id').primaryKey(),
	createdAt: text('created_at').notNull()
});

export type LegalHold = typeof legalHold.$inferSelect;
export type RecordDisposal = typeof recordDisposal.$inferSelect;

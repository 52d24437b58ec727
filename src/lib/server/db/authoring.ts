/**
 * The tutors' side of scenarios (issue 7): the centre's own scenarios while they are being written,
 * archived scenarios, previews, and the centre's default retention rules.
 *
 * A centre scenario's draft is edited here; publishing stores a new immutable row in
 * scenario_version (origin 'centre'), so attempts keep the version they were played on.
 */
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { attempt } from '../../sim/schema';
import { retentionRuleColumns } from '../../core/schema/retention';
import { organisation, user } from './schema';

export const centreScenario = sqliteTable('centre_scenario', {
	/** The scenario's id (its `id:` in the YAML); unique across built-in and centre scenarios. */
	scenarioId: text('scenario_id').primaryKey(),
	organisationId: text('organisation_id')
		.notNull()
		.references(() => organisation.id),
	/** The YAML being edited: may be invalid; only a valid draft can be previewed or published. */
	draftSource: text('draft_source').notNull(),
	/** The version it was duplicated from or imported as (`scenarioId@version`), if any. */
	basedOn: text('based_on'),
	createdBy: text('created_by')
		.notNull()
		.references(() => user.id),
	createdAt: text('created_at').notNull(),
	updatedBy: text('updated_by')
		.notNull()
		.references(() => user.id),
	updatedAt: text('updated_at').notNull()
});

/** A scenario withdrawn from learners' lists: its versions and attempts stay. */
export const scenarioArchive = sqliteTable('scenario_archive', {
	scenarioId: text('scenario_id').primaryKey(),
	archivedBy: text('archived_by')
		.notNull()
		.references(() => user.id),
	archivedAt: text('archived_at').notNull()
});

/**
 * A tutor's preview of a draft: an attempt like a learner's, owned by `preview:<tutorId>` so it never
 * appears in anyone's portfolio, cohort results or queue, played on the draft source kept here.
 */
export const scenarioPreview = sqliteTable(
	'scenario_preview',
	{
		attemptId: text('attempt_id')
			.primaryKey()
			.references(() => attempt.id),
		tutorId: text('tutor_id')
			.notNull()
			.references(() => user.id),
		scenarioId: text('scenario_id').notNull(),
		source: text('source').notNull(),
		startedAt: text('started_at').notNull()
	},
	(t) => [index('scenario_preview_tutor_idx').on(t.tutorId)]
);

/** The centre's retention rules: added to every new attempt workspace whose scenario lacks that code. */
export const centreRetentionRule = sqliteTable(
	'centre_retention_rule',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		...retentionRuleColumns(),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [uniqueIndex('centre_retention_rule_code_unique').on(t.organisationId, t.code)]
);

export type CentreScenario = typeof centreScenario.$inferSelect;
export type ScenarioPreview = typeof scenarioPreview.$inferSelect;
export type CentreRetentionRule = typeof centreRetentionRule.$inferSelect;

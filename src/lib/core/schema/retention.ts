import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { workspaceRow } from './columns';

/** The event a retention period runs from ("6 years after the account closes"). */
export const RETENTION_TRIGGERS = ['collected', 'relationship-ended', 'last-contact', 'consent-withdrawn'] as const;

/** What disposal does: anonymised data is no longer personal data (UK GDPR recital 26). */
export const DISPOSAL_ACTIONS = ['erase', 'anonymise'] as const;

/**
 * What a retention rule says, as columns: the workspace's rules below, and the centre's own rules
 * (server/db/authoring.ts) that new workspaces start from.
 */
export const retentionRuleColumns = () => ({
	/** Stable code used by scenarios and purposes, e.g. "aml-records". */
	code: text('code').notNull(),
	description: text('description').notNull(),
	periodMonths: integer('period_months').notNull(),
	trigger: text('trigger', { enum: RETENTION_TRIGGERS }).notNull(),
	action: text('action', { enum: DISPOSAL_ACTIONS }).notNull(),
	/** Where the period comes from, e.g. "MLR 2017 reg 40: 5 years after the relationship ends". */
	authority: text('authority').notNull().default('')
});

/** Storage limitation, UK GDPR Art 5(1)(e): every data category has a retention rule. */
export const retentionRule = sqliteTable(
	'retention_rule',
	{
		...workspaceRow(),
		...retentionRuleColumns(),
		createdAt: text('created_at').notNull()
	},
	(t) => [uniqueIndex('retention_rule_code_unique').on(t.workspaceId, t.code)]
);

/** One run of disposal: what passed retain-until and what happened to it, by category and count. */
export const disposalRun = sqliteTable(
	'disposal_run',
	{
		...workspaceRow(),
		/** The date the run treated as today (YYYY-MM-DD). */
		asOf: text('as_of').notNull(),
		ranAt: text('ran_at').notNull(),
		ranBy: text('ran_by').notNull(),
		/**
		 * Per data category: counts erased, anonymised, kept under legal hold, and kept because processing
		 * is restricted (Art 18). Never values. Runs before restricted values were counted have no "restricted".
		 */
		counts: text('counts', { mode: 'json' })
			.$type<Record<string, { erased: number; anonymised: number; held: number; restricted?: number }>>()
			.notNull()
	},
	(t) => [index('disposal_run_workspace_idx').on(t.workspaceId, t.ranAt)]
);

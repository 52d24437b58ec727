import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Public holidays, and so response deadlines, differ between the UK's three jurisdictions. */
export const REGIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;

/**
 * "enforce" refuses what the law forbids; "record" (the mode a training attempt runs in) lets the
 * act happen and records a finding, because a simulator that makes mistakes impossible teaches
 * nothing (DESIGN.md, policy mode). Integrity rules hold in both.
 */
export const POLICY_MODES = ['enforce', 'record'] as const;

/** Interpretations, not settled law, kept behind named settings (DOMAIN.md). */
export interface WorkspaceSettings {
	/** Data (Use and Access) Act 2025: "recognised legitimate interests" as an Art 6 basis. */
	recognisedLegitimateInterests: boolean;
}

/**
 * One organisation's record system. A training attempt gets its own, seeded from its scenario.
 * Workspaces are never deleted: their audit log refuses deletes.
 */
export const workspace = sqliteTable('workspace', {
	id: text('id').primaryKey(),
	organisationName: text('organisation_name').notNull(),
	region: text('region', { enum: REGIONS }).notNull(),
	policyMode: text('policy_mode', { enum: POLICY_MODES }).notNull(),
	// UK GDPR Art 30(1)(a): controller and DPO contact details belong in the record of processing.
	dpoName: text('dpo_name').notNull(),
	dpoEmail: text('dpo_email').notNull(),
	dpoPhone: text('dpo_phone').notNull().default(''),
	settings: text('settings', { mode: 'json' }).$type<WorkspaceSettings>().notNull(),
	createdAt: text('created_at').notNull(),
	/** Bumped on every change of settings; the audit log says who and when. */
	version: integer('version').notNull().default(1)
});

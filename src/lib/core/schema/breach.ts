import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaceRow } from './columns';

/** ICO breach guidance: no likely risk, a risk (report to the ICO), a high risk (tell people too). */
export const BREACH_RISKS = ['unassessed', 'unlikely', 'risk', 'high-risk'] as const;

/**
 * The breach register: every breach, reported or not (UK GDPR Art 33(5)). reportDueAt is awareAt +
 * 72 calendar hours (Art 33(1), breachReportDueAt()).
 */
export const breach = sqliteTable(
	'breach',
	{
		...workspaceRow(),
		awareAt: text('aware_at').notNull(),
		occurredAt: text('occurred_at'),
		reportDueAt: text('report_due_at').notNull(),
		/** What happened, without copying the personal data involved. */
		description: text('description').notNull(),
		dataCategories: text('data_categories', { mode: 'json' }).$type<string[]>().notNull(),
		subjectCategories: text('subject_categories', { mode: 'json' }).$type<string[]>().notNull(),
		approxSubjects: integer('approx_subjects').notNull(),
		approxRecords: integer('approx_records').notNull(),
		/** Customers affected (ids), so they can be told (Art 34). */
		affectedCustomerIds: text('affected_customer_ids', { mode: 'json' }).$type<string[]>().notNull(),
		likelyConsequences: text('likely_consequences').notNull().default(''),
		measuresTaken: text('measures_taken').notNull().default(''),
		risk: text('risk', { enum: BREACH_RISKS }).notNull().default('unassessed'),
		riskAssessment: text('risk_assessment').notNull().default(''),
		assessedAt: text('assessed_at'),
		assessedBy: text('assessed_by'),
		icoNotifiedAt: text('ico_notified_at'),
		icoReference: text('ico_reference'),
		/** Art 33(1): a report after 72 hours gives reasons for the delay. */
		lateReasons: text('late_reasons'),
		/** Art 33(5): a decision not to report is recorded with reasons. */
		notNotifiedReason: text('not_notified_reason'),
		subjectsToldAt: text('subjects_told_at'),
		/** Art 34(3): why people were not told, where an exception applies. */
		subjectsNotToldReason: text('subjects_not_told_reason'),
		/** The unauthorised disclosure that caused it, when the core opened it. */
		sourceDisclosureId: text('source_disclosure_id'),
		recordedBy: text('recorded_by').notNull(),
		recordedAt: text('recorded_at').notNull(),
		closedAt: text('closed_at')
	},
	(t) => [index('breach_workspace_idx').on(t.workspaceId, t.awareAt)]
);

import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { retentionRule } from './retention';
import { workspaceRow } from './columns';

/**
 * UK GDPR Art 6(1)(a)-(f). "recognised-legitimate-interests" (Data (Use and Access) Act 2025) is
 * only accepted when the workspace setting allows it.
 */
export const LAWFUL_BASES = [
	'consent',
	'contract',
	'legal-obligation',
	'vital-interests',
	'public-task',
	'legitimate-interests',
	'recognised-legitimate-interests'
] as const;

/** Ordinary (non-special) data categories; special category and criminal-offence data have tables of their own. */
export const DATA_CATEGORIES = ['identity', 'contact', 'account', 'financial', 'preferences'] as const;

/**
 * The organisation's purposes of processing: the record of processing (UK GDPR Art 30) is printed
 * from these rows. Every purpose has exactly one Art 6 basis, and lists the fields it needs, so that
 * data minimisation (Art 5(1)(c)) can be checked field by field.
 */
export const purpose = sqliteTable(
	'purpose',
	{
		...workspaceRow(),
		/** Stable code, e.g. "account-servicing", "marketing". Used in audit details and consents. */
		code: text('code').notNull(),
		name: text('name').notNull(),
		description: text('description').notNull(),
		lawfulBasis: text('lawful_basis', { enum: LAWFUL_BASES }).notNull(),
		/** What supports the basis: the statute for a legal obligation, the LIA reference, etc. */
		basisDetail: text('basis_detail').notNull().default(''),
		/** Direct marketing: an objection to it is absolute (UK GDPR Art 21(2)-(3)). */
		directMarketing: integer('direct_marketing', { mode: 'boolean' }).notNull().default(false),
		/** Field names this purpose needs; a field needed by no purpose may not be recorded. */
		fields: text('fields', { mode: 'json' }).$type<string[]>().notNull(),
		/** Field names that must be present when a customer is collected for this purpose. */
		requiredFields: text('required_fields', { mode: 'json' }).$type<string[]>().notNull(),
		/**
		 * Categories of fields the core's field catalogue does not know: an ordinary category, a
		 * special category (Art 9) or "criminal-offence" (Art 10), e.g. { loyaltyTier: "account",
		 * vulnerabilityNote: "vulnerability" }. Catalogued fields (givenName, postcode, ...) have a fixed one.
		 */
		fieldCategories: text('field_categories', { mode: 'json' })
			.$type<Record<string, string>>()
			.notNull()
			.default(sql`'{}'`),
		/**
		 * The youngest age at which a person may be collected for this purpose, e.g. 18 for credit
		 * agreements, 13 where an online service relies on a child's consent (UK GDPR Art 8); null for none.
		 */
		minimumAge: integer('minimum_age'),
		/** Data categories the purpose touches (Art 30(1)(c)). */
		categories: text('categories', { mode: 'json' }).$type<string[]>().notNull(),
		/** Categories of people, e.g. "customers", "former customers" (Art 30(1)(c)). */
		dataSubjectCategories: text('data_subject_categories', { mode: 'json' }).$type<string[]>().notNull(),
		/** Categories of recipients (Art 30(1)(d)). */
		recipientCategories: text('recipient_categories', { mode: 'json' }).$type<string[]>().notNull(),
		/** Transfers to third countries and their safeguards, or "" for none (Art 30(1)(e)). */
		transfers: text('transfers').notNull().default(''),
		retentionRuleId: text('retention_rule_id')
			.notNull()
			.references(() => retentionRule.id),
		/** Automated decision-making, including profiling, or "" for none (Art 15(1)(h)). */
		automatedDecisionMaking: text('automated_decision_making').notNull().default(''),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		createdAt: text('created_at').notNull()
	},
	(t) => [uniqueIndex('purpose_code_unique').on(t.workspaceId, t.code)]
);

import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { DATA_CATEGORIES, LAWFUL_BASES } from './purpose';
import { retentionRule } from './retention';
import { workspaceRow } from './columns';

/** Where a value came from: Art 15(1)(g) requires the source when not the person themselves. */
export const DATA_SOURCES = ['data-subject', 'authorised-third-party', 'third-party', 'public-source', 'derived', 'organisation'] as const;

/** Why a legal hold applies. */
export const LEGAL_HOLD_REASONS = [
	'money-laundering-records', // MLR 2017 reg 40
	'tax-records', // e.g. Taxes Management Act 1970; VAT Act 1994 Sch 11 para 6
	'legal-obligation', // UK GDPR Art 17(3)(b)
	'legal-claims', // UK GDPR Art 17(3)(e)
	'regulatory-investigation'
] as const;

/** UK GDPR Art 5(1)(d) accuracy, Art 18(1)(a): a value the person disputes is "contested". */
export const ACCURACY_STATUSES = ['ok', 'contested'] as const;

/**
 * A person the organisation holds data about. The row holds no personal values itself (those are
 * in customer_field), so it can stay after erasure as the minimal suppression entry
 * (ICO erasure guidance: keep enough to avoid contacting the person again).
 */
export const customer = sqliteTable(
	'customer',
	{
		...workspaceRow(),
		/** The organisation's account reference, e.g. "ACC-104233". */
		reference: text('reference').notNull(),
		createdAt: text('created_at').notNull(),
		/** When the relationship ended (account closed): the trigger of most retention periods. */
		relationshipEndedAt: text('relationship_ended_at'),
		/** Set when the person's data was erased (Art 17); fields outside legal holds hold no value. */
		erasedAt: text('erased_at'),
		/** Do not contact: kept after erasure or an objection so the person is not contacted again. */
		suppressed: integer('suppressed', { mode: 'boolean' }).notNull().default(false),
		suppressedAt: text('suppressed_at')
	},
	(t) => [uniqueIndex('customer_reference_unique').on(t.workspaceId, t.reference)]
);

/** The customer a row is about; every such row has one. Spread into the table's columns. */
export function aboutCustomer() {
	return {
		customerId: text('customer_id')
			.notNull()
			.references(() => customer.id)
	};
}

/** Per-value metadata shared by ordinary, special-category and criminal-offence data. */
const heldValueColumns = () => ({
	/** Purpose the value was collected for (purpose.code). */
	purposeCode: text('purpose_code').notNull(),
	/** The purpose's Art 6 basis when the value was collected (a snapshot: bases must not be swapped later). */
	lawfulBasis: text('lawful_basis', { enum: LAWFUL_BASES }).notNull(),
	source: text('source', { enum: DATA_SOURCES }).notNull(),
	/** Free description of the source, e.g. "credit reference agency"; "" when from the person. */
	sourceDetail: text('source_detail').notNull().default(''),
	collectedAt: text('collected_at').notNull(),
	retentionRuleId: text('retention_rule_id')
		.notNull()
		.references(() => retentionRule.id),
	/** YYYY-MM-DD; null while the retention trigger (e.g. account closure) has not happened yet. */
	retainUntil: text('retain_until'),
	accuracy: text('accuracy', { enum: ACCURACY_STATUSES }).notNull().default('ok'),
	/** Art 18: restricted data is only stored, not otherwise processed. */
	restricted: integer('restricted', { mode: 'boolean' }).notNull().default(false),
	/** A legal hold keeps the value through erasure and disposal (Art 17(3)(b),(e); MLR 2017 reg 40). */
	legalHold: integer('legal_hold', { mode: 'boolean' }).notNull().default(false),
	legalHoldReason: text('legal_hold_reason').notNull().default(''),
	/** Why the hold applies, as a code: it decides the one use left to a value kept only for the hold. */
	legalHoldCode: text('legal_hold_code', { enum: LEGAL_HOLD_REASONS }),
	/** The purpose the hold keeps the value for (purpose.code), e.g. the anti-money-laundering records' own. */
	legalHoldPurposeCode: text('legal_hold_purpose_code'),
	/** Until when the hold keeps it; null when open-ended (a claim not yet settled): the value's retainUntil then applies. */
	legalHoldUntil: text('legal_hold_until'),
	/**
	 * The value's erasure or disposal was decided and only the hold stands in its way: it is kept for the
	 * hold's purpose only and restricted for every other use (MLR 2017 reg 41), and erased when the hold ends.
	 */
	keptForHoldOnly: integer('kept_for_hold_only', { mode: 'boolean' }).notNull().default(false),
	erasedAt: text('erased_at'),
	anonymisedAt: text('anonymised_at'),
	updatedAt: text('updated_at').notNull(),
	/** 1 on recording, +1 on every change; history rows carry the version they produced. */
	version: integer('version').notNull().default(1)
});

/**
 * The current value of one field of one customer, with its category and per-category metadata.
 * Field names are the vocabulary purposes use: givenName, familyName, dateOfBirth, addressLine1,
 * postcode, email, phone, balance, ... The value is null once erased.
 */
export const customerField = sqliteTable(
	'customer_field',
	{
		...workspaceRow(),
		...aboutCustomer(),
		field: text('field').notNull(),
		category: text('category', { enum: DATA_CATEGORIES }).notNull(),
		value: text('value'),
		/** The value in comparable form (lower case, postcode without spaces, phone in E.164), for search and verification. */
		normalised: text('normalised'),
		...heldValueColumns()
	},
	(t) => [
		uniqueIndex('customer_field_unique').on(t.customerId, t.field),
		// A customer's values, scoped by workspace: without it SQLite reads them through the
		// retention index, scanning every value in the workspace.
		index('customer_field_customer_idx').on(t.workspaceId, t.customerId),
		index('customer_field_lookup_idx').on(t.workspaceId, t.field, t.normalised),
		index('customer_field_retention_idx').on(t.workspaceId, t.retainUntil)
	]
);

/**
 * Special category data (UK GDPR Art 9(1)), kept apart from ordinary fields. The Art 9(2)
 * condition is required; where that condition needs a basis in law (9(2)(b),(g),(h),(i),(j)) a
 * DPA 2018 Schedule 1 condition is required too (DPA 2018 s10).
 */
export const ART9_CONDITIONS = [
	'explicit-consent', // 9(2)(a)
	'employment-social-security', // 9(2)(b)
	'vital-interests', // 9(2)(c)
	'not-for-profit-body', // 9(2)(d)
	'made-public-by-subject', // 9(2)(e)
	'legal-claims', // 9(2)(f)
	'substantial-public-interest', // 9(2)(g)
	'health-social-care', // 9(2)(h)
	'public-health', // 9(2)(i)
	'archiving-research-statistics' // 9(2)(j)
] as const;

export const SPECIAL_CATEGORIES = [
	'health',
	'vulnerability',
	'racial-ethnic-origin',
	'political-opinions',
	'religious-philosophical-beliefs',
	'trade-union-membership',
	'genetic',
	'biometric',
	'sex-life',
	'sexual-orientation'
] as const;

export const specialCategoryValue = sqliteTable(
	'special_category_value',
	{
		...workspaceRow(),
		...aboutCustomer(),
		/** Field name, e.g. "healthCondition", "vulnerabilityNote". */
		field: text('field').notNull(),
		specialCategory: text('special_category', { enum: SPECIAL_CATEGORIES }).notNull(),
		value: text('value'),
		art9Condition: text('art9_condition', { enum: ART9_CONDITIONS }).notNull(),
		/** DPA 2018 Sch 1 condition, e.g. "Sch 1 para 18 safeguarding of individuals at risk"; "" when not needed. */
		schedule1Condition: text('schedule1_condition').notNull().default(''),
		...heldValueColumns()
	},
	(t) => [uniqueIndex('special_category_value_unique').on(t.customerId, t.field)]
);

/**
 * Criminal-offence data (UK GDPR Art 10, DPA 2018 s10(5)): separate again, and only under a
 * Schedule 1 condition.
 */
export const criminalOffenceValue = sqliteTable(
	'criminal_offence_value',
	{
		...workspaceRow(),
		...aboutCustomer(),
		field: text('field').notNull(),
		value: text('value'),
		schedule1Condition: text('schedule1_condition').notNull(),
		...heldValueColumns()
	},
	(t) => [uniqueIndex('criminal_offence_value_unique').on(t.customerId, t.field)]
);

/** What a history row records. */
export const FIELD_CHANGES = [
	'recorded',
	'corrected', // Art 16 rectification, or any correction
	'completed', // Art 16: incomplete data completed by a supplementary statement
	'contested',
	'accuracy-confirmed',
	'restricted',
	'restriction-lifted',
	'legal-hold-applied',
	'legal-hold-released',
	'kept-for-hold-only', // erasure or disposal decided, the hold keeps it (MLR 2017 reg 41)
	'condition-changed', // explicit consent withdrawn; another Art 9(2) condition keeps the value
	'erased',
	'anonymised'
] as const;

/** Which table a history row's valueId points into. */
export const VALUE_KINDS = ['ordinary', 'special-category', 'criminal-offence'] as const;

/**
 * Every change to a held value: accuracy (Art 5(1)(d)) means corrections never overwrite silently.
 * Old and new values are personal data: erasure nulls them here too (the audit log never had them).
 */
export const customerFieldHistory = sqliteTable(
	'customer_field_history',
	{
		...workspaceRow(),
		...aboutCustomer(),
		valueKind: text('value_kind', { enum: VALUE_KINDS }).notNull(),
		/** Id of the customer_field, special_category_value or criminal_offence_value row. */
		valueId: text('value_id').notNull(),
		field: text('field').notNull(),
		change: text('change', { enum: FIELD_CHANGES }).notNull(),
		oldValue: text('old_value'),
		newValue: text('new_value'),
		/** The version of the value row this change produced. */
		version: integer('version').notNull(),
		actorId: text('actor_id').notNull(),
		actorRole: text('actor_role').notNull(),
		at: text('at').notNull(),
		reason: text('reason').notNull(),
		/** The rights request that caused it, if any. */
		requestId: text('request_id')
	},
	(t) => [index('customer_field_history_value_idx').on(t.valueId, t.version), index('customer_field_history_customer_idx').on(t.customerId)]
);

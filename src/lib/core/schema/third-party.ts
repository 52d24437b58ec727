import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaceRow } from './columns';
import { aboutCustomer } from './customer';

/**
 * Recorded authority to act for a customer (DOMAIN.md §3). A caller who says they are the spouse
 * has no authority unless a row here says so.
 */
export const AUTHORITY_TYPES = [
	'written-authority',
	'power-of-attorney',
	'lasting-power-of-attorney',
	'court-deputy',
	'appointee',
	'legal-obligation'
] as const;

/**
 * The two kinds of lasting power of attorney (Mental Capacity Act 2005 s9(1)): one for the donor's
 * property and financial affairs, one for their health and personal welfare. Each covers only its
 * own kind of decision, whatever else the document says.
 */
export const LPA_TYPES = ['property-and-financial-affairs', 'health-and-welfare'] as const;
export type LpaType = (typeof LPA_TYPES)[number];

/** What the third party may do. */
export const THIRD_PARTY_ACTIONS = ['receive-information', 'make-changes', 'make-requests'] as const;

export const authorisedThirdParty = sqliteTable(
	'authorised_third_party',
	{
		...workspaceRow(),
		...aboutCustomer(),
		name: text('name').notNull(),
		/** E.g. "spouse", "son", "solicitor". Being related gives no authority by itself. */
		relationship: text('relationship').notNull(),
		authorityType: text('authority_type', { enum: AUTHORITY_TYPES }).notNull(),
		/** For a lasting power of attorney: which kind it is; null for every other authority. */
		lpaType: text('lpa_type', { enum: LPA_TYPES }),
		/** Reference to the document seen: signed form id, LPA registration number. */
		evidenceRef: text('evidence_ref').notNull(),
		/** Data categories (or "all") the authority covers. */
		scopeCategories: text('scope_categories', { mode: 'json' }).$type<string[]>().notNull(),
		scopeActions: text('scope_actions', { mode: 'json' }).$type<(typeof THIRD_PARTY_ACTIONS)[number][]>().notNull(),
		/** YYYY-MM-DD inclusive range; validTo null means until revoked. */
		validFrom: text('valid_from').notNull(),
		validTo: text('valid_to'),
		recordedBy: text('recorded_by').notNull(),
		recordedAt: text('recorded_at').notNull(),
		revokedAt: text('revoked_at')
	},
	(t) => [index('authorised_third_party_customer_idx').on(t.customerId)]
);

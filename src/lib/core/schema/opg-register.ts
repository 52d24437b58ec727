import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { LPA_TYPES } from './third-party';
import { workspaceRow } from './columns';

/** Where a lasting power of attorney stands on the Office of the Public Guardian's register. */
export const OPG_REGISTER_STATUSES = ['registered', 'pending', 'cancelled', 'revoked'] as const;
export type OpgRegisterStatus = (typeof OPG_REGISTER_STATUSES)[number];

/**
 * The Office of the Public Guardian's register of lasting powers of attorney (Mental Capacity Act
 * 2005 Sch 1 Part 2), as the record system reaches it. An LPA can be used only once registered
 * (MCA 2005 Sch 1 para 1); the register says whether it is, of which type, and who the attorneys
 * are. In a training workspace its entries are seeded by the scenario; the organisation only reads it.
 */
export const opgRegisterEntry = sqliteTable(
	'opg_register_entry',
	{
		...workspaceRow(),
		/** The OPG's reference, e.g. "7000-1234-5678"; searched without spaces or hyphens. */
		reference: text('reference').notNull(),
		donorName: text('donor_name').notNull(),
		attorneyNames: text('attorney_names', { mode: 'json' }).$type<string[]>().notNull(),
		lpaType: text('lpa_type', { enum: LPA_TYPES }).notNull(),
		/** YYYY-MM-DD; null while pending. */
		registeredOn: text('registered_on'),
		status: text('status', { enum: OPG_REGISTER_STATUSES }).notNull()
	},
	(t) => [index('opg_register_entry_reference_idx').on(t.workspaceId, t.reference)]
);

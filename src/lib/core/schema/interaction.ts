import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customer } from './customer';
import { workspaceRow } from './columns';

export const INTERACTION_CHANNELS = ['phone', 'email', 'letter', 'in-person', 'web-chat', 'web-form', 'social-media', 'internal'] as const;

/** Who the organisation was dealing with, as far as it knows. */
export const PARTY_TYPES = [
	'data-subject',
	'authorised-third-party',
	'unauthorised-third-party',
	'colleague',
	'police',
	'regulator',
	'unknown'
] as const;

/**
 * A contact with or about a customer: date and time, channel, nature of the enquiry, actions
 * taken, by whom. Notes are personal data (they appear in a SAR, with third parties redacted).
 */
export const interaction = sqliteTable(
	'interaction',
	{
		...workspaceRow(),
		/** Null while the caller is not matched to a record. */
		customerId: text('customer_id').references(() => customer.id),
		channel: text('channel', { enum: INTERACTION_CHANNELS }).notNull(),
		direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
		partyType: text('party_type', { enum: PARTY_TYPES }).notNull(),
		/** authorised_third_party row when the party is one. */
		thirdPartyId: text('third_party_id'),
		occurredAt: text('occurred_at').notNull(),
		/** Nature of the enquiry, e.g. "balance enquiry", "change of address". */
		nature: text('nature').notNull(),
		notes: text('notes').notNull().default(''),
		actionsTaken: text('actions_taken', { mode: 'json' }).$type<string[]>().notNull(),
		handledBy: text('handled_by').notNull(),
		loggedAt: text('logged_at').notNull()
	},
	(t) => [index('interaction_customer_idx').on(t.workspaceId, t.customerId, t.occurredAt)]
);

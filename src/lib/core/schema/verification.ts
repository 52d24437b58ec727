import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customer } from './customer';
import { PARTY_TYPES } from './interaction';
import { workspaceRow } from './columns';

export const VERIFICATION_METHODS = [
	'knowledge-based', // the requester states items held on the record
	'callback-to-number-on-file',
	'email-to-address-on-file',
	'identity-document',
	'in-person',
	'passphrase',
	'official-credentials' // e.g. police officer: warrant number checked with the force
] as const;

export const VERIFICATION_OUTCOMES = ['verified', 'failed', 'incomplete'] as const;

/**
 * One attempt to verify who a requester is. Items are field names, never values. The items the
 * agent read out are kept apart: reading data out is a disclosure, not a verification (DOMAIN.md §3).
 */
export const verificationAttempt = sqliteTable(
	'verification_attempt',
	{
		...workspaceRow(),
		/** The record the requester claims to be (or to act for); null if none was found. */
		customerId: text('customer_id').references(() => customer.id),
		interactionId: text('interaction_id'),
		requestId: text('request_id'),
		requesterType: text('requester_type', { enum: PARTY_TYPES }).notNull(),
		thirdPartyId: text('third_party_id'),
		method: text('method', { enum: VERIFICATION_METHODS }).notNull(),
		/** Field names the requester supplied themselves. */
		itemsSupplied: text('items_supplied', { mode: 'json' }).$type<string[]>().notNull(),
		itemsMatched: text('items_matched', { mode: 'json' }).$type<string[]>().notNull(),
		itemsMismatched: text('items_mismatched', { mode: 'json' }).$type<string[]>().notNull(),
		/** Field names the agent volunteered: each is also a disclosure row. */
		itemsReadOut: text('items_read_out', { mode: 'json' }).$type<string[]>().notNull(),
		outcome: text('outcome', { enum: VERIFICATION_OUTCOMES }).notNull(),
		attemptedAt: text('attempted_at').notNull(),
		attemptedBy: text('attempted_by').notNull()
	},
	(t) => [index('verification_attempt_customer_idx').on(t.workspaceId, t.customerId, t.attemptedAt)]
);

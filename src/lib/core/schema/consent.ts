import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { workspaceRow } from './columns';
import { aboutCustomer } from './customer';

/** Channels a consent or a marketing objection is given for (PECR distinguishes them). */
export const CONTACT_CHANNELS = ['email', 'sms', 'phone', 'post', 'online'] as const;

/**
 * How consent was obtained. Verbal consent counts only when documented at the time
 * (ICO consent guidance: you must be able to show it); there is no "verbal" without evidence.
 */
export const CONSENT_METHODS = ['written', 'online', 'verbal-documented'] as const;

/** Who gave it: the person, or someone with recorded authority to act for them. */
export const CONSENT_GIVERS = ['data-subject', 'authorised-third-party'] as const;

/**
 * One record per purpose and channel, never bundled with terms (UK GDPR Art 7(2)). A withdrawal
 * stamps withdrawnAt; consenting again makes a new row, so the history of each is kept. At most one
 * live (not withdrawn) consent per customer, purpose and channel.
 */
export const consent = sqliteTable(
	'consent',
	{
		...workspaceRow(),
		...aboutCustomer(),
		purposeCode: text('purpose_code').notNull(),
		channel: text('channel', { enum: CONTACT_CHANNELS }).notNull(),
		givenBy: text('given_by', { enum: CONSENT_GIVERS }).notNull(),
		/** The authorised_third_party row when givenBy is "authorised-third-party". */
		thirdPartyId: text('third_party_id'),
		method: text('method', { enum: CONSENT_METHODS }).notNull(),
		/** What the person was told: the version of the privacy notice shown or read. */
		noticeVersion: text('notice_version').notNull(),
		/** Actor id of who took it. */
		takenBy: text('taken_by').notNull(),
		/** Where the evidence is: form id, call recording reference, note id. */
		evidenceRef: text('evidence_ref').notNull(),
		givenAt: text('given_at').notNull(),
		// Art 7(3): withdrawal as easy as giving, effective from then on.
		withdrawnAt: text('withdrawn_at'),
		withdrawnBy: text('withdrawn_by'),
		withdrawalMethod: text('withdrawal_method')
	},
	(t) => [
		uniqueIndex('consent_live_unique')
			.on(t.customerId, t.purposeCode, t.channel)
			.where(sql`${t.withdrawnAt} is null`),
		index('consent_workspace_idx').on(t.workspaceId, t.customerId)
	]
);

/** "all" stops direct marketing on every channel. */
export const OBJECTION_CHANNELS = [...CONTACT_CHANNELS, 'all'] as const;

/**
 * Objection to direct marketing: absolute and immediate (UK GDPR Art 21(2)-(3); PECR). One row per
 * objection received; the customer is not marketed to on that channel from receivedAt.
 */
export const marketingObjection = sqliteTable(
	'marketing_objection',
	{
		...workspaceRow(),
		...aboutCustomer(),
		channel: text('channel', { enum: OBJECTION_CHANNELS }).notNull(),
		receivedAt: text('received_at').notNull(),
		recordedBy: text('recorded_by').notNull(),
		/** The interaction or rights request it arrived in, if any. */
		interactionId: text('interaction_id'),
		requestId: text('request_id')
	},
	(t) => [index('marketing_objection_customer_idx').on(t.customerId)]
);

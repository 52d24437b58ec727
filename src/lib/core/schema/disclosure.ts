import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { INTERACTION_CHANNELS, PARTY_TYPES } from './interaction';
import { workspaceRow } from './columns';
import { aboutCustomer } from './customer';

/**
 * The route that made a disclosure lawful, or "none" for an unauthorised one (which is a
 * personal-data breach, UK GDPR Art 4(12), and may be an offence, DPA 2018 s170).
 */
export const DISCLOSURE_ROUTES = [
	'verified-data-subject',
	'authorised-third-party',
	'colleague-need-to-know',
	'exemption', // e.g. DPA 2018 Sch 2 Pt 1 para 2 (crime and taxation)
	'legal-obligation',
	'none'
] as const;

/** How it happened: supplied on purpose, or volunteered by an agent during a check ("read out"). */
export const DISCLOSURE_MANNERS = ['supplied', 'read-out'] as const;

/**
 * The disclosure log: every supply of personal data to anyone (DOMAIN.md §3). Feeds a SAR's
 * recipients (Art 15(1)(c)), Art 19 notifications and the record of processing.
 */
export const disclosure = sqliteTable(
	'disclosure',
	{
		...workspaceRow(),
		...aboutCustomer(),
		recipientType: text('recipient_type', { enum: PARTY_TYPES }).notNull(),
		/** Recipient as identified, e.g. "PC 1234 Smith, Thames Valley Police"; the data subject's is "data subject". */
		recipientName: text('recipient_name').notNull(),
		recipientOrganisation: text('recipient_organisation').notNull().default(''),
		thirdPartyId: text('third_party_id'),
		/** Colleague recipients: their role, checked for need to know. */
		recipientRole: text('recipient_role').notNull().default(''),
		verificationAttemptId: text('verification_attempt_id'),
		/** How the recipient was verified, in words, e.g. "called back on force switchboard". */
		recipientVerifiedHow: text('recipient_verified_how').notNull().default(''),
		authorityEvidence: text('authority_evidence').notNull().default(''),
		route: text('route', { enum: DISCLOSURE_ROUTES }).notNull(),
		authorised: integer('authorised', { mode: 'boolean' }).notNull(),
		manner: text('manner', { enum: DISCLOSURE_MANNERS }).notNull(),
		/** Field names disclosed, never values. */
		fields: text('fields', { mode: 'json' }).$type<string[]>().notNull(),
		categories: text('categories', { mode: 'json' }).$type<string[]>().notNull(),
		purposeCode: text('purpose_code').notNull().default(''),
		/** The Art 6 basis or the exemption relied on, e.g. "DPA 2018 Sch 2 Pt 1 para 2". */
		basisOrExemption: text('basis_or_exemption').notNull(),
		/** The recorded prejudice test for the crime exemption: why not disclosing would prejudice it. */
		prejudiceTest: text('prejudice_test').notNull().default(''),
		channel: text('channel', { enum: INTERACTION_CHANNELS }).notNull(),
		disclosedBy: text('disclosed_by').notNull(),
		approvedBy: text('approved_by'),
		requestId: text('request_id'),
		interactionId: text('interaction_id'),
		/** The breach opened because the disclosure was unauthorised (record mode). */
		breachId: text('breach_id'),
		disclosedAt: text('disclosed_at').notNull()
	},
	(t) => [index('disclosure_customer_idx').on(t.workspaceId, t.customerId, t.disclosedAt)]
);

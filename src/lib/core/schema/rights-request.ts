import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { aboutCustomer, customer } from './customer';
import { INTERACTION_CHANNELS, PARTY_TYPES } from './interaction';
import { workspaceRow } from './columns';

/** UK GDPR Arts 15, 16, 17, 18, 21. */
export const REQUEST_KINDS = ['access', 'rectification', 'erasure', 'restriction', 'objection'] as const;

/** DOMAIN.md §4 request states (compare ethyca/fides privacy-request statuses). */
export const REQUEST_STATES = [
	'received',
	'awaiting-id',
	'awaiting-clarification',
	'awaiting-fee',
	'in-progress',
	'extended',
	'response-ready',
	'complete',
	'partly-refused',
	'refused',
	'withdrawn'
] as const;

export const CLOSED_REQUEST_STATES = ['complete', 'partly-refused', 'refused', 'withdrawn'] as const;

/** What a SAR response must contain (UK GDPR Art 15(1)-(3)). */
export const ART15_ITEMS = [
	'confirmation', // 15(1): whether data is processed
	'copy', // 15(3)
	'purposes', // 15(1)(a)
	'categories', // 15(1)(b)
	'recipients', // 15(1)(c)
	'retention', // 15(1)(d)
	'rights', // 15(1)(e): rectification, erasure, restriction, objection
	'complaint', // 15(1)(f): right to complain to the ICO
	'source', // 15(1)(g)
	'automatedDecisionMaking', // 15(1)(h)
	'transferSafeguards' // 15(2)
] as const;
export type Art15Item = (typeof ART15_ITEMS)[number];
/** The assembled response: each item as presented to the person (JSON), keyed by Art 15 item. */
export type ResponseContents = Partial<Record<Art15Item, unknown>>;

/**
 * A rights request. Dates: relevantTime is the ISO instant the clock started (the latest of
 * receipt of the request, of ID reasonably asked for, and of a fee; ICO right-of-access guidance);
 * dueDate is YYYY-MM-DD from responseDueDate(), recomputed on every transition.
 */
export const rightsRequest = sqliteTable(
	'rights_request',
	{
		...workspaceRow(),
		/** Null until the requester is matched to a record. */
		customerId: text('customer_id').references(() => customer.id),
		kind: text('kind', { enum: REQUEST_KINDS }).notNull(),
		state: text('state', { enum: REQUEST_STATES }).notNull(),
		/** A request can be verbal, to anyone, in any words (ICO). */
		channel: text('channel', { enum: INTERACTION_CHANNELS }).notNull(),
		verbal: integer('verbal', { mode: 'boolean' }).notNull(),
		/** The requester's own words, or a note of them. */
		description: text('description').notNull(),
		/** Kind-specific details: fields to rectify and corrected values, erasure ground, objection channel. */
		particulars: text('particulars', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		requesterType: text('requester_type', { enum: PARTY_TYPES }).notNull(),
		thirdPartyId: text('third_party_id'),
		/** The verification that satisfied the identity check; a request cannot complete with a disclosure without it. */
		verificationAttemptId: text('verification_attempt_id'),
		/** Made electronically: answer electronically unless asked otherwise (Art 15(3)). */
		electronic: integer('electronic', { mode: 'boolean' }).notNull(),
		interactionId: text('interaction_id'),
		receivedAt: text('received_at').notNull(),
		receivedBy: text('received_by').notNull(),
		idRequestedAt: text('id_requested_at'),
		idReceivedAt: text('id_received_at'),
		feeRequestedAt: text('fee_requested_at'),
		feePence: integer('fee_pence'),
		feeReceivedAt: text('fee_received_at'),
		clarificationRequestedAt: text('clarification_requested_at'),
		clarificationReceivedAt: text('clarification_received_at'),
		/** Calendar days the clock stood still awaiting clarification (see deadlines for the interpretation). */
		pausedDays: integer('paused_days').notNull().default(0),
		relevantTime: text('relevant_time').notNull(),
		dueDate: text('due_date').notNull(),
		extended: integer('extended', { mode: 'boolean' }).notNull().default(false),
		extensionReason: text('extension_reason'),
		/** The person must be told of an extension, with reasons, within the first month (Art 12(3)). */
		extensionNotifiedAt: text('extension_notified_at'),
		/** Justification for refusal or partial refusal (Art 12(5): manifestly unfounded or excessive; or an exemption). */
		refusalReason: text('refusal_reason'),
		response: text('response', { mode: 'json' }).$type<ResponseContents>(),
		respondedAt: text('responded_at'),
		closedAt: text('closed_at'),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [index('rights_request_workspace_idx').on(t.workspaceId, t.state, t.dueDate), index('rights_request_customer_idx').on(t.customerId)]
);

/** Every transition, stamped with when, who and why, and the due date before and after. */
export const requestTransition = sqliteTable(
	'request_transition',
	{
		...workspaceRow(),
		requestId: text('request_id')
			.notNull()
			.references(() => rightsRequest.id),
		fromState: text('from_state', { enum: REQUEST_STATES }),
		toState: text('to_state', { enum: REQUEST_STATES }).notNull(),
		at: text('at').notNull(),
		actorId: text('actor_id').notNull(),
		actorRole: text('actor_role').notNull(),
		reason: text('reason').notNull().default(''),
		dueDateBefore: text('due_date_before'),
		dueDateAfter: text('due_date_after').notNull()
	},
	(t) => [index('request_transition_request_idx').on(t.requestId, t.at)]
);

/** The ICO three-step test for other people's data in a SAR (DPA 2018 Sch 2 Pt 3 para 16). */
export const REDACTION_DECISIONS = ['withheld', 'supplied-without-identifying', 'supplied-with-consent', 'supplied-reasonable-without-consent'] as const;

/** A decision about third-party information in a SAR response, with its reason. */
export const redaction = sqliteTable(
	'redaction',
	{
		...workspaceRow(),
		requestId: text('request_id')
			.notNull()
			.references(() => rightsRequest.id),
		/** Where the information sits, e.g. "interaction", and that row's id, and the field within it. */
		sourceTable: text('source_table').notNull(),
		sourceId: text('source_id').notNull(),
		sourceField: text('source_field').notNull(),
		/** The other person described without identifying them, e.g. "neighbour who complained". */
		thirdPartyDescription: text('third_party_description').notNull(),
		/**
		 * The passage of sourceField the decision covers, as character offsets [start, end); null for
		 * the whole field. Offsets, not the text, so the other person's data is not copied here.
		 */
		passageStart: integer('passage_start'),
		passageEnd: integer('passage_end'),
		decision: text('decision', { enum: REDACTION_DECISIONS }).notNull(),
		reason: text('reason').notNull(),
		decidedBy: text('decided_by').notNull(),
		decidedAt: text('decided_at').notNull()
	},
	(t) => [index('redaction_request_idx').on(t.requestId)]
);

/** What happened when a recipient was to be told of a rectification, erasure or restriction (Art 19). */
export const RECIPIENT_NOTIFICATION_OUTCOMES = ['notified', 'impossible', 'disproportionate'] as const;

/**
 * One Art 19 notification: a recipient in the disclosure log told of a rectification, erasure or
 * restriction, or the recorded reason it was impossible or would involve disproportionate effort.
 */
export const recipientNotification = sqliteTable(
	'recipient_notification',
	{
		...workspaceRow(),
		requestId: text('request_id')
			.notNull()
			.references(() => rightsRequest.id),
		...aboutCustomer(),
		/** The disclosures to this recipient the notification covers. */
		disclosureIds: text('disclosure_ids', { mode: 'json' }).$type<string[]>().notNull(),
		recipientType: text('recipient_type', { enum: PARTY_TYPES }).notNull(),
		recipientName: text('recipient_name').notNull(),
		recipientOrganisation: text('recipient_organisation').notNull().default(''),
		outcome: text('outcome', { enum: RECIPIENT_NOTIFICATION_OUTCOMES }).notNull(),
		/** Why it was impossible or disproportionate; "" when notified. */
		reason: text('reason').notNull().default(''),
		channel: text('channel', { enum: INTERACTION_CHANNELS }),
		at: text('at').notNull(),
		by: text('by').notNull()
	},
	(t) => [index('recipient_notification_request_idx').on(t.workspaceId, t.requestId)]
);

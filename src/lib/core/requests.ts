/**
 * Rights requests (UK GDPR Arts 15-21, DOMAIN.md §4) as an explicit state machine: one function
 * per transition, each stamping when and by whom, writing a request_transition row and exactly one
 * audit entry (the specific event, with fromState, toState and dueDate), and recomputing the
 * relevant time and due date. Compare ethyca/fides privacy requests; the states here are:
 *
 *   received ──beginRequest──────────────▶ in-progress ──extendRequest──▶ extended
 *      │  ▲                                   │   ▲                          │
 *      │  └── receiveId / receiveClarification / receiveFee (back to in-progress, or extended)
 *      ▼                                      ▼
 *   awaiting-id | awaiting-clarification | awaiting-fee    (askForId, askForClarification, requestFee)
 *
 *   in-progress | extended ──assembleResponse / fulfil*──▶ response-ready ──completeRequest──▶ complete | partly-refused
 *   any open state ──refuseRequest──▶ refused;  ──withdrawRequest──▶ withdrawn;  ──matchRequest──▶ (same state)
 *
 * The clock (ICO right of access): the relevant time is the latest of receipt of the request,
 * receipt of ID that was reasonably asked for, and receipt of a fee where one is allowed; the day
 * of receipt is day one; days awaiting clarification do not count (deadlines.addClarificationPause
 * documents how). While awaiting ID or a fee the clock has not started: the stored due date is then
 * the earliest it could be, and moves when the ID or fee arrives.
 *
 * Dates are counted in the organisation's calendar (Europe/London), never the server's.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbGet, dbAll, writeTransaction, insertionOrder, preparedStatements } from './database';
import { tableRows } from './table-rows';
import { appendAudit, type AuditAction, type AuditDetails } from './audit';
import { addClarificationPause } from './deadlines';
import { parseInput } from './input';
import { applyPolicy } from './policy';
import { err, ok, type CoreError, type Result } from './result';
import {
	CLOSED_REQUEST_STATES,
	INTERACTION_CHANNELS,
	PARTY_TYPES,
	REQUEST_KINDS,
	REQUEST_STATES,
	authorisedThirdParty,
	interaction,
	requestTransition,
	rightsRequest,
	verificationAttempt,
	workspace
} from './schema';
import { daysBetween, toUtcInstant, ukDateOf } from './uk-date';
import { customerExists } from './customers';

export type RightsRequest = typeof rightsRequest.$inferSelect;
export type RequestTransition = typeof requestTransition.$inferSelect;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestState = (typeof REQUEST_STATES)[number];

/** Channels on which a request counts as made electronically (Art 15(3): answer electronically). */
export const ELECTRONIC_CHANNELS = ['email', 'web-chat', 'web-form', 'social-media'] as const;

/** The open states a request can be worked in; closed ones accept no transition. */
export const OPEN_REQUEST_STATES = REQUEST_STATES.filter((s) => !(CLOSED_REQUEST_STATES as readonly string[]).includes(s));

/**
 * Grounds for refusing a request in full (UK GDPR Art 12(5); an exemption of DPA 2018 Sch 2-4;
 * or the right not applying, e.g. erasure where no Art 17(1) ground exists).
 */
export const REFUSAL_GROUNDS = ['manifestly-unfounded', 'manifestly-excessive', 'exemption', 'right-does-not-apply'] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/**
 * What a refused (or partly refused) person must be told, besides the reasons: ICO right of access,
 * "when can we refuse to comply": the right to complain to the ICO and to seek to enforce the right
 * through a judicial remedy (DPA 2018 s167), without undue delay and within the time limit.
 */
export const REFUSAL_RIGHTS_NOTICE =
	'You have the right to complain to the Information Commissioner’s Office (ico.org.uk/make-a-complaint, 0303 123 1113), ' +
	'and the right to ask a court to order us to comply with your request (Data Protection Act 2018, section 167).';

/** Why a deadline may be extended by up to two months (UK GDPR Art 12(3)). */
export const EXTENSION_REASONS = ['complex', 'several-requests'] as const;

/** Where a fee is allowed: manifestly unfounded or excessive requests (Art 12(5)(a)), further copies (Art 15(3)). */
export const FEE_GROUNDS = ['manifestly-unfounded-or-excessive', 'further-copies'] as const;

const requestId = z.string().min(1);
const instant = z.iso.datetime({ offset: true });

const logInput = z.object({
	kind: z.enum(REQUEST_KINDS),
	channel: z.enum(INTERACTION_CHANNELS),
	/** A request can be made verbally, to anyone, in any words (ICO). */
	verbal: z.boolean(),
	/** The requester's words, or a note of them. */
	description: z.string().trim().min(1, 'Note what the person asked for, in their words where possible'),
	/** When it was received (ISO 8601 with offset): the day of receipt is day one. Now by default. */
	receivedAt: instant.optional(),
	/** The record the requester is, if already matched. */
	customerId: z.string().min(1).optional(),
	requesterType: z.enum(PARTY_TYPES).default('data-subject'),
	thirdPartyId: z.string().min(1).optional(),
	/** Made electronically; by default, when the channel is electronic. */
	electronic: z.boolean().optional(),
	interactionId: z.string().min(1).optional(),
	/** A successful verification of the requester already made, e.g. earlier in the same call. */
	verificationId: z.string().min(1).optional(),
	/** Kind-specific details: fields to rectify and the values asked for, erasure ground, objection purpose or channel. */
	particulars: z.record(z.string(), z.unknown()).default({})
});
export type LogRequestInput = z.input<typeof logInput>;

/** Logs a request, verbal or written, with the date and time it was received. */
export async function logRequest(ctx: CoreContext, input: LogRequestInput): Promise<Result<RightsRequest>> {
	const parsed = parseInput(logInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	const now = ctx.clock();
	const receivedAt = v.receivedAt === undefined ? now : toUtcInstant(v.receivedAt);
	if (receivedAt > now) return err('request.received-in-future', 'A request cannot be received in the future', 'receivedAt');
	return await writeTransaction(ctx.db, async () => {
		if (v.customerId !== undefined && !await customerExists(ctx, v.customerId)) {
			return err('customer.not-found', `No customer ${v.customerId}`, 'customerId');
		}
		if (v.thirdPartyId !== undefined) {
			const checked = await thirdPartyOfCustomer(ctx, v.thirdPartyId, v.customerId);
			if (!checked.ok) return checked;
		}
		if (v.interactionId !== undefined && !await interactionInWorkspace(ctx, v.interactionId)) {
			return err('interaction.not-found', `No interaction ${v.interactionId}`, 'interactionId');
		}
		const draft: RightsRequest = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			customerId: v.customerId ?? null,
			kind: v.kind,
			state: 'received',
			channel: v.channel,
			verbal: v.verbal,
			description: v.description,
			particulars: v.particulars,
			requesterType: v.requesterType,
			thirdPartyId: v.thirdPartyId ?? null,
			verificationAttemptId: v.verificationId ?? null,
			electronic: v.electronic ?? (ELECTRONIC_CHANNELS as readonly string[]).includes(v.channel),
			interactionId: v.interactionId ?? null,
			receivedAt,
			receivedBy: ctx.actor.id,
			idRequestedAt: null,
			idReceivedAt: null,
			feeRequestedAt: null,
			feePence: null,
			feeReceivedAt: null,
			clarificationRequestedAt: null,
			clarificationReceivedAt: null,
			pausedDays: 0,
			relevantTime: receivedAt,
			dueDate: '',
			extended: false,
			extensionReason: null,
			extensionNotifiedAt: null,
			refusalReason: null,
			response: null,
			respondedAt: null,
			closedAt: null,
			updatedAt: now
		};
		if (v.verificationId !== undefined) {
			const linked = await verificationFor(ctx, draft, v.verificationId);
			if (!linked.ok) return linked;
		}
		const row = { ...draft, ...schedule(draft, await regionOf(ctx)) };
		await dbRun(ctx.db.insert(rightsRequest).values(row));
		await recordTransition(ctx, null, row, '');
		await appendAudit(ctx, {
			action: 'request.logged',
			...auditSubject(row),
			details: {
				requestId: row.id,
				kind: row.kind,
				channel: row.channel,
				verbal: row.verbal,
				electronic: row.electronic,
				requesterType: row.requesterType,
				interactionId: row.interactionId,
				fromState: null,
				toState: row.state,
				receivedAt: row.receivedAt,
				relevantTime: row.relevantTime,
				dueDate: row.dueDate
			}
		});
		return ok(row);
	});
}

const matchInput = z.object({ requestId, customerId: z.string().min(1) });
export type MatchRequestInput = z.input<typeof matchInput>;

/** Links a request to the customer record it concerns (its interaction too, if not yet linked). */
export async function matchRequest(ctx: CoreContext, input: MatchRequestInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, matchInput, input, OPEN_REQUEST_STATES, async (req, v) => {
		if (req.customerId !== null && req.customerId !== v.customerId) {
			return err('request.already-matched', 'This request is already matched to another customer', 'customerId');
		}
		if (!await customerExists(ctx, v.customerId)) return err('customer.not-found', `No customer ${v.customerId}`, 'customerId');
		if (req.thirdPartyId !== null) {
			const checked = await thirdPartyOfCustomer(ctx, req.thirdPartyId, v.customerId);
			if (!checked.ok) return checked;
		}
		if (req.interactionId !== null) {
			await dbRun(ctx.db
				.update(interaction)
				.set({ customerId: v.customerId })
				.where(and(eq(interaction.workspaceId, ctx.workspaceId), eq(interaction.id, req.interactionId), sql`${interaction.customerId} is null`)));
		}
		return { toState: req.state, changes: { customerId: v.customerId }, action: 'request.matched' };
	});
}

const beginInput = z.object({ requestId });
export type BeginRequestInput = z.input<typeof beginInput>;

/** Starts work on a request that needs no ID, clarification or fee. */
export async function beginRequest(ctx: CoreContext, input: BeginRequestInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, beginInput, input, ['received'], () => ({ toState: 'in-progress', action: 'request.transitioned' }));
}

const askForIdInput = z.object({
	requestId,
	/** Why identity is in reasonable doubt and what was asked for. */
	reason: z.string().trim().min(1, 'Say why ID is needed and what was asked for')
});
export type AskForIdInput = z.input<typeof askForIdInput>;

/**
 * Asks for proportionate ID; the clock waits for it. Asking when the requester is already verified
 * is not reasonable (ICO: only where there is reasonable doubt): refused in enforce mode, a finding
 * in record mode, and then the clock does not wait for that ID.
 */
export async function askForId(ctx: CoreContext, input: AskForIdInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, askForIdInput, input, ['received', 'in-progress', 'extended'], async (req, v) => {
		let reasonable = true;
		if (await requesterVerified(ctx, req)) {
			const d = await applyPolicy(ctx, {
				code: 'request.id.unnecessary',
				rule: 'UK GDPR Art 12(6); ICO right of access: ask for ID only where there is reasonable doubt',
				message: 'The requester is already verified: asking for more ID delays the request without reason',
				...auditSubject(req),
				details: { requestId: req.id, verificationId: req.verificationAttemptId }
			});
			if (!d.ok) return d;
			reasonable = false;
		}
		return {
			toState: 'awaiting-id',
			changes: {
				idRequestedAt: ctx.clock(),
				idReceivedAt: null,
				particulars: { ...req.particulars, idRequestReasonable: reasonable }
			},
			action: 'request.id.requested',
			reason: v.reason,
			details: { reasonable }
		};
	});
}

const receiveIdInput = z.object({
	requestId,
	/** When the ID arrived (ISO 8601 with offset); now by default. */
	receivedAt: instant.optional(),
	/** The verification attempt that checked it, if done. */
	verificationId: z.string().min(1).optional()
});
export type ReceiveIdInput = z.input<typeof receiveIdInput>;

/** Records that the ID asked for arrived: the relevant time moves to its receipt (when it was reasonably asked for). */
export async function receiveId(ctx: CoreContext, input: ReceiveIdInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, receiveIdInput, input, ['awaiting-id'], async (req, v) => {
		const receivedAt = v.receivedAt === undefined ? ctx.clock() : toUtcInstant(v.receivedAt);
		const when = withinRequest(ctx, req, receivedAt, 'receivedAt');
		if (!when.ok) return when;
		if (req.idRequestedAt !== null && receivedAt < req.idRequestedAt) {
			return err('request.id.before-asked', 'The ID cannot arrive before it was asked for', 'receivedAt');
		}
		const changes: Partial<RightsRequest> = { idReceivedAt: receivedAt };
		if (v.verificationId !== undefined) {
			const linked = await verificationFor(ctx, req, v.verificationId);
			if (!linked.ok) return linked;
			changes.verificationAttemptId = v.verificationId;
		}
		return { toState: resumeState(req), changes, action: 'request.id.received', details: { verificationId: v.verificationId ?? null } };
	});
}

const askClarificationInput = z.object({
	requestId,
	/** What was asked, e.g. which accounts or dates the request covers. */
	question: z.string().trim().min(1, 'Say what clarification was asked for')
});
export type AskForClarificationInput = z.input<typeof askClarificationInput>;

/** Asks for clarification the organisation reasonably needs; the clock pauses from today. */
export async function askForClarification(ctx: CoreContext, input: AskForClarificationInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, askClarificationInput, input, ['received', 'in-progress', 'extended'], (_req, v) => ({
		toState: 'awaiting-clarification',
		changes: { clarificationRequestedAt: ctx.clock(), clarificationReceivedAt: null },
		action: 'request.clarification.requested',
		reason: v.question
	}));
}

const receiveClarificationInput = z.object({ requestId, receivedAt: instant.optional() });
export type ReceiveClarificationInput = z.input<typeof receiveClarificationInput>;

/**
 * Records the clarification: the calendar days from asking to receiving (UK dates) are added to
 * the paused days, and the due date moves by the deadlines module's rule.
 */
export async function receiveClarification(ctx: CoreContext, input: ReceiveClarificationInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, receiveClarificationInput, input, ['awaiting-clarification'], (req, v) => {
		const receivedAt = v.receivedAt === undefined ? ctx.clock() : toUtcInstant(v.receivedAt);
		const askedAt = req.clarificationRequestedAt ?? req.receivedAt;
		if (receivedAt < askedAt) return err('request.clarification.before-asked', 'Clarification cannot arrive before it was asked for', 'receivedAt');
		if (receivedAt > ctx.clock()) return err('request.in-future', 'This cannot be recorded before it happens', 'receivedAt');
		const paused = daysBetween(ukDateOf(askedAt), ukDateOf(receivedAt));
		return {
			toState: resumeState(req),
			changes: { clarificationReceivedAt: receivedAt, pausedDays: req.pausedDays + paused },
			action: 'request.clarification.received',
			details: { pausedDays: paused, totalPausedDays: req.pausedDays + paused }
		};
	});
}

const requestFeeInput = z.object({
	requestId,
	feePence: z.number().int().min(1),
	grounds: z.enum(FEE_GROUNDS),
	/** Why the fee is allowed and how it was worked out (administrative costs only). */
	justification: z.string().trim().min(1, 'Record why a fee is allowed and how it was worked out')
});
export type RequestFeeInput = z.input<typeof requestFeeInput>;

/**
 * Asks for a fee where one is allowed: a reasonable fee for a manifestly unfounded or excessive
 * request (Art 12(5)(a)), or for further copies after the first (Art 15(3)). The first copy is
 * free: a fee for it is a policy violation. The clock waits for an allowed fee.
 */
export async function requestFee(ctx: CoreContext, input: RequestFeeInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, requestFeeInput, input, ['received', 'in-progress', 'extended'], async (req, v) => {
		if (v.grounds === 'further-copies' && !(req.kind === 'access' && await hadEarlierCopy(ctx, req))) {
			const d = await applyPolicy(ctx, {
				code: 'request.fee.not-allowed',
				rule: 'UK GDPR Art 12(5), Art 15(3): the first copy is free',
				message: 'A fee for further copies needs a copy already supplied in answer to an earlier access request',
				...auditSubject(req),
				details: { requestId: req.id, grounds: v.grounds }
			});
			if (!d.ok) return d;
		}
		return {
			toState: 'awaiting-fee',
			changes: {
				feeRequestedAt: ctx.clock(),
				feePence: v.feePence,
				feeReceivedAt: null,
				particulars: { ...req.particulars, feeGrounds: v.grounds, feeJustification: v.justification }
			},
			action: 'request.fee.requested',
			details: { feePence: v.feePence, grounds: v.grounds }
		};
	});
}

const receiveFeeInput = z.object({ requestId, receivedAt: instant.optional() });
export type ReceiveFeeInput = z.input<typeof receiveFeeInput>;

/** Records that the fee arrived: the relevant time moves to its receipt. */
export async function receiveFee(ctx: CoreContext, input: ReceiveFeeInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, receiveFeeInput, input, ['awaiting-fee'], (req, v) => {
		const receivedAt = v.receivedAt === undefined ? ctx.clock() : toUtcInstant(v.receivedAt);
		const when = withinRequest(ctx, req, receivedAt, 'receivedAt');
		if (!when.ok) return when;
		if (req.feeRequestedAt !== null && receivedAt < req.feeRequestedAt) {
			return err('request.fee.before-asked', 'The fee cannot arrive before it was asked for', 'receivedAt');
		}
		return { toState: resumeState(req), changes: { feeReceivedAt: receivedAt }, action: 'request.fee.received', details: { feePence: req.feePence } };
	});
}

const extendInput = z.object({
	requestId,
	reason: z.enum(EXTENSION_REASONS),
	/** The reasons as given to the person. */
	explanation: z.string().trim().min(1, 'Record the reasons given to the person'),
	/** When the person was told, with reasons (ISO 8601 with offset); now by default. */
	notifiedAt: instant.optional()
});
export type ExtendRequestInput = z.input<typeof extendInput>;

/**
 * Extends the deadline by two further months (relevant time + 3 months, same date rules) where the
 * request is complex or the person made several requests (Art 12(3)). The person must be told,
 * with reasons, within the first month: an extension told after the original due date is refused
 * in both modes, since the deadline it would move has already passed.
 */
export async function extendRequest(ctx: CoreContext, input: ExtendRequestInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, extendInput, input, ['received', 'in-progress'], (req, v) => {
		if (req.extended) return err('request.already-extended', 'The deadline has already been extended', 'requestId');
		const notifiedAt = v.notifiedAt === undefined ? ctx.clock() : toUtcInstant(v.notifiedAt);
		const when = withinRequest(ctx, req, notifiedAt, 'notifiedAt');
		if (!when.ok) return when;
		if (ukDateOf(notifiedAt) > req.dueDate) {
			return err(
				'request.extension.too-late',
				`The person must be told of an extension within the first month, by ${req.dueDate}; it is too late to extend`,
				'notifiedAt'
			);
		}
		return {
			toState: 'extended',
			changes: { extended: true, extensionReason: `${v.reason}: ${v.explanation}`, extensionNotifiedAt: notifiedAt },
			action: 'request.extended',
			reason: v.explanation,
			details: { reason: v.reason, notifiedAt, originalDueDate: req.dueDate }
		};
	});
}

const refuseInput = z.object({
	requestId,
	grounds: z.enum(REFUSAL_GROUNDS),
	/** The recorded justification, as told to the person. */
	justification: z.string().trim().min(20, 'Record the justification for refusing in full (at least a sentence)'),
	/** The exemption relied on, e.g. "DPA 2018 Sch 2 Pt 1 para 2", when grounds is "exemption". */
	exemption: z.string().trim().min(1).optional(),
	/** The channel the refusal was sent by; the request's own by default. */
	channel: z.enum(INTERACTION_CHANNELS).optional()
});
export type RefuseRequestInput = z.input<typeof refuseInput>;

/**
 * Refuses a request in full, with a recorded justification, telling the person the reasons, their
 * right to complain to the ICO and to go to court (Art 12(4)-(5)). A refusal sent after the due
 * date is still recorded, marked late.
 */
export async function refuseRequest(ctx: CoreContext, input: RefuseRequestInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, refuseInput, input, OPEN_REQUEST_STATES, (req, v) => {
		if (v.grounds === 'exemption' && v.exemption === undefined) {
			return err('invalid', 'Name the exemption relied on', 'exemption');
		}
		const now = ctx.clock();
		const late = ukDateOf(now) > req.dueDate;
		const notice = refusalNotice(v.grounds, v.justification, v.exemption);
		return {
			toState: 'refused',
			changes: {
				refusalReason: v.justification,
				particulars: { ...req.particulars, refusal: { grounds: v.grounds, exemption: v.exemption ?? null, notice, channel: v.channel ?? req.channel } },
				respondedAt: now,
				closedAt: now
			},
			action: 'request.refused',
			reason: v.justification,
			details: { partly: false, grounds: v.grounds, toldOfIcoAndCourt: true, late, channel: v.channel ?? req.channel }
		};
	});
}

/** The refusal as told to the person: grounds, reasons, and the ICO and court wording. */
export function refusalNotice(grounds: string, justification: string, exemption?: string): string {
	const why: Record<string, string> = {
		'manifestly-unfounded': 'We consider your request manifestly unfounded (UK GDPR Article 12(5)).',
		'manifestly-excessive': 'We consider your request manifestly excessive (UK GDPR Article 12(5)).',
		exemption: `We are relying on an exemption: ${exemption ?? ''}.`,
		'right-does-not-apply': 'The right you asked to exercise does not apply in this case.',
		'legal-obligation-to-keep': 'The law requires us to keep some of your data (UK GDPR Article 17(3)).'
	};
	return `${why[grounds] ?? ''} ${justification} ${REFUSAL_RIGHTS_NOTICE}`.trim();
}

const withdrawInput = z.object({ requestId, note: z.string().trim().default('') });
export type WithdrawRequestInput = z.input<typeof withdrawInput>;

/** Records that the requester withdrew the request. */
export async function withdrawRequest(ctx: CoreContext, input: WithdrawRequestInput): Promise<Result<RightsRequest>> {
	return await requestStep(ctx, withdrawInput, input, OPEN_REQUEST_STATES, (_req, v) => ({
		toState: 'withdrawn',
		changes: { closedAt: ctx.clock() },
		action: 'request.withdrawn',
		reason: v.note
	}));
}

/** One request in the context's workspace. */
export async function getRequest(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, id: string): Promise<RightsRequest | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(rightsRequest)
		.where(and(eq(rightsRequest.workspaceId, ctx.workspaceId), eq(rightsRequest.id, id))));
}

/** The workspace's requests, or one customer's, by receipt. */
const requestRows = tableRows(rightsRequest);
/** The request lists the desk shows on every page, prepared once per connection. */
const statements = preparedStatements((client) => {
	const order = `received_at, ${client.engine === 'postgres' ? 'insertion_order' : 'rowid'}`;
	return {
		all: client.prepare<[string], Record<string, unknown>>(`select ${requestRows.columns} from ${requestRows.table} where workspace_id = ? order by ${order}`),
		ofCustomer: client.prepare<[string, string], Record<string, unknown>>(`select ${requestRows.columns} from ${requestRows.table} where workspace_id = ? and customer_id = ? order by ${order}`)
	};
});

/** The workspace's requests (or one customer's), oldest received first. */
export async function requests(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, filter: { customerId?: string } = {}): Promise<RightsRequest[]> {
	const prepared = statements(ctx.db);
	const rows = filter.customerId === undefined ? await prepared.all.all(ctx.workspaceId) : await prepared.ofCustomer.all(ctx.workspaceId, filter.customerId);
	return rows.map(requestRows.read);
}

/** A request's transitions, oldest first. */
export async function requestTransitions(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, requestIdValue: string): Promise<RequestTransition[]> {
	return await dbAll(ctx.db
		.select()
		.from(requestTransition)
		.where(and(eq(requestTransition.workspaceId, ctx.workspaceId), eq(requestTransition.requestId, requestIdValue)))
		.orderBy(requestTransition.at, insertionOrder(ctx.db, requestTransition)));
}

// ── The machinery every transition shares (also used by request-response and request-fulfilment) ──

/** The request events a state change may write (DOMAIN.md §4; audit-actions.ts). */
export type RequestEvent = Extract<AuditAction, `request.${string}`>;

/** What one transition does: the state it moves to, the columns it sets, its audit event. */
export interface RequestStep {
	toState: RequestState;
	changes?: Partial<RightsRequest>;
	action: RequestEvent;
	/** Why, for the transition row (e.g. the question asked, the refusal justification). */
	reason?: string;
	details?: AuditDetails;
}

/**
 * Applies a transition inside the caller's write transaction: recomputes the relevant time and due
 * date, updates the row, writes the request_transition row and the one audit entry.
 */
export async function applyTransition(ctx: CoreContext, req: RightsRequest, step: RequestStep): Promise<RightsRequest> {
	const draft: RightsRequest = { ...req, ...step.changes, state: step.toState, updatedAt: ctx.clock() };
	const next = { ...draft, ...schedule(draft, await regionOf(ctx)) };
	await dbRun(ctx.db
		.update(rightsRequest)
		.set(next)
		.where(and(eq(rightsRequest.workspaceId, ctx.workspaceId), eq(rightsRequest.id, req.id))));
	await recordTransition(ctx, req, next, step.reason ?? '');
	await appendAudit(ctx, {
		action: step.action,
		...auditSubject(next),
		details: {
			requestId: next.id,
			kind: next.kind,
			...step.details,
			fromState: req.state,
			toState: next.state,
			relevantTime: next.relevantTime,
			dueDate: next.dueDate,
			dueDateBefore: req.dueDate
		}
	});
	return next;
}

/**
 * Validates input, loads the request (in the workspace, in one of the allowed states), runs the
 * step's rules and applies it, all in one write transaction.
 */
async function requestStep<S extends z.ZodType<{ requestId: string }>>(
	ctx: CoreContext,
	schema: S,
	input: unknown,
	from: readonly RequestState[],
	build: (req: RightsRequest, v: z.output<S>) => RequestStep | { ok: false; error: CoreError } | Promise<RequestStep | { ok: false; error: CoreError }>
): Promise<Result<RightsRequest>> {
	const parsed = parseInput(schema, input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const req = await loadRequest(ctx, parsed.value.requestId, from);
		if (!req.ok) return req;
		const step = await build(req.value, parsed.value);
		if ('ok' in step) return step;
		return ok(await applyTransition(ctx, req.value, step));
	});
}

/** A request in the workspace whose state is one of `from`. */
export async function loadRequest(ctx: CoreContext, id: string, from: readonly RequestState[]): Promise<Result<RightsRequest>> {
	const req = await getRequest(ctx, id);
	if (!req) return err('request.not-found', `No request ${id}`, 'requestId');
	if (!from.includes(req.state)) {
		const closed = (CLOSED_REQUEST_STATES as readonly string[]).includes(req.state);
		return err(closed ? 'request.closed' : 'request.wrong-state', `This cannot be done to a request that is ${req.state}`, 'requestId');
	}
	return ok(req);
}

/** The state work resumes in after waiting for ID, clarification or a fee. */
function resumeState(req: Pick<RightsRequest, 'extended'>): RequestState {
	return req.extended ? 'extended' : 'in-progress';
}

/**
 * The relevant time and due date of a request as it now stands. ID counts only when it was
 * reasonably asked for; a fee only where one was allowed (requestFee records it only then, or as a
 * finding in record mode).
 */
function schedule(
	req: Pick<RightsRequest, 'receivedAt' | 'idReceivedAt' | 'feeReceivedAt' | 'pausedDays' | 'extended' | 'particulars'>,
	region: Parameters<typeof addClarificationPause>[2]['region']
): { relevantTime: string; dueDate: string } {
	const starts = [req.receivedAt];
	if (req.idReceivedAt !== null && req.particulars.idRequestReasonable !== false) starts.push(req.idReceivedAt);
	if (req.feeReceivedAt !== null) starts.push(req.feeReceivedAt);
	const relevantTime = starts.reduce((a, b) => (b > a ? b : a));
	return { relevantTime, dueDate: addClarificationPause(ukDateOf(relevantTime), req.pausedDays, { region, extended: req.extended }) };
}

/** Whether the request has a successful verification of the requester for its customer. */
export async function requesterVerified(ctx: CoreContext, req: RightsRequest): Promise<boolean> {
	if (req.verificationAttemptId === null || req.customerId === null) return false;
	const attempt = await dbGet(ctx.db
		.select()
		.from(verificationAttempt)
		.where(and(eq(verificationAttempt.workspaceId, ctx.workspaceId), eq(verificationAttempt.id, req.verificationAttemptId))));
	return attempt !== undefined && attempt.outcome === 'verified' && attempt.customerId === req.customerId && sameRequester(attempt, req);
}

/** Whether a verification is of the party who made the request (the person, or the same third party). */
export function sameRequester(
	attempt: Pick<typeof verificationAttempt.$inferSelect, 'requesterType' | 'thirdPartyId'>,
	req: Pick<RightsRequest, 'requesterType' | 'thirdPartyId'>
): boolean {
	return attempt.requesterType === req.requesterType && (req.thirdPartyId === null || attempt.thirdPartyId === req.thirdPartyId);
}

/** Subject convention: the customer once matched, else the request. */
export function auditSubject(req: Pick<RightsRequest, 'customerId' | 'id'>): { subjectType: 'customer' | 'request'; subject: string } {
	return req.customerId === null ? { subjectType: 'request', subject: req.id } : { subjectType: 'customer', subject: req.customerId };
}

async function recordTransition(ctx: CoreContext, before: RightsRequest | null, after: RightsRequest, reason: string): Promise<void> {
	await dbRun(ctx.db
		.insert(requestTransition)
		.values({
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			requestId: after.id,
			fromState: before?.state ?? null,
			toState: after.state,
			at: ctx.clock(),
			actorId: ctx.actor.id,
			actorRole: ctx.actor.role,
			reason,
			dueDateBefore: before?.dueDate ?? null,
			dueDateAfter: after.dueDate
		}));
}

async function regionOf(ctx: CoreContext) {
	const row = await dbGet(ctx.db.select({ region: workspace.region }).from(workspace).where(eq(workspace.id, ctx.workspaceId)));
	if (!row) throw new Error(`no workspace ${ctx.workspaceId}`);
	return row.region;
}

async function interactionInWorkspace(ctx: CoreContext, id: string): Promise<boolean> {
	return (
		await dbGet(ctx.db.select({ id: interaction.id }).from(interaction).where(and(eq(interaction.workspaceId, ctx.workspaceId), eq(interaction.id, id)))) !==
		undefined
	);
}

async function thirdPartyOfCustomer(ctx: CoreContext, thirdPartyId: string, customerId: string | undefined | null): Promise<Result<true>> {
	const tp = await dbGet(ctx.db
		.select({ customerId: authorisedThirdParty.customerId })
		.from(authorisedThirdParty)
		.where(and(eq(authorisedThirdParty.workspaceId, ctx.workspaceId), eq(authorisedThirdParty.id, thirdPartyId))));
	if (!tp || (customerId != null && tp.customerId !== customerId)) {
		return err('third-party.not-found', 'No authorised third party with that id for this customer', 'thirdPartyId');
	}
	return ok(true);
}

/** A verified attempt for this request's customer, to link to the request. */
async function verificationFor(ctx: CoreContext, req: RightsRequest, verificationId: string): Promise<Result<true>> {
	const attempt = await dbGet(ctx.db
		.select()
		.from(verificationAttempt)
		.where(and(eq(verificationAttempt.workspaceId, ctx.workspaceId), eq(verificationAttempt.id, verificationId))));
	if (!attempt) return err('verification.not-found', `No verification attempt ${verificationId}`, 'verificationId');
	if (req.customerId === null || attempt.customerId !== req.customerId) {
		return err('verification.other-customer', 'The verification is not of this request’s customer', 'verificationId');
	}
	if (attempt.outcome !== 'verified') return err('verification.not-verified', 'That verification attempt did not verify the requester', 'verificationId');
	if (!sameRequester(attempt, req)) return err('verification.other-party', 'The verification is of someone other than the requester', 'verificationId');
	return ok(true);
}

function withinRequest(ctx: CoreContext, req: RightsRequest, at: string, field: string): Result<true> {
	if (at > ctx.clock()) return err('request.in-future', 'This cannot be recorded before it happens', field);
	if (at < req.receivedAt) return err('request.before-receipt', 'This cannot happen before the request was received', field);
	return ok(true);
}

async function hadEarlierCopy(ctx: CoreContext, req: RightsRequest): Promise<boolean> {
	if (req.customerId === null) return false;
	return (await requests(ctx, { customerId: req.customerId })).some((r) => r.id !== req.id && r.kind === 'access' && r.state === 'complete');
}

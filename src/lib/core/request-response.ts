/**
 * Answering a subject access request (UK GDPR Art 15, DOMAIN.md §4): collate everything held on
 * the person, decide about other people's information in it (DPA 2018 Sch 2 Pt 3 para 16, the ICO
 * three-step test) with a recorded reason, assemble the response with every Art 15 item, and
 * complete the request, which cannot happen while an item is missing. Completion is also where
 * every other kind of request is closed once fulfilled (request-fulfilment.ts).
 *
 * Sending the copy is a disclosure to the requester and goes through the disclosure engine: a
 * requester who is not verified is refused (enforce mode) or the copy is logged as an
 * unauthorised disclosure with a breach (record mode).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbAll, dbGet, writeTransaction, insertionOrder } from './database';
import { appendAudit } from './audit';
import { recordDisclosure } from './disclosure';
import { heldValues, type HeldValue } from './held-values';
import { parseInput } from './input';
import { applyPolicy } from './policy';
import { purposes as allPurposes } from './purposes';
import { retentionRules } from './retention';
import {
	ART15_ITEMS,
	INTERACTION_CHANNELS,
	REDACTION_DECISIONS,
	authorisedThirdParty,
	consent,
	customer as customerTable,
	customerFieldHistory,
	disclosure,
	interaction,
	marketingObjection,
	redaction,
	rightsRequest,
	verificationAttempt,
	workspace,
	type Art15Item,
	type ResponseContents
} from './schema';
import { err, ok, type Result } from './result';
import {
	ELECTRONIC_CHANNELS,
	REFUSAL_GROUNDS,
	applyTransition,
	loadRequest,
	refusalNotice,
	requests as requestsOf,
	type RightsRequest
} from './requests';
import { ukDateOf } from './uk-date';

export type Redaction = typeof redaction.$inferSelect;

/** Everything held on a person, as gathered for a SAR (before redaction). */
export interface CollatedData {
	customer: { id: string; reference: string; createdAt: string; relationshipEndedAt: string | null };
	values: Array<
		Pick<HeldValue, 'field' | 'category' | 'value' | 'purposeCode' | 'lawfulBasis' | 'source' | 'sourceDetail' | 'collectedAt' | 'retainUntil' | 'accuracy' | 'restricted'> & {
			kind: HeldValue['kind'];
		}
	>;
	history: Array<{ id: string; field: string; change: string; oldValue: string | null; newValue: string | null; at: string; reason: string }>;
	interactions: Array<{ id: string; occurredAt: string; channel: string; direction: string; nature: string; notes: string; actionsTaken: string[] }>;
	disclosures: Array<{
		id: string;
		disclosedAt: string;
		recipientType: string;
		recipientName: string;
		recipientOrganisation: string;
		fields: string[];
		purposeCode: string;
		basisOrExemption: string;
		channel: string;
		authorised: boolean;
	}>;
	consents: Array<{ id: string; purposeCode: string; channel: string; method: string; noticeVersion: string; givenAt: string; withdrawnAt: string | null }>;
	marketingObjections: Array<{ id: string; channel: string; receivedAt: string }>;
	verificationAttempts: Array<{ id: string; attemptedAt: string; method: string; requesterType: string; itemsSupplied: string[]; itemsMatched: string[]; outcome: string }>;
	requests: Array<{ id: string; kind: string; receivedAt: string; state: string; dueDate: string; description: string }>;
	authorisedThirdParties: Array<{ id: string; name: string; relationship: string; authorityType: string; validFrom: string; validTo: string | null; revokedAt: string | null }>;
}

/** Where other people's information can sit in a copy, and the text fields that can be redacted. */
export const REDACTABLE_SOURCES = {
	interaction: ['notes', 'nature'],
	disclosure: ['recipientName', 'recipientOrganisation'],
	authorised_third_party: ['name'],
	rights_request: ['description'],
	customer_field_history: ['oldValue', 'newValue', 'reason']
} as const;
type RedactableTable = keyof typeof REDACTABLE_SOURCES;

const collateInput = z.object({ requestId: z.string().min(1) });
export type CollateInput = z.input<typeof collateInput>;

const WORKING_STATES = ['in-progress', 'extended', 'response-ready'] as const;

/** Gathers everything held on the request's customer; audits the counts, never the content. */
export async function collateRequestData(ctx: CoreContext, input: CollateInput): Promise<Result<CollatedData>> {
	const parsed = parseInput(collateInput, input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const req = await loadRequest(ctx, parsed.value.requestId, WORKING_STATES);
		if (!req.ok) return req;
		if (req.value.customerId === null) return err('request.not-matched', 'Match the request to a customer first', 'requestId');
		const data = await collate(ctx, req.value.customerId);
		await appendAudit(ctx, {
			action: 'request.data.collated',
			subjectType: 'customer',
			subject: req.value.customerId,
			details: {
				requestId: req.value.id,
				counts: {
					values: data.values.length,
					history: data.history.length,
					interactions: data.interactions.length,
					disclosures: data.disclosures.length,
					consents: data.consents.length,
					marketingObjections: data.marketingObjections.length,
					verificationAttempts: data.verificationAttempts.length,
					requests: data.requests.length,
					authorisedThirdParties: data.authorisedThirdParties.length,
					specialCategory: data.values.filter((v) => v.kind === 'special-category').length
				}
			}
		});
		return ok(data);
	});
}

const redactionInput = z
	.object({
		requestId: z.string().min(1),
		sourceTable: z.enum(Object.keys(REDACTABLE_SOURCES) as [RedactableTable, ...RedactableTable[]]),
		sourceId: z.string().min(1),
		sourceField: z.string().min(1),
		/** The exact passage about the other person; the whole field when omitted. Only its offsets are kept. */
		passage: z.string().min(1).optional(),
		/** The other person described without identifying them, e.g. "a neighbour who complained". */
		thirdPartyDescription: z.string().trim().min(1, 'Describe the other person without naming them'),
		decision: z.enum(REDACTION_DECISIONS),
		reason: z.string().trim().min(10, 'Record the reason for the decision')
	})
	.refine((v) => (REDACTABLE_SOURCES[v.sourceTable] as readonly string[]).includes(v.sourceField), {
		message: 'That field cannot hold information about another person in a copy',
		path: ['sourceField']
	});
export type DecideRedactionInput = z.input<typeof redactionInput>;

/** ICO three-step test: which step each decision rests on. */
const REDACTION_STEP: Record<(typeof REDACTION_DECISIONS)[number], number> = {
	'supplied-without-identifying': 1, // can it be supplied without identifying the other person?
	'supplied-with-consent': 2, // has the other person consented?
	'supplied-reasonable-without-consent': 3, // is it reasonable to disclose without consent?
	withheld: 3
};

/**
 * Records a decision about another person's information in the copy (DPA 2018 Sch 2 Pt 3 para
 * 16): withheld, or supplied without identifying them, with their consent, or because reasonable
 * without consent; with the reason.
 */
export async function decideRedaction(ctx: CoreContext, input: DecideRedactionInput): Promise<Result<Redaction>> {
	const parsed = parseInput(redactionInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const req = await loadRequest(ctx, v.requestId, WORKING_STATES);
		if (!req.ok) return req;
		if (req.value.customerId === null) return err('request.not-matched', 'Match the request to a customer first', 'requestId');
		const text = await sourceText(ctx, req.value.customerId, v.sourceTable, v.sourceId, v.sourceField);
		if (text === undefined) return err('redaction.source-not-found', `No ${v.sourceTable} ${v.sourceId} of this customer`, 'sourceId');
		let passageStart: number | null = null;
		let passageEnd: number | null = null;
		if (v.passage !== undefined) {
			const at = text.indexOf(v.passage);
			if (at < 0) return err('redaction.passage-not-found', 'That passage is not in the field', 'passage');
			passageStart = at;
			passageEnd = at + v.passage.length;
		}
		const row: Redaction = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			requestId: v.requestId,
			sourceTable: v.sourceTable,
			sourceId: v.sourceId,
			sourceField: v.sourceField,
			thirdPartyDescription: v.thirdPartyDescription,
			passageStart,
			passageEnd,
			decision: v.decision,
			reason: v.reason,
			decidedBy: ctx.actor.id,
			decidedAt: ctx.clock()
		};
		await dbRun(ctx.db.insert(redaction).values(row));
		await appendAudit(ctx, {
			action: 'request.redaction.decided',
			subjectType: 'customer',
			subject: req.value.customerId,
			details: {
				requestId: v.requestId,
				redactionId: row.id,
				decision: v.decision,
				step: REDACTION_STEP[v.decision],
				sourceTable: v.sourceTable,
				sourceId: v.sourceId,
				sourceField: v.sourceField,
				wholeField: passageStart === null
			}
		});
		return ok(row);
	});
}

/** The redaction decisions of a request, oldest first. */
export async function redactionsOf(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, requestId: string): Promise<Redaction[]> {
	return await dbAll(ctx.db
		.select()
		.from(redaction)
		.where(and(eq(redaction.workspaceId, ctx.workspaceId), eq(redaction.requestId, requestId)))
		.orderBy(asc(redaction.decidedAt), insertionOrder(ctx.db, redaction)));
}

const assembleInput = z.object({
	requestId: z.string().min(1),
	/** The Art 15 items to include; all by default. Leaving one out leaves the response incomplete. */
	items: z.array(z.enum(ART15_ITEMS)).optional()
});
export type AssembleResponseInput = z.input<typeof assembleInput>;

/** The wording of the rights item (Art 15(1)(e)) and the complaint item (Art 15(1)(f)). */
export const RIGHTS_STATEMENT = {
	rectification: 'You can ask us to correct data that is inaccurate or complete data that is incomplete (UK GDPR Article 16).',
	erasure: 'You can ask us to erase your data where one of the grounds in UK GDPR Article 17 applies.',
	restriction: 'You can ask us to restrict how we use your data, for example while its accuracy is checked (UK GDPR Article 18).',
	objection: 'You can object to our use of your data based on legitimate interests or a public task, and to direct marketing at any time (UK GDPR Article 21).'
} as const;
export const COMPLAINT_STATEMENT =
	'You have the right to complain to the Information Commissioner’s Office, the UK supervisory authority: ico.org.uk/make-a-complaint, telephone 0303 123 1113.';

/**
 * Assembles the SAR response from the record: each chosen Art 15 item built from the data held,
 * the copy with the redaction decisions applied. Moves the request to response-ready; it can be
 * assembled again while there.
 */
export async function assembleResponse(ctx: CoreContext, input: AssembleResponseInput): Promise<Result<RightsRequest>> {
	const parsed = parseInput(assembleInput, input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const loaded = await loadRequest(ctx, parsed.value.requestId, WORKING_STATES);
		if (!loaded.ok) return loaded;
		const req = loaded.value;
		if (req.kind !== 'access') return err('request.not-access', 'Only a subject access request has an Art 15 response', 'requestId');
		if (req.customerId === null) return err('request.not-matched', 'Match the request to a customer first', 'requestId');
		const chosen = new Set(parsed.value.items ?? ART15_ITEMS);
		const data = await collate(ctx, req.customerId);
		const redactions = await redactionsOf(ctx, req.id);
		const built = await buildResponse(ctx, data, redactions);
		const response: ResponseContents = Object.fromEntries(ART15_ITEMS.filter((i) => chosen.has(i)).map((i) => [i, built[i]]));
		const missing = ART15_ITEMS.filter((i) => !chosen.has(i));
		return ok(
			await applyTransition(ctx, req, {
				toState: 'response-ready',
				changes: { response },
				action: 'request.response.assembled',
				details: { itemsPresent: ART15_ITEMS.filter((i) => chosen.has(i)), itemsMissing: missing, redactions: redactions.length }
			})
		);
	});
}

const completeInput = z.object({
	requestId: z.string().min(1),
	/** The channel the response goes by; the request's own by default. */
	channel: z.enum(INTERACTION_CHANNELS).optional(),
	/** The person asked for a non-electronic answer to an electronic request (Art 15(3)). */
	requesterAskedOtherwise: z.boolean().default(false),
	/** Part of the request refused, with the recorded justification (Art 12(4)-(5), an exemption). */
	partlyRefused: z
		.object({
			grounds: z.enum(REFUSAL_GROUNDS),
			justification: z.string().trim().min(20, 'Record the justification for the part refused'),
			exemption: z.string().trim().min(1).optional()
		})
		.optional()
});
export type CompleteRequestInput = z.input<typeof completeInput>;

/**
 * Sends the response and closes the request. Refuses (in both modes) while any Art 15 item is
 * missing from an access response, or while another kind of request has not been fulfilled. The
 * copy goes to the requester through the disclosure engine. An electronic request is answered
 * electronically unless the person asked otherwise. A response after the due date is marked late.
 */
export async function completeRequest(ctx: CoreContext, input: CompleteRequestInput): Promise<Result<RightsRequest>> {
	const parsed = parseInput(completeInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const loaded = await loadRequest(ctx, v.requestId, ['response-ready']);
		if (!loaded.ok) return loaded;
		const req = loaded.value;
		if (req.customerId === null) return err('request.not-matched', 'Match the request to a customer first', 'requestId');
		const channel = v.channel ?? req.channel;
		const now = ctx.clock();
		const late = ukDateOf(now) > req.dueDate;

		let disclosureId: string | null = null;
		let partly = v.partlyRefused;
		let refusedInFull = false;
		if (req.kind === 'access') {
			const missing = ART15_ITEMS.filter((i) => !(req.response !== null && i in req.response));
			if (missing.length > 0) {
				// UK GDPR Art 15(1)-(3): a response cannot be complete while any item is missing.
				return err('request.response.incomplete', `The response is missing: ${missing.join(', ')}`, 'response');
			}
			// Art 15(3): a request made electronically is answered in a commonly used electronic form.
			if (req.electronic && !(ELECTRONIC_CHANNELS as readonly string[]).includes(channel) && !v.requesterAskedOtherwise) {
				const d = await applyPolicy(ctx, {
					code: 'request.response.not-electronic',
					rule: 'UK GDPR Art 15(3)',
					message: 'The request was made electronically: answer electronically unless the person asked otherwise',
					subjectType: 'customer',
					subject: req.customerId,
					details: { requestId: req.id, channel }
				});
				if (!d.ok) return d;
			}
			const fields = (await heldValues(ctx, req.customerId))
				.filter((h) => h.value !== null)
				.map((h) => h.field);
			if (fields.length > 0) {
				const sent = await recordDisclosure(
					ctx,
					{
						customerId: req.customerId,
						recipient: {
							type: req.requesterType,
							organisation: '',
							role: '',
							thirdPartyId: req.thirdPartyId ?? undefined,
							verifiedHow: ''
						},
						fields,
						prejudiceTest: '',
						authorityEvidence: '',
						channel,
						requestId: req.id,
						interactionId: req.interactionId ?? undefined,
						verificationId: req.verificationAttemptId ?? undefined
					},
					'supplied'
				);
				if (!sent.ok) return sent;
				disclosureId = sent.value.disclosure.id;
			}
		} else {
			const outcome = req.particulars.outcome as { refused?: boolean; held?: number; heldReasons?: string[]; justification?: string } | undefined;
			if (outcome === undefined) return err('request.not-fulfilled', 'Carry out the request before completing it', 'requestId');
			if (outcome.refused === true) {
				refusedInFull = true;
				partly = { grounds: 'right-does-not-apply', justification: outcome.justification ?? '' };
			} else if ((outcome.held ?? 0) > 0 && partly === undefined) {
				// UK GDPR Art 17(3)(b),(e): what the law requires to be kept is refused, with the reasons.
				partly = {
					grounds: 'right-does-not-apply',
					justification: `Some data must be kept by law and was not erased: ${(outcome.heldReasons ?? []).join('; ')}.`,
					exemption: undefined
				};
			}
		}

		// An erasure partly refused because the law requires keeping some data says so in its notice.
		const keptByLaw = req.kind === 'erasure' && !refusedInFull && partly?.grounds === 'right-does-not-apply';
		const refusal =
			partly === undefined
				? null
				: {
						grounds: partly.grounds,
						exemption: partly.exemption ?? null,
						notice: refusalNotice(keptByLaw ? 'legal-obligation-to-keep' : partly.grounds, partly.justification, partly.exemption),
						channel
					};
		const toState = refusedInFull ? 'refused' : partly === undefined ? 'complete' : 'partly-refused';
		return ok(
			await applyTransition(ctx, req, {
				toState,
				changes: {
					respondedAt: now,
					closedAt: now,
					refusalReason: partly?.justification ?? null,
					particulars: refusal === null ? req.particulars : { ...req.particulars, refusal }
				},
				action: partly === undefined ? 'request.completed' : 'request.refused',
				reason: partly?.justification ?? '',
				details:
					partly === undefined
						? { items: req.kind === 'access' ? [...ART15_ITEMS] : [], channel, late, disclosureId }
						: { partly: !refusedInFull, grounds: partly.grounds, toldOfIcoAndCourt: true, channel, late, disclosureId }
			})
		);
	});
}

// ── Collation and the Art 15 items ──

async function collate(ctx: CoreContext, customerId: string): Promise<CollatedData> {
	const ws = ctx.workspaceId;
	const customerRow = await dbGet(ctx.db
		.select()
		.from(customerTable)
		.where(and(eq(customerTable.workspaceId, ws), eq(customerTable.id, customerId))));
	if (!customerRow) throw new Error(`collate: no customer ${customerId}`);
	const values = (await heldValues(ctx, customerId))
		.filter((h) => h.value !== null)
		.map((h) => ({
			kind: h.kind,
			field: h.field,
			category: h.category,
			value: h.value,
			purposeCode: h.purposeCode,
			lawfulBasis: h.lawfulBasis,
			source: h.source,
			sourceDetail: h.sourceDetail,
			collectedAt: h.collectedAt,
			retainUntil: h.retainUntil,
			accuracy: h.accuracy,
			restricted: h.restricted
		}));
	const history = (await dbAll(ctx.db
		.select()
		.from(customerFieldHistory)
		.where(and(eq(customerFieldHistory.workspaceId, ws), eq(customerFieldHistory.customerId, customerId)))
		.orderBy(asc(customerFieldHistory.at), insertionOrder(ctx.db, customerFieldHistory))))
		.map((h) => ({ id: h.id, field: h.field, change: h.change, oldValue: h.oldValue, newValue: h.newValue, at: h.at, reason: h.reason }));
	const interactions = (await dbAll(ctx.db
		.select()
		.from(interaction)
		.where(and(eq(interaction.workspaceId, ws), eq(interaction.customerId, customerId)))
		.orderBy(asc(interaction.occurredAt), insertionOrder(ctx.db, interaction))))
		.map((i) => ({ id: i.id, occurredAt: i.occurredAt, channel: i.channel, direction: i.direction, nature: i.nature, notes: i.notes, actionsTaken: i.actionsTaken }));
	const disclosures = (await dbAll(ctx.db
		.select()
		.from(disclosure)
		.where(and(eq(disclosure.workspaceId, ws), eq(disclosure.customerId, customerId)))
		.orderBy(asc(disclosure.disclosedAt), insertionOrder(ctx.db, disclosure))))
		.map((d) => ({
			id: d.id,
			disclosedAt: d.disclosedAt,
			recipientType: d.recipientType,
			recipientName: d.recipientName,
			recipientOrganisation: d.recipientOrganisation,
			fields: d.fields,
			purposeCode: d.purposeCode,
			basisOrExemption: d.basisOrExemption,
			channel: d.channel,
			authorised: d.authorised
		}));
	const consents = (await dbAll(ctx.db
		.select()
		.from(consent)
		.where(and(eq(consent.workspaceId, ws), eq(consent.customerId, customerId)))
		.orderBy(asc(consent.givenAt), insertionOrder(ctx.db, consent))))
		.map((c) => ({ id: c.id, purposeCode: c.purposeCode, channel: c.channel, method: c.method, noticeVersion: c.noticeVersion, givenAt: c.givenAt, withdrawnAt: c.withdrawnAt }));
	const marketingObjections = (await dbAll(ctx.db
		.select()
		.from(marketingObjection)
		.where(and(eq(marketingObjection.workspaceId, ws), eq(marketingObjection.customerId, customerId)))
		.orderBy(asc(marketingObjection.receivedAt), insertionOrder(ctx.db, marketingObjection))))
		.map((m) => ({ id: m.id, channel: m.channel, receivedAt: m.receivedAt }));
	const verificationAttempts = (await dbAll(ctx.db
		.select()
		.from(verificationAttempt)
		.where(and(eq(verificationAttempt.workspaceId, ws), eq(verificationAttempt.customerId, customerId)))
		.orderBy(asc(verificationAttempt.attemptedAt), insertionOrder(ctx.db, verificationAttempt))))
		.map((a) => ({ id: a.id, attemptedAt: a.attemptedAt, method: a.method, requesterType: a.requesterType, itemsSupplied: a.itemsSupplied, itemsMatched: a.itemsMatched, outcome: a.outcome }));
	const requests = (await requestsOf(ctx, { customerId })).map((r) => ({
		id: r.id,
		kind: r.kind,
		receivedAt: r.receivedAt,
		state: r.state,
		dueDate: r.dueDate,
		description: r.description
	}));
	const authorisedThirdParties = (await dbAll(ctx.db
		.select()
		.from(authorisedThirdParty)
		.where(and(eq(authorisedThirdParty.workspaceId, ws), eq(authorisedThirdParty.customerId, customerId)))
		.orderBy(asc(authorisedThirdParty.recordedAt), insertionOrder(ctx.db, authorisedThirdParty))))
		.map((t) => ({ id: t.id, name: t.name, relationship: t.relationship, authorityType: t.authorityType, validFrom: t.validFrom, validTo: t.validTo, revokedAt: t.revokedAt }));
	return {
		customer: { id: customerRow.id, reference: customerRow.reference, createdAt: customerRow.createdAt, relationshipEndedAt: customerRow.relationshipEndedAt },
		values,
		history,
		interactions,
		disclosures,
		consents,
		marketingObjections,
		verificationAttempts,
		requests,
		authorisedThirdParties
	};
}

/** The collated data with each redaction decision applied: withheld passages replaced, others described. */
export function applyRedactions(data: CollatedData, redactions: readonly Redaction[]): CollatedData {
	const copy = structuredClone(data);
	const lists: Record<RedactableTable, Array<Record<string, unknown> & { id: string }>> = {
		interaction: copy.interactions,
		disclosure: copy.disclosures,
		authorised_third_party: copy.authorisedThirdParties,
		rights_request: copy.requests,
		customer_field_history: copy.history
	};
	// Later passages first, so earlier offsets in the same field stay valid.
	const ordered = [...redactions].sort((a, b) => (b.passageStart ?? -1) - (a.passageStart ?? -1));
	for (const r of ordered) {
		if (r.decision === 'supplied-with-consent' || r.decision === 'supplied-reasonable-without-consent') continue;
		const target = lists[r.sourceTable as RedactableTable]?.find((row) => row.id === r.sourceId);
		const text = target?.[r.sourceField];
		if (typeof text !== 'string') continue;
		const replacement = r.decision === 'withheld' ? '[withheld: information about another person]' : `[${r.thirdPartyDescription}]`;
		target![r.sourceField] =
			r.passageStart === null || r.passageEnd === null ? replacement : text.slice(0, r.passageStart) + replacement + text.slice(r.passageEnd);
	}
	return copy;
}

async function buildResponse(ctx: CoreContext, data: CollatedData, redactions: readonly Redaction[]): Promise<Record<Art15Item, unknown>> {
	const copy = applyRedactions(data, redactions);
	const heldPurposeCodes = new Set([...data.values.map((v) => v.purposeCode), ...data.consents.filter((c) => c.withdrawnAt === null).map((c) => c.purposeCode)]);
	const purposeRows = (await allPurposes(ctx)).filter((p) => heldPurposeCodes.has(p.code));
	const rules = new Map((await retentionRules(ctx)).map((r) => [r.id, r]));
	const held = (await heldValues(ctx, data.customer.id)).filter((h) => h.value !== null);
	const organisation = await dbGet(ctx.db.select().from(workspace).where(eq(workspace.id, ctx.workspaceId)));
	const categories = [...new Set(data.values.map((v) => v.category))];
	const byCategory = new Map<string, HeldValue[]>();
	for (const h of held) byCategory.set(h.category, [...(byCategory.get(h.category) ?? []), h]);
	const notFromPerson = data.values.filter((v) => v.source !== 'data-subject');
	const automated = purposeRows.filter((p) => p.automatedDecisionMaking !== '');
	const transfers = purposeRows.filter((p) => p.transfers !== '');
	// Art 15(1)(c): recipients are those the data went to, not the person themselves.
	const recipients = copy.disclosures.filter((d) => d.recipientType !== 'data-subject');
	return {
		confirmation: {
			processing: data.values.length > 0,
			statement:
				data.values.length > 0
					? `${organisation?.organisationName ?? 'We'} process${organisation ? 'es' : ''} personal data about you.`
					: 'We do not hold personal data about you beyond the record of this request.'
		},
		copy,
		purposes: purposeRows.map((p) => ({ code: p.code, name: p.name, description: p.description, lawfulBasis: p.lawfulBasis, basisDetail: p.basisDetail })),
		categories,
		recipients:
			recipients.length > 0
				? recipients.map((d) => ({
						recipientType: d.recipientType,
						recipient: [d.recipientName, d.recipientOrganisation].filter((s) => s !== '').join(', '),
						fields: d.fields,
						disclosedAt: d.disclosedAt,
						basisOrExemption: d.basisOrExemption,
						authorised: d.authorised
					}))
				: { statement: 'Your data has not been disclosed to anyone outside the organisation.' },
		retention: [...byCategory.entries()].map(([category, values]) => {
			const ruleIds = [...new Set(values.map((h) => h.retentionRuleId))];
			return {
				category,
				rules: ruleIds.map((id) => {
					const rule = rules.get(id);
					return rule ? { description: rule.description, periodMonths: rule.periodMonths, trigger: rule.trigger, authority: rule.authority } : { id };
				}),
				retainUntil: [...new Set(values.map((h) => h.retainUntil).filter((d) => d !== null))]
			};
		}),
		rights: RIGHTS_STATEMENT,
		complaint: COMPLAINT_STATEMENT,
		source:
			notFromPerson.length > 0
				? notFromPerson.map((v) => ({ field: v.field, source: v.source, detail: v.sourceDetail }))
				: { statement: 'All the data we hold about you came from you.' },
		automatedDecisionMaking:
			automated.length > 0
				? automated.map((p) => ({ purpose: p.code, logic: p.automatedDecisionMaking }))
				: { statement: 'We do not make decisions about you based solely on automated processing, including profiling.' },
		transferSafeguards:
			transfers.length > 0
				? transfers.map((p) => ({ purpose: p.code, safeguards: p.transfers }))
				: { statement: 'Your data is not transferred outside the UK.' }
	};
}

async function sourceText(ctx: CoreContext, customerId: string, table: RedactableTable, id: string, field: string): Promise<string | undefined> {
	const ws = ctx.workspaceId;
	const pick = (row: Record<string, unknown> | undefined) => {
		const value = row?.[field];
		return typeof value === 'string' ? value : undefined;
	};
	switch (table) {
		case 'interaction':
			return pick(await dbGet(ctx.db.select().from(interaction).where(and(eq(interaction.workspaceId, ws), eq(interaction.id, id), eq(interaction.customerId, customerId)))));
		case 'disclosure':
			return pick(await dbGet(ctx.db.select().from(disclosure).where(and(eq(disclosure.workspaceId, ws), eq(disclosure.id, id), eq(disclosure.customerId, customerId)))));
		case 'authorised_third_party':
			return pick(
				await dbGet(ctx.db
					.select()
					.from(authorisedThirdParty)
					.where(and(eq(authorisedThirdParty.workspaceId, ws), eq(authorisedThirdParty.id, id), eq(authorisedThirdParty.customerId, customerId))))
			);
		case 'rights_request':
			return pick(await dbGet(ctx.db.select().from(rightsRequest).where(and(eq(rightsRequest.workspaceId, ws), eq(rightsRequest.id, id), eq(rightsRequest.customerId, customerId)))));
		case 'customer_field_history':
			return pick(
				await dbGet(ctx.db
					.select()
					.from(customerFieldHistory)
					.where(and(eq(customerFieldHistory.workspaceId, ws), eq(customerFieldHistory.id, id), eq(customerFieldHistory.customerId, customerId))))
			);
	}
}

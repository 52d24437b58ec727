/**
 * Carrying out rectification (Art 16), restriction (Art 18), erasure (Art 17) and objection
 * (Art 21) requests, within the same clock as access. Each runs the record-changing operations of
 * the customer modules (correctField, restrictField, eraseCustomerData, recordMarketingObjection…)
 * inside one write transaction with the request's own transition to response-ready, so the change
 * and the request's state commit together or not at all. completeRequest then tells the person;
 * notifyRecipients tells the recipients in the disclosure log (Art 19).
 *
 * Changing someone's record needs a verified requester: otherwise refused (enforce mode) or a
 * finding (record mode). The exception is an objection to direct marketing, which is absolute and
 * immediate (Art 21(3)): it is acted on from any open state, verified or not.
 */
import { filterInOrder } from './in-order';
import { and } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { writeTransaction } from './database';
import { appendAudit } from './audit';
import { recordMarketingObjection } from './consent';
import { completeField, contestField, correctField } from './corrections';
import { findCustomer } from './customers';
import { disposeOfValue, eraseCustomerData } from './erasure';
import { heldOnExplicitConsent } from './explicit-consent';
import { heldValues, type HeldValue } from './held-values';
import { parseInput } from './input';
import { applyLegalHold } from './legal-hold';
import { applyPolicy } from './policy';
import { findPurpose } from './purposes';
import { retentionRules } from './retention';
import { RESTRICTION_GROUNDS, restrictField } from './restriction';
import { err, ok, type CoreError, type Result } from './result';
import { OBJECTION_CHANNELS } from './schema';
import { OPEN_REQUEST_STATES, applyTransition, auditSubject, loadRequest, requesterVerified, type RightsRequest } from './requests';
import { ukDateOf } from './uk-date';

/** UK GDPR Art 17(1)(a)-(f): the only grounds on which the right to erasure applies. */
export const ERASURE_GROUNDS = {
	'no-longer-necessary': 'Art 17(1)(a): no longer necessary for the purposes collected for',
	'consent-withdrawn': 'Art 17(1)(b): consent withdrawn and no other lawful basis',
	'objection-upheld': 'Art 17(1)(c): an objection upheld, or an objection to direct marketing',
	'unlawfully-processed': 'Art 17(1)(d): processed unlawfully',
	'legal-obligation-to-erase': 'Art 17(1)(e): erasure required by law',
	'child-online-service': 'Art 17(1)(f): collected from a child for an online service'
} as const;
export type ErasureGround = keyof typeof ERASURE_GROUNDS;

/**
 * Retention rules whose authority is a duty in law to keep the records (Art 17(3)(b)), recognised
 * by the enactment the rule cites. A limitation period (e.g. Limitation Act 1980 s5) is not such a
 * duty: keeping data for a claim needs a legal hold for "legal-claims" (Art 17(3)(e)).
 * An interpretation of the rule's free-text authority, kept in one named place.
 */
export const RETENTION_DUTIES = [
	{ pattern: /\bMLR 2017\b|Money Laundering/i, reasonCode: 'money-laundering-records' },
	{ pattern: /Taxes Management Act|Value Added Tax Act|VAT Act 1994/i, reasonCode: 'tax-records' },
	{ pattern: /Companies Act 2006/i, reasonCode: 'legal-obligation' }
] as const;

/** Lawful bases an Art 21(1) objection can be made against. */
const OBJECTABLE_BASES = ['legitimate-interests', 'recognised-legitimate-interests', 'public-task'];

/** Bases under which data for a live relationship is still necessary (Art 17(1)(a) does not reach it). */
const STILL_NECESSARY_BASES = ['contract', 'legal-obligation'];

/** The request's outcome, kept in particulars.outcome for completion and Art 19. */
export interface FulfilmentOutcome {
	kind: 'rectified' | 'restricted' | 'erased' | 'objection-decided';
	/** Fields changed (for Art 19, the recipients of these are told); "all" for a full erasure. */
	fields: string[] | 'all';
	/** The right was not applied at all (e.g. an objection where Art 21(1) does not apply). */
	refused?: boolean;
	justification?: string;
	/** Values kept: legal holds, or still necessary. */
	held?: number;
	heldReasons?: string[];
	[key: string]: unknown;
}

const correction = z.object({
	field: z.string().min(1),
	newValue: z.string(),
	reason: z.string().trim().min(1, 'Give the reason for the correction')
});
const statement = z.object({ field: z.string().min(1), statement: z.string().trim().min(1) });

const rectifyInput = z
	.object({
		requestId: z.string().min(1),
		corrections: z.array(correction).default([]),
		/** Incomplete data completed by a supplementary statement (Art 16). */
		statements: z.array(statement).default([])
	})
	.refine((v) => v.corrections.length + v.statements.length > 0, { message: 'Give at least one correction or statement', path: ['corrections'] });
export type FulfilRectificationInput = z.input<typeof rectifyInput>;

/** Rectifies inaccurate data and completes incomplete data, keeping the history (Art 16). */
export async function fulfilRectification(ctx: CoreContext, input: FulfilRectificationInput): Promise<Result<RightsRequest>> {
	const parsed = parseInput(rectifyInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await fulfil(ctx, v.requestId, 'rectification', async (req, customerId, run) => {
		for (const c of v.corrections) {
			const done = await run(async () => await correctField(ctx, { customerId, field: c.field, newValue: c.newValue, reason: c.reason, requestId: req.id }));
			if (!done.ok) return done;
		}
		for (const s of v.statements) {
			const done = await run(async () => await completeField(ctx, { customerId, field: s.field, statement: s.statement, requestId: req.id }));
			if (!done.ok) return done;
		}
		const fields = [...new Set([...v.corrections.map((c) => c.field), ...v.statements.map((s) => s.field)])];
		return ok({ kind: 'rectified', fields });
	});
}

const restrictInput = z.object({
	requestId: z.string().min(1),
	fields: z.array(z.string().min(1)).min(1, 'Name the fields to restrict'),
	ground: z.enum(RESTRICTION_GROUNDS),
	reason: z.string().trim().min(1, 'Give the reason')
});
export type FulfilRestrictionInput = z.input<typeof restrictInput>;

/**
 * Restricts processing (Art 18(1)). Where the accuracy is contested the fields are flagged
 * contested too, to be checked while restricted. Before lifting, the person must be told
 * (notifyRestrictionLift, Art 18(3)).
 */
export async function fulfilRestriction(ctx: CoreContext, input: FulfilRestrictionInput): Promise<Result<RightsRequest>> {
	const parsed = parseInput(restrictInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await fulfil(ctx, v.requestId, 'restriction', async (req, customerId, run) => {
		if (v.ground === 'accuracy-contested') {
			const held = new Map((await heldValues(ctx, customerId)).map((h) => [h.field, h]));
			for (const field of v.fields) {
				if (held.get(field)?.accuracy === 'contested') continue;
				const done = await run(async () => await contestField(ctx, { customerId, field, reason: v.reason, requestId: req.id }));
				if (!done.ok) return done;
			}
		}
		const done = await run(async () => await restrictField(ctx, { customerId, fields: v.fields, ground: v.ground, reason: v.reason, requestId: req.id }));
		if (!done.ok) return done;
		return ok({ kind: 'restricted', fields: [...new Set(v.fields)], ground: v.ground });
	});
}

const eraseInput = z.object({
	requestId: z.string().min(1),
	ground: z.enum(Object.keys(ERASURE_GROUNDS) as [ErasureGround, ...ErasureGround[]]),
	/** For "objection-upheld": the purposes objected to; direct-marketing purposes by default. */
	purposeCodes: z.array(z.string().min(1)).optional()
});
export type FulfilErasureInput = z.input<typeof eraseInput>;

/**
 * Erases on an Art 17(1) ground. What the ground reaches:
 * - no-longer-necessary: everything once the relationship has ended; while it lasts, only data on
 *   bases other than contract and legal obligation (the rest is still necessary, and kept);
 * - consent-withdrawn: data held on consent, and special category data held on explicit consent;
 *   objection-upheld: data of the purposes objected to;
 * - unlawfully-processed, legal-obligation-to-erase, child-online-service: everything.
 * Art 17(3)(b),(e): values under a legal hold, or under a retention rule citing a duty in law to
 * keep them (RETENTION_DUTIES, e.g. "MLR 2017 reg 40") that is still running, are kept: a hold is
 * applied with the rule's authority as reason, so the record shows why. A full erasure keeps a suppression entry
 * and also clears the person's words from interactions and requests (the disclosure log stays, for Art 19).
 */
export async function fulfilErasure(ctx: CoreContext, input: FulfilErasureInput): Promise<Result<RightsRequest>> {
	const parsed = parseInput(eraseInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await fulfil(ctx, v.requestId, 'erasure', async (req, customerId, run) => {
		const person = (await findCustomer(ctx, customerId))!;
		const today = ukDateOf(ctx.clock());
		const values = (await heldValues(ctx, customerId)).filter((h) => h.value !== null && h.erasedAt === null);
		const onExplicitConsent = new Set((await heldOnExplicitConsent(ctx, customerId)).map((h) => h.id));
		const objected = new Set(
			v.purposeCodes ??
				await filterInOrder(values
					.map((h) => h.purposeCode), async (code) => (await findPurpose(ctx, code))?.directMarketing === true)
		);
		const reaches = (h: HeldValue): boolean => {
			switch (v.ground) {
				case 'no-longer-necessary':
					return person.relationshipEndedAt !== null || !STILL_NECESSARY_BASES.includes(h.lawfulBasis);
				case 'consent-withdrawn':
					// Art 17(1)(b): consent under Art 6(1)(a), or explicit consent under Art 9(2)(a).
					return h.lawfulBasis === 'consent' || onExplicitConsent.has(h.id);
				case 'objection-upheld':
					return objected.has(h.purposeCode);
				default:
					return true;
			}
		};
		const inScope = values.filter(reaches);
		const stillNecessary = values.length - inScope.length;

		// Legal retention duties still running become legal holds, with the law as the reason.
		const rules = new Map((await retentionRules(ctx)).map((r) => [r.id, r]));
		// Each hold keeps its values for the purpose the duty serves, until their retain-until date.
		const holds = new Map<string, { authority: string; reasonCode: (typeof RETENTION_DUTIES)[number]['reasonCode']; purposeCode: string; until: string | null; fields: string[] }>();
		for (const h of inScope) {
			const rule = rules.get(h.retentionRuleId);
			const duty = rule === undefined ? undefined : RETENTION_DUTIES.find((d) => d.pattern.test(rule.authority));
			if (h.legalHold || !rule || !duty || (h.retainUntil !== null && h.retainUntil < today)) continue;
			const key = JSON.stringify([rule.authority, h.purposeCode, h.retainUntil]);
			const entry = holds.get(key) ?? { authority: rule.authority, reasonCode: duty.reasonCode, purposeCode: h.purposeCode, until: h.retainUntil, fields: [] };
			entry.fields.push(h.field);
			holds.set(key, entry);
		}
		for (const { authority, reasonCode, purposeCode, until, fields } of holds.values()) {
			const held = await run(async () => await applyLegalHold(ctx, { customerId, fields, reason: authority, reasonCode, purposeCode, ...(until === null ? {} : { until }) }));
			if (!held.ok) return held;
		}

		const reason = ERASURE_GROUNDS[v.ground];
		const whole = inScope.length === values.length;
		let heldBack: { field: string; reason: string }[] = [];
		let erased = 0;
		if (whole) {
			const outcome = await run(async () => await eraseCustomerData(ctx, { customerId, categories: 'all', requestId: req.id, reason }));
			if (!outcome.ok) return outcome;
			heldBack = outcome.value.held;
			erased = Object.values(outcome.value.counts).reduce((a, b) => a + b, 0);
		} else {
			const counts: Record<string, number> = {};
			const heldCounts: Record<string, number> = {};
			for (const h of (await heldValues(ctx, customerId)).filter((x) => inScope.some((s) => s.id === x.id))) {
				if (await disposeOfValue(ctx, h, 'erase', reason, req.id)) {
					counts[h.category] = (counts[h.category] ?? 0) + 1;
					erased++;
				} else {
					heldBack.push({ field: h.field, reason: h.legalHoldReason });
					heldCounts[h.category] = (heldCounts[h.category] ?? 0) + 1;
				}
			}
			await appendAudit(ctx, {
				action: 'customer.erased',
				subjectType: 'customer',
				subject: customerId,
				details: { method: 'erased', ground: v.ground, categories: 'selected', counts, heldCounts, requestId: req.id }
			});
		}
		const heldReasons = [...new Set(heldBack.map((h) => h.reason))];
		if (stillNecessary > 0) heldReasons.push('data still necessary for the contract or a legal obligation while the account is open (Art 17(1)(a) does not apply)');
		return ok({
			kind: 'erased',
			fields: whole ? 'all' : inScope.map((h) => h.field),
			ground: v.ground,
			erased,
			held: heldBack.length + stillNecessary,
			heldReasons
		});
	});
}

const objectionInput = z
	.object({
		requestId: z.string().min(1),
		/** An objection to direct marketing: absolute and immediate (Art 21(2)-(3)). */
		directMarketing: z.object({ channel: z.enum(OBJECTION_CHANNELS) }).optional(),
		/** An objection to other processing (Art 21(1)). */
		processing: z
			.object({
				purposeCode: z.string().min(1),
				decision: z.enum(['stop', 'continue']),
				/** Art 21(1): what continuing rests on: compelling legitimate grounds that override the person's interests, or legal claims. */
				continueOn: z.enum(['compelling-legitimate-grounds', 'legal-claims']).default('compelling-legitimate-grounds'),
				/** The grounds, or the legal claim, recorded in words. */
				compellingGrounds: z.string().trim().optional()
			})
			.optional()
	})
	.refine((v) => v.directMarketing !== undefined || v.processing !== undefined, { message: 'Say what the person objects to', path: ['processing'] });
export type FulfilObjectionInput = z.input<typeof objectionInput>;

/** The least a statement of compelling legitimate grounds must be: a reasoned sentence. */
const COMPELLING_GROUNDS_MIN = 20;

/**
 * Acts on an objection. Direct marketing stops at once on the channel (or all), and an objection
 * to a direct-marketing purpose is one too: absolute and immediate (Art 21(3)), no grounds, however
 * compelling, override it. Other processing (Art 21(1), on public task or legitimate interests)
 * stops (its values are restricted: only stored), unless compelling legitimate grounds that override
 * the person's interests, or legal claims, are recorded; an objection to processing on a basis
 * Art 21(1) does not cover is refused with reasons.
 */
export async function fulfilObjection(ctx: CoreContext, input: FulfilObjectionInput): Promise<Result<RightsRequest>> {
	const parsed = parseInput(objectionInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	const toMarketing = v.processing !== undefined && (await findPurpose(ctx, v.processing.purposeCode))?.directMarketing === true;
	const marketingOnly = v.processing === undefined || toMarketing;
	return await fulfil(
		ctx,
		v.requestId,
		'objection',
		async (req, customerId, run) => {
			const outcome: FulfilmentOutcome = { kind: 'objection-decided', fields: [] };
			if (v.directMarketing) {
				const done = await run(async () => await recordMarketingObjection(ctx, { customerId, channel: v.directMarketing!.channel, requestId: req.id }));
				if (!done.ok) return done;
				outcome.marketingStopped = v.directMarketing.channel;
			}
			if (v.processing) {
				const p = v.processing;
				const purposeRow = await findPurpose(ctx, p.purposeCode);
				if (!purposeRow) return err('purpose.not-found', `No purpose ${p.purposeCode}`, 'processing.purposeCode');
				await appendAudit(ctx, {
					action: 'objection.recorded',
					subjectType: 'customer',
					subject: customerId,
					details: { purposeCode: p.purposeCode, lawfulBasis: purposeRow.lawfulBasis, requestId: req.id }
				});
				if (purposeRow.directMarketing) {
					if (p.decision === 'continue') {
						// UK GDPR Art 21(3): compelling grounds belong to Art 21(1) only. Record mode keeps the finding,
						// but direct marketing never continues after an objection, so both modes refuse.
						const d = await applyPolicy(ctx, {
							code: 'objection.direct-marketing-absolute',
							rule: 'UK GDPR Art 21(3)',
							message: 'An objection to direct marketing is absolute: no grounds, however compelling, let the marketing continue',
							field: 'processing.decision',
							subjectType: 'customer',
							subject: customerId,
							details: { purposeCode: p.purposeCode, requestId: req.id }
						});
						if (!d.ok) return d;
						return err('objection.direct-marketing-absolute', d.value.message, 'processing.decision');
					}
					if (!v.directMarketing) {
						const done = await run(async () => await recordMarketingObjection(ctx, { customerId, channel: 'all', requestId: req.id }));
						if (!done.ok) return done;
						outcome.marketingStopped = 'all';
					}
					await appendAudit(ctx, {
						action: 'objection.decided',
						subjectType: 'customer',
						subject: customerId,
						details: { purposeCode: p.purposeCode, decision: 'stop', absolute: true, groundsRecorded: false, requestId: req.id }
					});
					outcome.processingDecision = 'stop';
					return ok(outcome);
				}
				if (!OBJECTABLE_BASES.includes(purposeRow.lawfulBasis)) {
					await appendAudit(ctx, {
						action: 'objection.decided',
						subjectType: 'customer',
						subject: customerId,
						details: { purposeCode: p.purposeCode, decision: 'not-applicable', lawfulBasis: purposeRow.lawfulBasis, requestId: req.id }
					});
					return ok({
						...outcome,
						refused: v.directMarketing === undefined,
						justification: `The right to object (UK GDPR Article 21(1)) applies to processing based on legitimate interests or a public task; ${purposeRow.name} is based on ${purposeRow.lawfulBasis}.`,
						processingDecision: 'not-applicable'
					});
				}
				const decision = p.decision;
				if (decision === 'continue' && (p.compellingGrounds ?? '').length < COMPELLING_GROUNDS_MIN) {
					const d = await applyPolicy(ctx, {
						code: 'objection.no-compelling-grounds',
						rule: 'UK GDPR Art 21(1)',
						message: 'Processing may continue after an objection only on recorded compelling legitimate grounds that override the person’s interests, or for legal claims',
						subjectType: 'customer',
						subject: customerId,
						details: { purposeCode: p.purposeCode, requestId: req.id }
					});
					if (!d.ok) return d;
				}
				if (decision === 'stop') {
					const fields = (await heldValues(ctx, customerId))
						.filter((h) => h.purposeCode === p.purposeCode && h.value !== null && !h.restricted)
						.map((h) => h.field);
					if (fields.length > 0) {
						const done = await run(async () =>
							await restrictField(ctx, { customerId, fields, ground: 'objection-pending', reason: `objection upheld: processing for “${purposeRow.name}” stopped`, requestId: req.id })
						);
						if (!done.ok) return done;
						outcome.fields = fields;
					}
				}
				await appendAudit(ctx, {
					action: 'objection.decided',
					subjectType: 'customer',
					subject: customerId,
					details: {
						purposeCode: p.purposeCode,
						decision,
						absolute: false,
						...(decision === 'continue' ? { continueOn: p.continueOn } : {}),
						groundsRecorded: (p.compellingGrounds ?? '').length >= COMPELLING_GROUNDS_MIN,
						requestId: req.id
					}
				});
				outcome.processingDecision = decision;
				if (decision === 'continue') {
					outcome.compellingGrounds = p.compellingGrounds ?? '';
					outcome.continueOn = p.continueOn;
					// Continuing is a refusal of the objection: the person is told why, and of the ICO and the courts.
					if (v.directMarketing === undefined) {
						outcome.refused = true;
						outcome.justification = p.compellingGrounds || 'Processing continues on compelling legitimate grounds.';
					}
				}
			}
			return ok(outcome);
		},
		marketingOnly
	);
}

// ── Shared machinery ──

/** Thrown to roll back the whole operation when a step fails after earlier steps wrote. */
class Rollback extends Error {
	constructor(readonly failure: { ok: false; error: CoreError }) {
		super(failure.error.message);
	}
}

type Runner = <T>(op: () => Promise<Result<T>>) => Promise<Result<T>>;

/**
 * Loads the request (in progress, or for marketing objections any open state), checks it is of
 * the kind, matched and (unless exempt) verified, runs the work, and moves it to response-ready
 * with the outcome. A failing step after others have written rolls everything back.
 */
async function fulfil(
	ctx: CoreContext,
	requestId: string,
	kind: RightsRequest['kind'],
	work: (req: RightsRequest, customerId: string, run: Runner) => Promise<Result<FulfilmentOutcome>>,
	immediate = false
): Promise<Result<RightsRequest>> {
	try {
		return await writeTransaction(ctx.db, async () => {
			const loaded = await loadRequest(ctx, requestId, immediate ? OPEN_REQUEST_STATES : ['in-progress', 'extended']);
			if (!loaded.ok) return loaded;
			const req = loaded.value;
			if (req.kind !== kind) return err('request.wrong-kind', `This is a ${req.kind} request, not ${kind}`, 'requestId');
			if (req.customerId === null) return err('request.not-matched', 'Match the request to a customer first', 'requestId');
			if (req.particulars.outcome !== undefined) return err('request.already-fulfilled', 'This request has already been carried out', 'requestId');
			const customerId = req.customerId;
			let wrote = false;
			if (!immediate && !await requesterVerified(ctx, req)) {
				const d = await applyPolicy(ctx, {
					code: 'request.requester.unverified',
					rule: 'UK GDPR Art 12(6), Art 5(1)(f)',
					message: 'Verify the requester before changing the record on their request',
					...auditSubject(req),
					details: { requestId: req.id, kind }
				});
				if (!d.ok) return d;
				wrote = true;
			}
			const run: Runner = async (op) => {
				const result = await op();
				if (!result.ok && wrote) throw new Rollback(result);
				if (result.ok) wrote = true;
				return result;
			};
			const outcome = await work(req, customerId, run);
			if (!outcome.ok) {
				if (wrote) throw new Rollback(outcome);
				return outcome;
			}
			const particulars =
				kind === 'erasure' && outcome.value.fields === 'all'
					? { outcome: outcome.value, erasedRequestWords: true }
					: { ...req.particulars, outcome: outcome.value };
			return ok(
				await applyTransition(ctx, req, {
					toState: 'response-ready',
					changes: { particulars, ...(kind === 'erasure' && outcome.value.fields === 'all' ? { description: '[erased]' } : {}) },
					action: 'request.transitioned',
					reason: `${kind} carried out`,
					details: { outcome: outcome.value.kind, refused: outcome.value.refused === true, held: outcome.value.held ?? 0 }
				})
			);
		});
	} catch (e) {
		if (e instanceof Rollback) return e.failure;
		throw e;
	}
}


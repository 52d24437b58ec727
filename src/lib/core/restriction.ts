/**
 * Restriction of processing (UK GDPR Art 18). A restricted value is only stored: every other
 * operation that would use it (viewing it for servicing, disclosure, correction outside a rights
 * request, reading it out) asks `servicingRefusal` first. Before a restriction is lifted the person
 * must be told (Art 18(3)).
 *
 * A value kept under a legal hold after its erasure or disposal was decided is restricted the same
 * way, except for the one use the hold is for (MLR 2017 reg 41: anti-money-laundering records may be
 * used only to prevent money laundering and terrorist financing).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbAll, writeTransaction } from './database';
import { appendAudit } from './audit';
import { requireHeldValue, updateHeldValue, writeHistory, type HeldValue } from './held-values';
import { parseInput } from './input';
import { applyPolicy } from './policy';
import { err, ok, type CoreError, type Result } from './result';
import { auditEntry, type LEGAL_HOLD_REASONS } from './schema';

/** Art 18(1)(a)-(d): why processing is restricted. */
export const RESTRICTION_GROUNDS = ['accuracy-contested', 'unlawful-processing', 'legal-claims', 'objection-pending'] as const;

const selection = {
	customerId: z.string().min(1),
	fields: z.array(z.string().min(1)).min(1, 'Name the fields'),
	requestId: z.string().min(1).optional()
};
const restrictInput = z.object({ ...selection, ground: z.enum(RESTRICTION_GROUNDS), reason: z.string().trim().min(1, 'Give the reason') });
export type RestrictInput = z.input<typeof restrictInput>;
const notifyInput = z.object({ ...selection, channel: z.string().trim().min(1, 'Say how the person was told') });
export type NotifyRestrictionLiftInput = z.input<typeof notifyInput>;
const liftInput = z.object({ ...selection, reason: z.string().trim().min(1, 'Give the reason') });
export type LiftRestrictionInput = z.input<typeof liftInput>;

export type LegalHoldReason = (typeof LEGAL_HOLD_REASONS)[number];

/**
 * The one use left to a value kept only for its hold, by the hold's code: in words, the rule that
 * limits it, and the disclosure bases that serve that use (DISCLOSURE_BASES).
 */
export const HOLD_USES: Record<LegalHoldReason, { use: string; rule: string; disclosureBases: readonly string[] }> = {
	'money-laundering-records': {
		use: 'to prevent money laundering and terrorist financing',
		rule: 'MLR 2017 reg 41',
		disclosureBases: ['crime-and-taxation', 'legal-obligation']
	},
	'tax-records': { use: 'to meet the tax record-keeping duty', rule: 'UK GDPR Art 17(3)(b)', disclosureBases: ['crime-and-taxation', 'legal-obligation'] },
	'legal-obligation': { use: 'to meet the legal duty to keep it', rule: 'UK GDPR Art 17(3)(b)', disclosureBases: ['legal-obligation'] },
	'legal-claims': { use: 'to establish, exercise or defend legal claims', rule: 'UK GDPR Art 17(3)(e)', disclosureBases: ['legal-proceedings'] },
	'regulatory-investigation': { use: 'for the regulator’s investigation', rule: 'UK GDPR Art 17(3)(b)', disclosureBases: ['legal-obligation', 'crime-and-taxation'] }
};

/** What the hold of a value kept only for it allows, in words; a hold with no code is read as a duty in law. */
export function holdUse(held: Pick<HeldValue, 'legalHoldCode'>): (typeof HOLD_USES)[LegalHoldReason] {
	return HOLD_USES[held.legalHoldCode ?? 'legal-obligation'];
}

/** Ways of using a value in servicing a customer, each refused while the value is restricted. */
export type ServicingUse = 'view' | 'disclosure' | 'correction' | 'read-back';
const USE_WORDS: Record<ServicingUse, string> = {
	view: 'shown',
	disclosure: 'disclosed',
	correction: 'corrected outside a rights request',
	'read-back': 'read back'
};

/** The refusal of a servicing use of a value, naming the rule in its code and words. */
export interface ServicingRefusal extends CoreError {
	rule: string;
}

/**
 * Why a value may not be used this way, or null when it may. Restricted (Art 18): only stored, for
 * every use. Kept only for a legal hold: usable only for the hold's purpose (a view for that purpose,
 * a disclosure on a basis that serves it), refused for everything else.
 */
export function servicingRefusal(
	held: Pick<HeldValue, 'field' | 'restricted' | 'keptForHoldOnly' | 'legalHoldCode' | 'legalHoldPurposeCode' | 'legalHoldReason'>,
	use: ServicingUse,
	context: { purposeCode?: string; disclosureBasis?: string } = {}
): ServicingRefusal | null {
	if (held.restricted) {
		return {
			code: 'field.restricted',
			field: held.field,
			rule: 'UK GDPR Art 18(2)',
			message: `${held.field} is restricted: only stored (UK GDPR Art 18(2)), so it cannot be ${USE_WORDS[use]} unless the person consents or an Art 18(2) ground applies`
		};
	}
	if (held.keptForHoldOnly) {
		const hold = holdUse(held);
		const forTheHold =
			(use === 'view' && context.purposeCode !== undefined && context.purposeCode === held.legalHoldPurposeCode) ||
			(use === 'disclosure' && context.disclosureBasis !== undefined && hold.disclosureBases.includes(context.disclosureBasis));
		if (forTheHold) return null;
		return {
			code: 'field.kept-for-hold-only',
			field: held.field,
			rule: hold.rule,
			message: `${held.field} is kept under legal hold (${held.legalHoldReason || 'a legal duty'}) and may be used only ${hold.use} (${hold.rule}): it cannot be ${USE_WORDS[use]} for anything else`
		};
	}
	return null;
}

export interface RestrictionChange {
	customerId: string;
	fields: string[];
	findingIds: string[];
}

async function requireAll(ctx: CoreContext, customerId: string, fields: string[]): Promise<Result<HeldValue[]>> {
	const found: HeldValue[] = [];
	for (const field of new Set(fields)) {
		const held = await requireHeldValue(ctx, customerId, field);
		if (!held.ok) return held;
		found.push(held.value);
	}
	return ok(found);
}

/** Restricts processing of fields (Art 18(1)): they are kept but not otherwise used. */
export async function restrictField(ctx: CoreContext, input: RestrictInput): Promise<Result<RestrictionChange>> {
	const parsed = parseInput(restrictInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, fields, ground, reason, requestId } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const values = await requireAll(ctx, customerId, fields);
		if (!values.ok) return values;
		const toRestrict = values.value.filter((held) => !held.restricted);
		if (toRestrict.length === 0) return err('field.already-restricted', 'Those fields are already restricted', 'fields');
		for (const held of toRestrict) {
			const version = held.version + 1;
			await updateHeldValue(ctx, held, { restricted: true, version, updatedAt: ctx.clock() });
			await writeHistory(ctx, { held, change: 'restricted', version, reason, requestId });
		}
		await appendAudit(ctx, {
			action: 'customer.field.restricted',
			subjectType: 'customer',
			subject: customerId,
			fields: toRestrict.map((h) => h.field),
			details: { ground, requestId: requestId ?? null }
		});
		return ok({ customerId, fields: toRestrict.map((h) => h.field), findingIds: [] });
	});
}

/** Records that the person was told a restriction is about to be lifted (Art 18(3)). */
export async function notifyRestrictionLift(ctx: CoreContext, input: NotifyRestrictionLiftInput): Promise<Result<RestrictionChange>> {
	const parsed = parseInput(notifyInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, fields, channel, requestId } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const values = await requireAll(ctx, customerId, fields);
		if (!values.ok) return values;
		const unrestricted = values.value.find((held) => !held.restricted);
		if (unrestricted) return err('field.not-restricted', `${unrestricted.field} is not restricted`, 'fields');
		await appendAudit(ctx, {
			action: 'customer.restriction.lift.notified',
			subjectType: 'customer',
			subject: customerId,
			fields: values.value.map((h) => h.field),
			details: { channel, requestId: requestId ?? null }
		});
		return ok({ customerId, fields: values.value.map((h) => h.field), findingIds: [] });
	});
}

/** Fields of a customer whose latest restriction was followed by a notice that it will be lifted. */
async function notifiedFields(ctx: CoreContext, customerId: string): Promise<Set<string>> {
	const entries = (await dbAll(ctx.db
		.select({ seq: auditEntry.seq, action: auditEntry.action, fields: auditEntry.fields })
		.from(auditEntry)
		.where(
			and(
				eq(auditEntry.workspaceId, ctx.workspaceId),
				eq(auditEntry.subject, customerId),
				inArray(auditEntry.action, ['customer.field.restricted', 'customer.restriction.lift.notified'])
			)
		)))
		// Sorted here rather than in SQL, so the planner keeps to the subject index instead of walking
		// the whole log in seq order.
		.sort((a, b) => a.seq - b.seq);
	const notified = new Set<string>();
	for (const entry of entries) {
		for (const field of JSON.parse(entry.fields) as string[]) {
			if (entry.action === 'customer.field.restricted') notified.delete(field);
			else notified.add(field);
		}
	}
	return notified;
}

/**
 * Lifts a restriction. The person must have been told first (Art 18(3)): without a
 * "customer.restriction.lift.notified" since the restriction, enforce mode refuses and record
 * mode lifts it with a finding.
 */
export async function liftRestriction(ctx: CoreContext, input: LiftRestrictionInput): Promise<Result<RestrictionChange>> {
	const parsed = parseInput(liftInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, fields, reason, requestId } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const values = await requireAll(ctx, customerId, fields);
		if (!values.ok) return values;
		const unrestricted = values.value.find((held) => !held.restricted);
		if (unrestricted) return err('field.not-restricted', `${unrestricted.field} is not restricted`, 'fields');
		const notified = await notifiedFields(ctx, customerId);
		const untold = values.value.filter((held) => !notified.has(held.field)).map((h) => h.field);
		const findingIds: string[] = [];
		if (untold.length > 0) {
			const decision = await applyPolicy(ctx, {
				code: 'restriction.lifted-without-notice',
				rule: 'UK GDPR Art 18(3)',
				message: `The person was not told before the restriction on ${untold.join(', ')} was lifted`,
				field: untold[0],
				subjectType: 'customer',
				subject: customerId,
				fields: untold,
				details: { requestId: requestId ?? null }
			});
			if (!decision.ok) return decision;
			findingIds.push(decision.value.id);
		}
		for (const held of values.value) {
			const version = held.version + 1;
			await updateHeldValue(ctx, held, { restricted: false, version, updatedAt: ctx.clock() });
			await writeHistory(ctx, { held, change: 'restriction-lifted', version, reason, requestId });
		}
		await appendAudit(ctx, {
			action: 'customer.field.restriction.lifted',
			subjectType: 'customer',
			subject: customerId,
			fields: values.value.map((h) => h.field),
			details: { requestId: requestId ?? null, notified: untold.length === 0 }
		});
		return ok({ customerId, fields: values.value.map((h) => h.field), findingIds });
	});
}

/**
 * Erasure and anonymisation mechanics (UK GDPR Art 17, Art 5(1)(e)), used by erasure requests and
 * disposal runs. Erasing a value nulls it (and its search form, which takes it out of the search
 * index) and every copy of it in the field's history; the audit log never held it. Values under
 * legal hold are kept (Art 17(3)(b),(e)) and reported with the hold's reason. After a full erasure
 * the customer row stays as a minimal suppression entry so the person is not contacted again
 * (ICO right to erasure guidance).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbAll, dbRun, writeTransaction } from './database';
import { appendAudit } from './audit';
import { fieldKind } from './collection';
import { withdrawConsents } from './consent';
import { requireCustomer } from './customers';
import { heldValues, scrubHistory, updateHeldValue, writeHistory, type HeldValue } from './held-values';
import { parseInput } from './input';
import { FIELD_CATEGORIES } from './purposes';
import { ok, type Result } from './result';
import { authorisedThirdParty, consent, customer, interaction, rightsRequest } from './schema';

export type DisposalAction = 'erase' | 'anonymise';

const disposalInput = z.object({
	customerId: z.string().min(1),
	/** Categories to erase (ordinary, special, "criminal-offence"), or "all". */
	categories: z.union([z.literal('all'), z.array(z.enum(FIELD_CATEGORIES)).min(1, 'Choose at least one category')]).default('all'),
	requestId: z.string().min(1).optional(),
	reason: z.string().trim().min(1, 'Give the reason')
});
export type EraseCustomerDataInput = z.input<typeof disposalInput>;
export type AnonymiseCustomerDataInput = z.input<typeof disposalInput>;

export interface HeldBack {
	field: string;
	category: string;
	/** The legal hold's reason, e.g. "MLR 2017 reg 40: 5 years after the relationship ends". */
	reason: string;
}

export interface DisposalOutcome {
	customerId: string;
	/** Values erased or anonymised, by category. */
	counts: Record<string, number>;
	/** Values kept because a legal hold applies. */
	held: HeldBack[];
	/** Whether a suppression entry now stands for the person. */
	suppressed: boolean;
}

/**
 * A value reduced to what no longer identifies anyone on its own (UK GDPR recital 26): a date of
 * birth to its decade, a postcode to its area, an amount to the nearest hundred pounds; names,
 * contact details, identifiers and free text to nothing. Account and preference codes (a tariff,
 * a language) are kept as they are.
 */
export function generalise(field: string, category: string, value: string): string | null {
	switch (fieldKind(field)) {
		case 'date-of-birth':
			return `${value.slice(0, 3)}0s`;
		case 'postcode':
			return /^[A-Z]{1,2}/.exec(value)?.[0] ?? null;
		case 'money':
			return (Math.round(Number(value) / 100) * 100).toFixed(0);
		case 'text':
			return category === 'account' || category === 'preferences' ? value : null;
		default:
			return null;
	}
}

/**
 * Erases or anonymises one held value inside the caller's transaction: the value and its search
 * form go, its history keeps who, when and what kind of change but no value. Returns false when the
 * value is under legal hold: it is kept, but only for the hold's purpose from now on (MLR 2017
 * reg 41; restricted for every other use), and erased when the hold is released.
 */
export async function disposeOfValue(ctx: CoreContext, held: HeldValue, action: DisposalAction, reason: string, requestId?: string): Promise<boolean> {
	if (held.legalHold) {
		if (!held.keptForHoldOnly) {
			const version = held.version + 1;
			await updateHeldValue(ctx, held, { keptForHoldOnly: true, version, updatedAt: ctx.clock() });
			await writeHistory(ctx, { held, change: 'kept-for-hold-only', version, reason: `${action === 'erase' ? 'erasure' : 'anonymisation'} decided; kept under the legal hold only`, requestId });
		}
		return false;
	}
	const now = ctx.clock();
	const version = held.version + 1;
	await scrubHistory(ctx, held);
	if (action === 'erase') {
		await updateHeldValue(ctx, held, { value: null, normalised: null, erasedAt: now, updatedAt: now, version });
	} else {
		const remaining = held.value === null ? null : generalise(held.field, held.category, held.value);
		await updateHeldValue(ctx, held, { value: remaining, normalised: null, anonymisedAt: now, updatedAt: now, version });
	}
	await writeHistory(ctx, { held, change: action === 'erase' ? 'erased' : 'anonymised', version, reason, requestId });
	return true;
}

async function dispose(ctx: CoreContext, input: EraseCustomerDataInput, action: DisposalAction): Promise<Result<DisposalOutcome>> {
	const parsed = parseInput(disposalInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, categories, requestId, reason } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const person = await requireCustomer(ctx, customerId);
		if (!person.ok) return person;
		const counts: Record<string, number> = {};
		const held: HeldBack[] = [];
		for (const value of await heldValues(ctx, customerId)) {
			if (categories !== 'all' && !(categories as readonly string[]).includes(value.category)) continue;
			if (value.erasedAt !== null || (value.anonymisedAt !== null && action === 'anonymise')) continue;
			if (await disposeOfValue(ctx, value, action, reason, requestId)) counts[value.category] = (counts[value.category] ?? 0) + 1;
			else held.push({ field: value.field, category: value.category, reason: value.legalHoldReason });
		}
		const heldCounts: Record<string, number> = {};
		for (const h of held) heldCounts[h.category] = (heldCounts[h.category] ?? 0) + 1;
		const whole = categories === 'all';
		await appendAudit(ctx, {
			action: 'customer.erased',
			subjectType: 'customer',
			subject: customerId,
			details: {
				method: action === 'erase' ? 'erased' : 'anonymised',
				categories: whole ? 'all' : [...categories],
				counts,
				heldCounts,
				requestId: requestId ?? null
			}
		});
		if (whole) {
			const now = ctx.clock();
			const live = await dbAll(ctx.db
				.select()
				.from(consent)
				.where(and(eq(consent.workspaceId, ctx.workspaceId), eq(consent.customerId, customerId), isNull(consent.withdrawnAt))));
			await withdrawConsents(ctx, live, action === 'erase' ? 'erasure' : 'anonymisation');
			await clearOwnRecords(ctx, customerId);
			await dbRun(ctx.db
				.update(customer)
				.set({ erasedAt: person.value.erasedAt ?? now, suppressed: true, suppressedAt: person.value.suppressedAt ?? now })
				.where(and(eq(customer.workspaceId, ctx.workspaceId), eq(customer.id, customerId))));
			if (!person.value.suppressed) {
				await appendAudit(ctx, {
					action: 'customer.suppressed',
					subjectType: 'customer',
					subject: customerId,
					details: { requestId: requestId ?? null, after: action === 'erase' ? 'erasure' : 'anonymisation' }
				});
			}
		}
		return ok({ customerId, counts, held, suppressed: whole || person.value.suppressed });
	});
}

/**
 * After a full erasure or anonymisation (also by a disposal run): the person's words in interactions and requests, the copies of their data
 * in earlier SAR responses, and the names of the third parties who acted for them, go too. The rows stay (that contact happened, that request
 * was made and answered), as does the disclosure log, needed to tell recipients (Art 19).
 */
async function clearOwnRecords(ctx: CoreContext, customerId: string): Promise<void> {
	await dbRun(ctx.db
		.update(interaction)
		.set({ nature: '[erased]', notes: '', actionsTaken: [] })
		.where(and(eq(interaction.workspaceId, ctx.workspaceId), eq(interaction.customerId, customerId))));
	const rows = await dbAll(ctx.db
		.select({ id: rightsRequest.id, particulars: rightsRequest.particulars, response: rightsRequest.response })
		.from(rightsRequest)
		.where(and(eq(rightsRequest.workspaceId, ctx.workspaceId), eq(rightsRequest.customerId, customerId))));
	for (const row of rows) {
		// Only the structural record of how the request was handled is kept.
		const kept = Object.fromEntries(Object.entries(row.particulars).filter(([key]) => STRUCTURAL_PARTICULARS.includes(key)));
		// A SAR response held a copy of the data: which Art 15 items were sent is kept, not what they said.
		const response = row.response === null ? null : Object.fromEntries(Object.keys(row.response).map((item) => [item, '[erased]']));
		await dbRun(ctx.db
			.update(rightsRequest)
			.set({ description: '[erased]', particulars: kept, response })
			.where(and(eq(rightsRequest.workspaceId, ctx.workspaceId), eq(rightsRequest.id, row.id))));
	}
	await dbRun(ctx.db
		.update(authorisedThirdParty)
		.set({ name: '[erased]', evidenceRef: '', revokedAt: sql`coalesce(${authorisedThirdParty.revokedAt}, ${ctx.clock()})` })
		.where(and(eq(authorisedThirdParty.workspaceId, ctx.workspaceId), eq(authorisedThirdParty.customerId, customerId))));
}

const STRUCTURAL_PARTICULARS = ['outcome', 'refusal', 'idRequestReasonable', 'feeGrounds', 'erasedRequestWords'];

/**
 * Erases a person's data, all of it or some categories (Art 17), keeping what a legal hold covers
 * and saying why. A full erasure withdraws live consents and keeps a suppression entry.
 */
export async function eraseCustomerData(ctx: CoreContext, input: EraseCustomerDataInput): Promise<Result<DisposalOutcome>> {
	return await dispose(ctx, input, 'erase');
}

/** Anonymises a person's data instead of erasing it: see generalise for what remains. */
export async function anonymiseCustomerData(ctx: CoreContext, input: AnonymiseCustomerDataInput): Promise<Result<DisposalOutcome>> {
	return await dispose(ctx, input, 'anonymise');
}

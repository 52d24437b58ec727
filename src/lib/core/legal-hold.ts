/**
 * Legal holds: values the law or a claim requires keeping are kept through erasure and disposal
 * (UK GDPR Art 17(3)(b),(e); e.g. MLR 2017 reg 40: customer due diligence records for 5 years
 * after the business relationship ends). A hold is applied and released with a reason.
 */
import { z } from 'zod';
import type { CoreContext } from './context';
import { writeTransaction } from './database';
import { appendAudit } from './audit';
import { requireCustomer, type Customer } from './customers';
import { disposeOfValue } from './erasure';
import { heldValues, updateHeldValue, writeHistory, type HeldValue } from './held-values';
import { parseInput } from './input';
import { LEGAL_HOLD_REASONS } from './schema';
import { FIELD_CATEGORIES, findPurpose } from './purposes';
import { err, ok, type Result } from './result';


export { LEGAL_HOLD_REASONS };

const selection = {
	customerId: z.string().min(1),
	/** Field names to hold; with categories, the union; with neither, every value of the customer. */
	fields: z.array(z.string().min(1)).optional(),
	categories: z.array(z.enum(FIELD_CATEGORIES)).optional(),
	reason: z.string().trim().min(1, 'Give the reason for the hold, e.g. "MLR 2017 reg 40: 5 years after the relationship ends"')
};
const applyInput = z.object({
	...selection,
	reasonCode: z.enum(LEGAL_HOLD_REASONS),
	/** The purpose the hold keeps the values for, e.g. the anti-money-laundering records' purpose. */
	purposeCode: z.string().trim().min(1).optional(),
	/** Until when (YYYY-MM-DD); without it, each value's retain-until date. */
	until: z.iso.date('Give the date as YYYY-MM-DD').optional()
});
export type ApplyLegalHoldInput = z.input<typeof applyInput>;
const releaseInput = z.object(selection);
export type ReleaseLegalHoldInput = z.input<typeof releaseInput>;

export interface LegalHoldChange {
	customerId: string;
	fields: string[];
	/** On release: values erased at once because the person's data had already been erased. */
	erasedFields: string[];
}

async function selected(ctx: CoreContext, input: z.output<typeof releaseInput>): Promise<Result<HeldValue[]>> {
	const all = (await heldValues(ctx, input.customerId)).filter((h) => h.erasedAt === null);
	if (input.fields === undefined && input.categories === undefined) return ok(all);
	for (const field of input.fields ?? []) {
		if (!all.some((h) => h.field === field)) return err('field.not-found', `No ${field} on record`, 'fields');
	}
	return ok(all.filter((h) => input.fields?.includes(h.field) || (input.categories as readonly string[] | undefined)?.includes(h.category)));
}

/** In one transaction: the customer, who must exist, and their values the input selects, handed to `act`. */
async function onSelectedValues<T>(
	ctx: CoreContext,
	input: z.output<typeof releaseInput>,
	act: (values: HeldValue[], person: Customer) => Result<T> | Promise<Result<T>>
): Promise<Result<T>> {
	return await writeTransaction(ctx.db, async () => {
		const person = await requireCustomer(ctx, input.customerId);
		if (!person.ok) return person;
		const values = await selected(ctx, input);
		if (!values.ok) return values;
		return await act(values.value, person.value);
	});
}

export async function applyLegalHold(ctx: CoreContext, input: ApplyLegalHoldInput): Promise<Result<LegalHoldChange>> {
	const parsed = parseInput(applyInput, input);
	if (!parsed.ok) return parsed;
	return await onSelectedValues(ctx, parsed.value, async (values) => {
		const { purposeCode, reasonCode, until } = parsed.value;
		if (purposeCode !== undefined && !await findPurpose(ctx, purposeCode)) return err('purpose.not-found', `No purpose "${purposeCode}"`, 'purposeCode');
		const toHold = values.filter((h) => !h.legalHold);
		if (toHold.length === 0) return err('legal-hold.nothing-to-hold', 'No value to hold: none selected, or all already held', 'fields');
		for (const held of toHold) {
			const version = held.version + 1;
			await updateHeldValue(ctx, held, {
				legalHold: true,
				legalHoldReason: parsed.value.reason,
				legalHoldCode: reasonCode,
				legalHoldPurposeCode: purposeCode ?? null,
				legalHoldUntil: until ?? null,
				version,
				updatedAt: ctx.clock()
			});
			await writeHistory(ctx, { held, change: 'legal-hold-applied', version, reason: parsed.value.reason });
		}
		await appendAudit(ctx, {
			action: 'legal-hold.applied',
			subjectType: 'customer',
			subject: parsed.value.customerId,
			fields: toHold.map((h) => h.field),
			details: { reasonCode, purposeCode: purposeCode ?? null, until: until ?? null }
		});
		return ok({ customerId: parsed.value.customerId, fields: toHold.map((h) => h.field), erasedFields: [] });
	});
}

/**
 * Releases a hold. Values kept only for the hold (their erasure or disposal was decided while it
 * applied), or of a person whose data was erased, are erased now: only the hold stood in the way.
 */
export async function releaseLegalHold(ctx: CoreContext, input: ReleaseLegalHoldInput): Promise<Result<LegalHoldChange>> {
	const parsed = parseInput(releaseInput, input);
	if (!parsed.ok) return parsed;
	return await onSelectedValues(ctx, parsed.value, async (values, person) => {
		const toRelease = values.filter((h) => h.legalHold);
		if (toRelease.length === 0) return err('legal-hold.none', 'None of the selected values is under legal hold', 'fields');
		const erasedFields: string[] = [];
		for (const held of toRelease) {
			const version = held.version + 1;
			const released = { legalHold: false, legalHoldReason: '', legalHoldCode: null, legalHoldPurposeCode: null, legalHoldUntil: null } as const;
			await updateHeldValue(ctx, held, { ...released, version, updatedAt: ctx.clock() });
			await writeHistory(ctx, { held, change: 'legal-hold-released', version, reason: parsed.value.reason });
			if (held.keptForHoldOnly || person.erasedAt !== null) {
				await disposeOfValue(ctx, { ...held, ...released, version }, 'erase', 'erasure decided while the legal hold applied');
				erasedFields.push(held.field);
			}
		}
		await appendAudit(ctx, {
			action: 'legal-hold.released',
			subjectType: 'customer',
			subject: parsed.value.customerId,
			fields: toRelease.map((h) => h.field),
			details: { erasedFields }
		});
		return ok({ customerId: parsed.value.customerId, fields: toRelease.map((h) => h.field), erasedFields });
	});
}

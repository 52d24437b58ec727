/**
 * Explicit consent for special category data (UK GDPR Art 9(2)(a)). It is withdrawn on its own,
 * as easily as it was given (Art 7(3)): no form, no reason, no other request needed. The data held
 * on that condition is then erased (Art 17(1)(b)), unless another Art 9(2) condition applies to it,
 * recorded with its reason (and, where that condition needs a basis in law, a DPA 2018 Schedule 1
 * condition), or a legal hold keeps it for the hold's purpose only.
 */
import { mapInOrder } from './in-order';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbAll, dbRun, writeTransaction } from './database';
import { appendAudit } from './audit';
import { NEEDS_SCHEDULE_1, requireCustomer } from './customers';
import { disposeOfValue } from './erasure';
import { findHeldValue, writeHistory, type HeldValue } from './held-values';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { ART9_CONDITIONS, specialCategoryValue } from './schema';

const OTHER_CONDITIONS = ART9_CONDITIONS.filter((c) => c !== 'explicit-consent') as [
	Exclude<(typeof ART9_CONDITIONS)[number], 'explicit-consent'>,
	...Exclude<(typeof ART9_CONDITIONS)[number], 'explicit-consent'>[]
];

const withdrawInput = z.object({
	customerId: z.string().min(1),
	/** The special category fields the withdrawal covers; without them, every one held on explicit consent. */
	fields: z.array(z.string().min(1)).min(1, 'Name the fields, or leave them out for all').optional(),
	/** How it arrived, e.g. "phone", "email": any way the person chooses (Art 7(3)). */
	method: z.string().trim().min(1).default('as given'),
	/** Fields another Art 9(2) condition still covers: kept under it instead of erased. */
	otherConditions: z
		.record(
			z.string().min(1),
			z.object({
				art9Condition: z.enum(OTHER_CONDITIONS),
				schedule1Condition: z.string().trim().default(''),
				reason: z.string().trim().min(1, 'Say why the other condition applies')
			})
		)
		.default({}),
	requestId: z.string().min(1).optional(),
	interactionId: z.string().min(1).optional()
});
export type WithdrawExplicitConsentInput = z.input<typeof withdrawInput>;

export interface ExplicitConsentWithdrawal {
	customerId: string;
	/** Fields erased because explicit consent was their only condition. */
	erasedFields: string[];
	/** Fields kept under another Art 9(2) condition, with it. */
	keptFields: { field: string; art9Condition: string }[];
	/** Fields a legal hold keeps (for the hold's purpose only). */
	heldFields: string[];
}

/** The special category values of a customer held on explicit consent and not erased. */
export async function heldOnExplicitConsent(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<HeldValue[]> {
	return await mapInOrder((await dbAll(ctx.db
		.select({ field: specialCategoryValue.field })
		.from(specialCategoryValue)
		.where(
			and(
				eq(specialCategoryValue.workspaceId, ctx.workspaceId),
				eq(specialCategoryValue.customerId, customerId),
				eq(specialCategoryValue.art9Condition, 'explicit-consent'),
				isNull(specialCategoryValue.erasedAt)
			)
		))), async (row) => (await findHeldValue(ctx, customerId, row.field))!);
}

/** Withdraws explicit consent for special category data (Art 7(3), Art 9(2)(a), Art 17(1)(b)); see the module comment. */
export async function withdrawExplicitConsent(ctx: CoreContext, input: WithdrawExplicitConsentInput): Promise<Result<ExplicitConsentWithdrawal>> {
	const parsed = parseInput(withdrawInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, fields, method, otherConditions, requestId, interactionId } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const person = await requireCustomer(ctx, customerId);
		if (!person.ok) return person;
		const onConsent = await heldOnExplicitConsent(ctx, customerId);
		if (onConsent.length === 0) return err('explicit-consent.none', 'No special category data is held on this person’s explicit consent', 'customerId');
		for (const field of fields ?? []) {
			if (!onConsent.some((h) => h.field === field)) return err('explicit-consent.not-held', `${field} is not special category data held on explicit consent`, 'fields');
		}
		const covered = fields === undefined ? onConsent : onConsent.filter((h) => fields.includes(h.field));
		for (const [field, other] of Object.entries(otherConditions)) {
			if (!covered.some((h) => h.field === field)) return err('explicit-consent.not-held', `${field} is not among the fields the withdrawal covers`, 'otherConditions');
			// DPA 2018 s10(2)-(3): this Art 9(2) condition needs a Schedule 1 condition as well.
			if (NEEDS_SCHEDULE_1.has(other.art9Condition) && other.schedule1Condition === '') {
				return err('special-category.no-schedule1-condition', `${field}: the condition ${other.art9Condition} needs a DPA 2018 Schedule 1 condition`, 'otherConditions');
			}
		}
		const outcome: ExplicitConsentWithdrawal = { customerId, erasedFields: [], keptFields: [], heldFields: [] };
		const reason = 'explicit consent withdrawn (UK GDPR Art 7(3), Art 17(1)(b))';
		for (const held of covered) {
			const other = otherConditions[held.field];
			if (other) {
				const version = held.version + 1;
				await dbRun(ctx.db
					.update(specialCategoryValue)
					.set({ art9Condition: other.art9Condition, schedule1Condition: other.schedule1Condition, version, updatedAt: ctx.clock() })
					.where(and(eq(specialCategoryValue.workspaceId, ctx.workspaceId), eq(specialCategoryValue.id, held.id))));
				await writeHistory(ctx, { held, change: 'condition-changed', version, reason: `${reason}; kept under Art 9(2) condition ${other.art9Condition}: ${other.reason}`, requestId });
				outcome.keptFields.push({ field: held.field, art9Condition: other.art9Condition });
			} else if (await disposeOfValue(ctx, held, 'erase', reason, requestId)) {
				outcome.erasedFields.push(held.field);
			} else {
				outcome.heldFields.push(held.field);
			}
		}
		await appendAudit(ctx, {
			action: 'explicit-consent.withdrawn',
			subjectType: 'customer',
			subject: customerId,
			fields: covered.map((h) => h.field),
			details: {
				method,
				erasedFields: outcome.erasedFields,
				keptFields: outcome.keptFields.map((k) => k.field),
				keptUnder: outcome.keptFields.map((k) => k.art9Condition),
				heldFields: outcome.heldFields,
				requestId: requestId ?? null,
				interactionId: interactionId ?? null
			}
		});
		return ok(outcome);
	});
}

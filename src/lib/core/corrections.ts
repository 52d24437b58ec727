/**
 * Accuracy and rectification (UK GDPR Art 5(1)(d), Art 16): corrections never overwrite silently.
 * Every change keeps the old value, the new one, who, when and why in customer_field_history and
 * bumps the value's version. Disputed values are flagged "contested" until checked.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbAll, writeTransaction, insertionOrder } from './database';
import { appendAudit } from './audit';
import { checkFieldValue } from './collection';
import { requireCustomer } from './customers';
import { requireHeldValue, updateHeldValue, writeHistory, type FieldHistoryEntry, type HeldValue } from './held-values';
import { parseInput } from './input';
import { findPurpose } from './purposes';
import { servicingRefusal } from './restriction';
import { err, ok, type Result } from './result';
import { customerFieldHistory } from './schema';

const ids = { customerId: z.string().min(1), field: z.string().min(1) };
const reason = z.string().trim().min(1, 'Give the reason');
const requestId = z.string().min(1).optional();

const correctFieldInput = z.object({ ...ids, newValue: z.string(), reason, requestId });
export type CorrectFieldInput = z.input<typeof correctFieldInput>;

const completeFieldInput = z.object({
	...ids,
	/** The supplementary statement that completes the data, in the person's words. */
	statement: z.string().trim().min(1, 'Enter the supplementary statement').max(2000),
	requestId
});
export type CompleteFieldInput = z.input<typeof completeFieldInput>;

const accuracyInput = z.object({ ...ids, reason, requestId });
export type AccuracyInput = z.input<typeof accuracyInput>;

/** What a changed value looks like to callers. */
export interface FieldChange {
	customerId: string;
	field: string;
	version: number;
	historyId: string;
}

function auditAction(held: HeldValue, ordinary: 'customer.field.corrected', special: 'special-category.corrected') {
	return held.kind === 'ordinary' ? ordinary : special;
}

/**
 * The part every change shares: bump the value's version with the updates, write the field's
 * history (Art 5(1)(d): never overwrite silently) and the audit entry (field name, never the value).
 */
async function recordChange(
	ctx: CoreContext,
	held: HeldValue,
	change: {
		action: 'customer.field.corrected' | 'special-category.corrected' | 'customer.field.completed' | 'customer.field.contested' | 'customer.field.accuracy.confirmed';
		updates?: Parameters<typeof updateHeldValue>[2];
		history: Omit<Parameters<typeof writeHistory>[1], 'held' | 'version'>;
		details?: Record<string, boolean>;
	}
): Promise<FieldChange> {
	const version = held.version + 1;
	await updateHeldValue(ctx, held, { ...change.updates, version, updatedAt: ctx.clock() });
	const history = await writeHistory(ctx, { ...change.history, held, version });
	await appendAudit(ctx, {
		action: change.action,
		subjectType: 'customer',
		subject: held.customerId,
		fields: [held.field],
		details: { version, historyId: history.id, requestId: change.history.requestId ?? null, ...change.details }
	});
	return { customerId: held.customerId, field: held.field, version, historyId: history.id };
}

/**
 * Corrects a value (Art 16). The new value is checked as at collection; the reason is required;
 * the old value, new value, who, when and why go to the field's history. A correction settles a
 * contest: the value's accuracy returns to "ok".
 */
export async function correctField(ctx: CoreContext, input: CorrectFieldInput): Promise<Result<FieldChange>> {
	const parsed = parseInput(correctFieldInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, field, newValue, requestId: request } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const customerRow = await requireCustomer(ctx, customerId);
		if (!customerRow.ok) return customerRow;
		const found = await requireHeldValue(ctx, customerId, field);
		if (!found.ok) return found;
		const held = found.value;
		// UK GDPR Art 18(2), MLR 2017 reg 41: a restricted value, or one kept only for a legal hold, is not
		// changed in servicing; a rectification request (Art 16) may still put it right.
		const refusal = request === undefined ? servicingRefusal(held, 'correction') : null;
		if (refusal) return err(refusal.code, refusal.message, 'field');
		const minimumAge = (await findPurpose(ctx, held.purposeCode))?.minimumAge ?? undefined;
		const checked = checkFieldValue(field, newValue, { today: ctx.clock().slice(0, 10), minimumAge });
		if (!checked.ok) return checked;
		if (checked.value.value === held.value) return err('field.unchanged', `The new ${field} is the same as the one on record`, 'newValue');
		return ok(
			await recordChange(ctx, held, {
				action: auditAction(held, 'customer.field.corrected', 'special-category.corrected'),
				updates: { value: checked.value.value, normalised: checked.value.normalised, accuracy: 'ok' },
				history: { change: 'corrected', oldValue: held.value, newValue: checked.value.value, reason: parsed.value.reason, requestId: request },
				details: { wasContested: held.accuracy === 'contested' }
			})
		);
	});
}

/**
 * Completes incomplete data with a supplementary statement (Art 16, second sentence). The value
 * itself stays; the statement is kept in the field's history and shown beside the value.
 */
export async function completeField(ctx: CoreContext, input: CompleteFieldInput): Promise<Result<FieldChange>> {
	const parsed = parseInput(completeFieldInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, field, statement, requestId: request } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const found = await requireHeldValue(ctx, customerId, field);
		if (!found.ok) return found;
		const held = found.value;
		return ok(
			await recordChange(ctx, held, {
				action: 'customer.field.completed',
				history: { change: 'completed', newValue: statement, reason: 'supplementary statement (UK GDPR Art 16)', requestId: request }
			})
		);
	});
}

/** The two moves of a value's accuracy status: the status it must have, the one it gets, how each is recorded. */
const ACCURACY_MOVES = {
	contest: { from: 'ok', to: 'contested', action: 'customer.field.contested', change: 'contested', refused: ['field.already-contested', 'is already contested'] },
	confirm: { from: 'contested', to: 'ok', action: 'customer.field.accuracy.confirmed', change: 'accuracy-confirmed', refused: ['field.not-contested', 'is not contested'] }
} as const;

/** Flags a value the person disputes as contested (Art 5(1)(d); Art 18(1)(a) allows restricting it while checked). */
export async function contestField(ctx: CoreContext, input: AccuracyInput): Promise<Result<FieldChange>> {
	return await moveAccuracy(ctx, input, ACCURACY_MOVES.contest);
}

/** Records that a contested value was checked and found accurate: the contest is settled without a change. */
export async function confirmAccuracy(ctx: CoreContext, input: AccuracyInput): Promise<Result<FieldChange>> {
	return await moveAccuracy(ctx, input, ACCURACY_MOVES.confirm);
}

async function moveAccuracy(ctx: CoreContext, input: AccuracyInput, move: (typeof ACCURACY_MOVES)[keyof typeof ACCURACY_MOVES]): Promise<Result<FieldChange>> {
	const parsed = parseInput(accuracyInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, field, requestId: request } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const found = await requireHeldValue(ctx, customerId, field);
		if (!found.ok) return found;
		const held = found.value;
		if (held.accuracy !== move.from) return err(move.refused[0], `${field} ${move.refused[1]}`, 'field');
		return ok(
			await recordChange(ctx, held, {
				action: move.action,
				updates: { accuracy: move.to },
				history: { change: move.change, reason: parsed.value.reason, requestId: request }
			})
		);
	});
}

/**
 * A customer's field history, oldest first: every recording, correction, statement, contest,
 * restriction, hold and erasure, with who, when and why. Reading it is viewing the record, so it
 * is audited as "customer.viewed" (field names only).
 */
export async function fieldHistory(ctx: CoreContext, customerId: string, field?: string): Promise<Result<FieldHistoryEntry[]>> {
	return await writeTransaction(ctx.db, async () => {
		const customerRow = await requireCustomer(ctx, customerId);
		if (!customerRow.ok) return customerRow;
		const rows = await fieldHistoryOf(ctx, customerId, field);
		await appendAudit(ctx, {
			action: 'customer.viewed',
			subjectType: 'customer',
			subject: customerId,
			fields: [...new Set(rows.map((r) => r.field))],
			details: { view: 'field-history', entries: rows.length }
		});
		return ok(rows);
	});
}

/**
 * The same history, read without an audit entry: for a screen showing a record already opened
 * (and audited) through getCustomer — the training desk, whose audit chain must hold only what the
 * learner's recorded actions did, so that an attempt replays to the same chain.
 */
export async function fieldHistoryOf(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string, field?: string): Promise<FieldHistoryEntry[]> {
	const conditions = [eq(customerFieldHistory.workspaceId, ctx.workspaceId), eq(customerFieldHistory.customerId, customerId)];
	if (field !== undefined) conditions.push(eq(customerFieldHistory.field, field));
	return await dbAll(ctx.db
		.select()
		.from(customerFieldHistory)
		.where(and(...conditions))
		.orderBy(asc(customerFieldHistory.at), insertionOrder(ctx.db, customerFieldHistory)));
}

/**
 * A held value: one personal value of one customer with its metadata (purpose, basis, source,
 * retention, accuracy, restriction, legal hold). Ordinary fields, special category data (Art 9)
 * and criminal-offence data (Art 10) live in three tables; this module reads and changes them as one.
 */
import { dbGet, dbRun, preparedStatements } from './database';
import { and, eq } from 'drizzle-orm';
import type { CoreContext } from './context';
import { err, ok, type Result } from './result';
import { criminalOffenceValue, customerField, customerFieldHistory, specialCategoryValue, type VALUE_KINDS } from './schema';
import { rowInserter, tableRows } from './table-rows';

export type ValueKind = (typeof VALUE_KINDS)[number];
export type CustomerFieldRow = typeof customerField.$inferSelect;
export type SpecialCategoryValueRow = typeof specialCategoryValue.$inferSelect;
export type CriminalOffenceValueRow = typeof criminalOffenceValue.$inferSelect;
export type FieldHistoryEntry = typeof customerFieldHistory.$inferSelect;

/** The columns every held value has, whichever table it lives in. */
export type HeldValueColumns = Omit<CustomerFieldRow, 'category' | 'normalised'>;

export interface HeldValue extends HeldValueColumns {
	kind: ValueKind;
	/** An ordinary category, a special category, or "criminal-offence". */
	category: string;
	normalised: string | null;
}

const ordinaryRows = tableRows(customerField);
const specialRows = tableRows(specialCategoryValue);
const criminalRows = tableRows(criminalOffenceValue);
const historyRows = tableRows(customerFieldHistory);
type Raw = Record<string, unknown>;

const statements = preparedStatements((client) => ({
	// In the order they were recorded, on either engine (a plan's order is no order): database.ts insertionOrder.
	ordinary: client.prepare<[string, string], Raw>(
		`select ${ordinaryRows.columns} from customer_field where workspace_id = ? and customer_id = ? order by ${client.engine === 'postgres' ? 'insertion_order' : 'rowid'}`
	),
	special: client.prepare<[string, string], Raw>(`select ${specialRows.columns} from special_category_value where workspace_id = ? and customer_id = ? order by field`),
	criminal: client.prepare<[string, string], Raw>(`select ${criminalRows.columns} from criminal_offence_value where workspace_id = ? and customer_id = ? order by field`),
	insertHistory: rowInserter(client, historyRows)
}));

function fromOrdinary(row: CustomerFieldRow): HeldValue {
	return { ...row, kind: 'ordinary' };
}
function fromSpecial(row: SpecialCategoryValueRow): HeldValue {
	const { specialCategory, art9Condition: _a, schedule1Condition: _s, ...rest } = row;
	return { ...rest, kind: 'special-category', category: specialCategory, normalised: null };
}
function fromCriminal(row: CriminalOffenceValueRow): HeldValue {
	const { schedule1Condition: _s, ...rest } = row;
	return { ...rest, kind: 'criminal-offence', category: 'criminal-offence', normalised: null };
}

/** Every value held on a customer (erased ones included, with null values), ordinary first. */
export async function heldValues(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<HeldValue[]> {
	const stmts = statements(ctx.db);
	const ordinary = (await stmts.ordinary.all(ctx.workspaceId, customerId)).map((row) => fromOrdinary(ordinaryRows.read(row)));
	const special = (await stmts.special.all(ctx.workspaceId, customerId)).map((row) => fromSpecial(specialRows.read(row)));
	const criminal = (await stmts.criminal.all(ctx.workspaceId, customerId)).map((row) => fromCriminal(criminalRows.read(row)));
	return [...ordinary, ...special, ...criminal];
}

/** The value of one field of a customer, from whichever table holds it. */
export async function findHeldValue(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string, field: string): Promise<HeldValue | undefined> {
	const ordinary = await dbGet(ctx.db
		.select()
		.from(customerField)
		.where(and(eq(customerField.workspaceId, ctx.workspaceId), eq(customerField.customerId, customerId), eq(customerField.field, field))));
	if (ordinary) return fromOrdinary(ordinary);
	const special = await dbGet(ctx.db
		.select()
		.from(specialCategoryValue)
		.where(
			and(eq(specialCategoryValue.workspaceId, ctx.workspaceId), eq(specialCategoryValue.customerId, customerId), eq(specialCategoryValue.field, field))
		));
	if (special) return fromSpecial(special);
	const criminal = await dbGet(ctx.db
		.select()
		.from(criminalOffenceValue)
		.where(
			and(eq(criminalOffenceValue.workspaceId, ctx.workspaceId), eq(criminalOffenceValue.customerId, customerId), eq(criminalOffenceValue.field, field))
		));
	return criminal ? fromCriminal(criminal) : undefined;
}

/** What may change on a held value; normalised only exists for ordinary fields and is ignored elsewhere. */
export type HeldValueChange = Partial<
	Pick<
		HeldValue,
		| 'value'
		| 'normalised'
		| 'retainUntil'
		| 'accuracy'
		| 'restricted'
		| 'legalHold'
		| 'legalHoldReason'
		| 'legalHoldCode'
		| 'legalHoldPurposeCode'
		| 'legalHoldUntil'
		| 'keptForHoldOnly'
		| 'erasedAt'
		| 'anonymisedAt'
		| 'updatedAt'
		| 'version'
	>
>;

export async function updateHeldValue(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, held: Pick<HeldValue, 'kind' | 'id'>, change: HeldValueChange): Promise<void> {
	const { normalised, ...common } = change;
	switch (held.kind) {
		case 'ordinary':
			await dbRun(ctx.db
				.update(customerField)
				.set(normalised === undefined ? common : { ...common, normalised })
				.where(and(eq(customerField.workspaceId, ctx.workspaceId), eq(customerField.id, held.id))));
			return;
		case 'special-category':
			await dbRun(ctx.db
				.update(specialCategoryValue)
				.set(common)
				.where(and(eq(specialCategoryValue.workspaceId, ctx.workspaceId), eq(specialCategoryValue.id, held.id))));
			return;
		case 'criminal-offence':
			await dbRun(ctx.db
				.update(criminalOffenceValue)
				.set(common)
				.where(and(eq(criminalOffenceValue.workspaceId, ctx.workspaceId), eq(criminalOffenceValue.id, held.id))));
			return;
	}
}

/** One change to a held value, for customer_field_history (UK GDPR Art 5(1)(d), Art 5(2)). */
export interface HistoryInput {
	held: Pick<HeldValue, 'kind' | 'id' | 'customerId' | 'field'>;
	change: FieldHistoryEntry['change'];
	oldValue?: string | null;
	newValue?: string | null;
	version: number;
	reason: string;
	requestId?: string | null;
}

export async function writeHistory(ctx: CoreContext, input: HistoryInput): Promise<FieldHistoryEntry> {
	const row = historyRow(ctx, input);
	await insertHistory(ctx, [row]);
	return row;
}

/**
 * A history row, not yet written: its id and time are taken now, in the order the operation makes
 * them (a replay gives the same ids), and insertHistory writes several in one statement.
 */
export function historyRow(ctx: CoreContext, input: HistoryInput): FieldHistoryEntry {
	return {
		id: ctx.ids(),
		workspaceId: ctx.workspaceId,
		customerId: input.held.customerId,
		valueKind: input.held.kind,
		valueId: input.held.id,
		field: input.held.field,
		change: input.change,
		oldValue: input.oldValue ?? null,
		newValue: input.newValue ?? null,
		version: input.version,
		actorId: ctx.actor.id,
		actorRole: ctx.actor.role,
		at: ctx.clock(),
		reason: input.reason,
		requestId: input.requestId ?? null
	};
}

/** Writes history rows made by historyRow, in their order, in one statement. */
export async function insertHistory(ctx: Pick<CoreContext, 'db'>, rows: readonly FieldHistoryEntry[]): Promise<void> {
	await statements(ctx.db).insertHistory(rows);
}

/** The current value of a field, as a typed error when the customer or field is unknown or erased. */
export async function requireHeldValue(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string, field: string): Promise<Result<HeldValue>> {
	const held = await findHeldValue(ctx, customerId, field);
	if (!held) return err('field.not-found', `Customer ${customerId} has no ${field} on record`, 'field');
	if (held.erasedAt !== null || held.anonymisedAt !== null) return err('field.erased', `${field} was erased or anonymised`, 'field');
	return ok(held);
}

/**
 * Removes every copy of a value's personal data from its history: old and new values, and the
 * reason text, which an agent may have written with a value in it. Who, when and what kind of
 * change stay, so the record of what happened survives the erasure (Art 5(2)).
 */
export async function scrubHistory(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, held: Pick<HeldValue, 'id'>): Promise<void> {
	await dbRun(ctx.db
		.update(customerFieldHistory)
		.set({ oldValue: null, newValue: null, reason: '' })
		.where(and(eq(customerFieldHistory.workspaceId, ctx.workspaceId), eq(customerFieldHistory.valueId, held.id))));
}

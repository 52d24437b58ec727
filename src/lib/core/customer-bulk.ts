/**
 * Recording many customers at once (a scenario's seed, a benchmark's 100,000): what recordCustomer
 * writes for each, row for row, id for id and audit entry for audit entry, at a fraction of the cost.
 * The purposes, retention rules and references are read once for the whole load, the rows are
 * written with prepared statements in the caller's one transaction, and each customer's name-index
 * document is written once (name-index.ts).
 *
 * Only the plain case is taken this way: every value valid, needed by a stated purpose and of an
 * ordinary category, every required field present, the reference free. Anything else (a finding in
 * record mode, special category or criminal-offence data, a refusal) goes through recordCustomer
 * itself, so its checks, findings and refusals are exactly the per-record path's.
 * customer-bulk.test.ts loads the same customers both ways and compares every row and hash.
 */
import { and, eq } from 'drizzle-orm';
import type { CoreContext } from './context';
import { dbAll, engineOf, preparedStatements, writeTransaction, type Statement, type StatementFactory } from './database';
import { appendAudit } from './audit';
import { checkFieldValue } from './collection';
import { recordCustomer, recordCustomerInput, type CollectionError, type RecordCustomerInput, type RecordedCustomer } from './customers';
import { indexCustomerNames } from './name-index';
import { parseInput } from './input';
import { categoryOfField, findPurpose, type Purpose } from './purposes';
import { retainUntilDate, type RetentionRule } from './retention';
import type { Result } from './result';
import { DATA_CATEGORIES, retentionRule } from './schema';

/** A refusal of one of the customers, with its place in the list; those before it are recorded. */
export type BulkCollectionError = CollectionError & { index: number };

/** Rows per multi-row insert: 64 values rows of 15 columns stay far below either engine's limit on parameters. */
const ROWS = 64;

const CUSTOMER_COLUMNS = '(id, workspace_id, reference, created_at, suppressed)';
const CUSTOMER_ROW = '(?, ?, ?, ?, false)';
const VALUE_COLUMNS =
	'(id, workspace_id, customer_id, field, category, value, normalised, purpose_code, lawful_basis, source, source_detail, collected_at, retention_rule_id, retain_until, updated_at)';
const VALUE_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const HISTORY_COLUMNS = '(id, workspace_id, customer_id, value_kind, value_id, field, change, old_value, new_value, version, actor_id, actor_role, at, reason, request_id)';
const HISTORY_ROW = "(?, ?, ?, 'ordinary', ?, ?, 'recorded', null, ?, 1, ?, ?, ?, ?, null)";

type Row = (string | null)[];

/** An insert of one row and one of ROWS rows, for a table. */
interface Insert {
	one: Statement<Row, unknown>;
	many: Statement<Row, unknown>;
}

interface BulkStatements {
	references: Statement<[string], { reference: string }>;
	customer: Insert;
	value: Insert;
	history: Insert;
}

const insert = (client: StatementFactory, table: string, columns: string, row: string): Insert => ({
	one: client.prepare<Row, unknown>(`insert into ${table} ${columns} values ${row}`),
	many: client.prepare<Row, unknown>(`insert into ${table} ${columns} values ${Array.from({ length: ROWS }, () => row).join(', ')}`)
});

const statements = preparedStatements<BulkStatements>((client) => ({
	references: client.prepare<[string], { reference: string }>('select reference from customer where workspace_id = ?'),
	customer: insert(client, 'customer', CUSTOMER_COLUMNS, CUSTOMER_ROW),
	value: insert(client, 'customer_field', VALUE_COLUMNS, VALUE_ROW),
	history: insert(client, 'customer_field_history', HISTORY_COLUMNS, HISTORY_ROW)
}));

/** Inserts rows in their order: ROWS at a time, the rest one by one. */
async function insertAll(statement: Insert, rows: Row[]): Promise<void> {
	let at = 0;
	for (; at + ROWS <= rows.length; at += ROWS) await statement.many.run(...rows.slice(at, at + ROWS).flat());
	for (; at < rows.length; at++) await statement.one.run(...rows[at]!);
}

const isOrdinary = (category: string) => (DATA_CATEGORIES as readonly string[]).includes(category);

interface PlainValue {
	field: string;
	category: string;
	value: string;
	normalised: string;
	purpose: Purpose;
	rule: RetentionRule;
}

/**
 * Records every customer in one write transaction (a savepoint inside the caller's), in order, as
 * recordCustomer would one after another. Stops at the first refusal and returns it with its index;
 * the caller decides whether what came before it stays (its transaction) or not (throw).
 */
export async function recordCustomers(ctx: CoreContext, inputs: readonly RecordCustomerInput[]): Promise<Result<RecordedCustomer[], BulkCollectionError>> {
	// A large load on SQLite: a larger page cache for its duration. Every value and history row goes
	// into several indexes keyed by random ids, so once the tables outgrow the 2 MB default each
	// insert reads and spills pages (30,000 customers: 103 s with the default, 79 s with 256 MB, noisy).
	if (inputs.length < LARGE_LOAD || engineOf(ctx.db) !== 'sqlite') return await load(ctx, inputs);
	const client = ctx.db.$client;
	const kept = client.pragma('cache_size', { simple: true }) as number;
	client.pragma(`cache_size = ${LARGE_LOAD_CACHE_KIB}`);
	try {
		return await load(ctx, inputs);
	} finally {
		client.pragma(`cache_size = ${kept}`);
	}
}

/** From how many customers a load counts as large, and its page cache then (negative: KiB, as SQLite reads it). */
const LARGE_LOAD = 1_000;
const LARGE_LOAD_CACHE_KIB = -262_144;

async function load(ctx: CoreContext, inputs: readonly RecordCustomerInput[]): Promise<Result<RecordedCustomer[], BulkCollectionError>> {
	return await writeTransaction(ctx.db, async () => {
		const stmts = statements(ctx.db);
		const purposes = new Map<string, Purpose | undefined>();
		const rules = new Map<string, RetentionRule | undefined>();
		const purposeOf = async (code: string) => {
			if (!purposes.has(code)) purposes.set(code, await findPurpose(ctx, code));
			return purposes.get(code);
		};
		const ruleOf = async (id: string) => {
			if (!rules.has(id)) {
				rules.set(id, (await dbAll(ctx.db.select().from(retentionRule).where(and(eq(retentionRule.workspaceId, ctx.workspaceId), eq(retentionRule.id, id)))))[0]);
			}
			return rules.get(id);
		};
		const references = new Set((await stmts.references.all(ctx.workspaceId)).map((r) => r.reference));
		const nextReference = () => {
			// As customers.ts nextReference: the count of customers, then the first free number after it.
			let n = 100_001 + references.size;
			while (references.has(`ACC-${n}`)) n++;
			return `ACC-${n}`;
		};

		// Rows wait here and go in many at a time (each table's rows in recordCustomer's order), before
		// anything else reads them: a customer the per-record path takes, and the end of the load.
		const pending = { customers: [] as Row[], values: [] as Row[], history: [] as Row[], named: [] as string[] };
		const flush = async () => {
			await insertAll(stmts.customer, pending.customers);
			await insertAll(stmts.value, pending.values);
			await insertAll(stmts.history, pending.history);
			await indexCustomerNames(ctx.db, pending.named, { isNew: true });
			pending.customers = [];
			pending.values = [];
			pending.history = [];
			pending.named = [];
		};

		const recorded: RecordedCustomer[] = [];
		for (const [index, input] of inputs.entries()) {
			const plan = await plainPlan(ctx, input, { purposeOf, ruleOf, taken: (reference) => references.has(reference) });
			if (plan === undefined) {
				// Not the plain case: the per-record path decides, records findings or refuses.
				await flush();
				const done = await recordCustomer(ctx, input);
				if (!done.ok) return { ok: false, error: { ...done.error, index } };
				references.add(done.value.reference);
				recorded.push(done.value);
				continue;
			}
			// Ids and clock readings in recordCustomer's order: the customer, then each value and its history row, then the audit entry.
			const customerId = ctx.ids();
			const reference = plan.reference ?? nextReference();
			const row = {
				id: customerId,
				workspaceId: ctx.workspaceId,
				reference,
				createdAt: ctx.clock(),
				relationshipEndedAt: null,
				erasedAt: null,
				suppressed: false,
				suppressedAt: null
			};
			pending.customers.push([customerId, ctx.workspaceId, reference, row.createdAt]);
			references.add(reference);
			const now = ctx.clock();
			for (const p of plan.values) {
				const valueId = ctx.ids();
				const retainUntil = p.rule.trigger === 'collected' || p.rule.trigger === 'last-contact' ? retainUntilDate(p.rule, now) : null;
				pending.values.push([
					valueId, ctx.workspaceId, customerId, p.field, p.category, p.value, p.normalised, p.purpose.code, p.purpose.lawfulBasis,
					plan.source, plan.sourceDetail, now, p.rule.id, retainUntil, now
				]);
				pending.history.push([ctx.ids(), ctx.workspaceId, customerId, valueId, p.field, p.value, ctx.actor.id, ctx.actor.role, ctx.clock(), `collected for ${p.purpose.code}`]);
			}
			pending.named.push(customerId);
			const fields = plan.values.map((p) => p.field);
			// The audit chain is its own table: its entry goes in now, the customer's rows with the next flush.
			await appendAudit(ctx, {
				action: 'customer.recorded',
				subjectType: 'customer',
				subject: customerId,
				fields,
				details: { purposeCodes: plan.purposeCodes, categories: [...new Set(plan.values.map((p) => p.category))], source: plan.source, findingIds: [] }
			});
			recorded.push({ ...row, recordedFields: fields, findingIds: [] });
			if (pending.customers.length >= ROWS) await flush();
		}
		await flush();
		return { ok: true, value: recorded };
	});
}

interface PlainCustomer {
	reference: string | undefined;
	purposeCodes: string[];
	source: string;
	sourceDetail: string;
	values: PlainValue[];
}

/** The customer's values as recordCustomer would store them, or undefined when it is not the plain case. */
async function plainPlan(
	ctx: CoreContext,
	input: RecordCustomerInput,
	lookups: { purposeOf: (code: string) => Promise<Purpose | undefined>; ruleOf: (id: string) => Promise<RetentionRule | undefined>; taken: (reference: string) => boolean }
): Promise<PlainCustomer | undefined> {
	const parsed = parseInput(recordCustomerInput, input);
	if (!parsed.ok) return undefined;
	const q = parsed.value;
	if (q.reference !== undefined && lookups.taken(q.reference)) return undefined;
	const stated: Purpose[] = [];
	for (const code of q.purposeCodes) {
		const p = await lookups.purposeOf(code);
		if (!p || !p.active) return undefined;
		if (!stated.some((s) => s.id === p.id)) stated.push(p);
	}
	const ages = stated.map((p) => p.minimumAge).filter((age): age is number => age !== null);
	const minimumAge = ages.length > 0 ? Math.max(...ages) : undefined;
	const today = ctx.clock().slice(0, 10);
	for (const p of stated) for (const field of p.requiredFields) if (!(field in q.fields)) return undefined;
	const values: PlainValue[] = [];
	for (const [field, raw] of Object.entries(q.fields)) {
		const checked = checkFieldValue(field, raw, { today, minimumAge });
		if (!checked.ok) return undefined;
		const needing = stated.find((p) => p.fields.includes(field));
		if (!needing) return undefined;
		const category = categoryOfField(needing, field);
		if (category === undefined || !isOrdinary(category)) return undefined;
		const rule = await lookups.ruleOf(needing.retentionRuleId);
		if (!rule) return undefined;
		values.push({ field, category, ...checked.value, purpose: needing, rule });
	}
	return { reference: q.reference, purposeCodes: q.purposeCodes, source: q.source, sourceDetail: q.sourceDetail, values };
}

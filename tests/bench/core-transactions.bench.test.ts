/**
 * Record + disclose transactions per second through the core, on a file database with WAL: each
 * pair is recordCustomer (validation, minimisation, history, search index, audit) then an
 * authorised disclose to a colleague whose purpose needs the phone number (route decision,
 * disclosure log, audit). Baseline, in the same process: the same number of pairs of bare
 * better-sqlite3 transactions inserting the equivalent domain rows (the customer, its field rows,
 * the disclosure row) with prepared INSERTs, one transaction each, on a database with the same
 * schema and pragmas. The ratio is the price of everything the core does besides storing the rows.
 * No timed assertions: figures only.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/core/database';
import { randomIds, systemClock, type CoreContext } from '../../src/lib/core/context';
import { createWorkspace } from '../../src/lib/core/workspace';
import { defineStandardPurposes } from '../../src/lib/core/testing-records';
import { recordCustomer } from '../../src/lib/core/customers';
import { disclose } from '../../src/lib/core/disclosure';
import { checkFieldValue } from '../../src/lib/core/collection';
import { findPurpose } from '../../src/lib/core/purposes';
import { recordFigure } from './report';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 2_000);
const WARM_UP = 200;
const CORE_DATABASE = 'tests/.artifacts/core-transactions-bench.db';
const BARE_DATABASE = 'tests/.artifacts/core-transactions-bare.db';

const AGENT = { id: 'bench-agent', role: 'agent' };

/** The n-th customer's fields, as offered at collection. */
function person(n: number): Record<string, string> {
	return {
		givenName: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava'][n % 6]!,
		familyName: `Benchley${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + (Math.floor(n / 26) % 26))}`,
		dateOfBirth: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
		addressLine1: `${1 + (n % 200)} High Street`,
		postcode: `RG${1 + (n % 30)} ${n % 10}AB`,
		email: `customer${n}@example.com`,
		phone: `07700 9${String(n % 100_000).padStart(5, '0')}`,
		balance: `${n % 1000}.50`
	};
}

function openFresh(path: string): Db {
	for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	return openDatabase(path);
}

async function coreContext(db: Db): Promise<CoreContext> {
	const created = await createWorkspace({ db, actor: AGENT, clock: systemClock, ids: randomIds() }, {
		organisationName: 'Bench Utilities Ltd',
		region: 'england-and-wales',
		policyMode: 'enforce',
		dpoName: 'Dana Protection',
		dpoEmail: 'dpo@bench.example'
	});
	if (!created.ok) throw new Error(created.error.message);
	const ctx: CoreContext = { db, workspaceId: created.value.id, actor: AGENT, clock: systemClock, ids: randomIds() };
	await defineStandardPurposes(ctx);
	return ctx;
}

/** One record + disclose pair through the core. */
async function corePair(ctx: CoreContext, n: number): Promise<void> {
	const recorded = await recordCustomer(ctx, { purposeCodes: ['account-servicing'], fields: person(n) });
	if (!recorded.ok) throw new Error(recorded.error.message);
	const disclosed = await disclose(ctx, {
		customerId: recorded.value.id,
		recipient: { type: 'colleague', name: 'Collections colleague', role: 'debt collection agencies' },
		fields: ['phone'],
		fieldsRequested: ['phone'],
		purposeCode: 'account-servicing',
		channel: 'internal'
	});
	if (!disclosed.ok || !disclosed.value.disclosure.authorised) throw new Error('bench: the disclosure should be authorised');
}

/** The same domain rows with bare prepared INSERTs: a customer with its fields, then a disclosure. */
async function bareInserter(db: Db, workspaceId: string) {
	const client = db.$client;
	const purpose = await findPurpose({ db, workspaceId }, 'account-servicing');
	if (!purpose) throw new Error('bench: no purpose');
	const insertCustomer = client.prepare('insert into customer (id, workspace_id, reference, created_at) values (?, ?, ?, ?)');
	const insertField = client.prepare(
		`insert into customer_field (id, workspace_id, customer_id, field, category, value, normalised, purpose_code, lawful_basis, source, collected_at, retention_rule_id, updated_at)
		 values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'data-subject', ?, ?, ?)`
	);
	const insertDisclosure = client.prepare(
		`insert into disclosure (id, workspace_id, customer_id, recipient_type, recipient_name, recipient_role, route, authorised, manner, fields, categories, purpose_code, basis_or_exemption, channel, disclosed_by, disclosed_at)
		 values (?, ?, ?, 'colleague', 'Collections colleague', 'debt collection agencies', 'colleague-need-to-know', 1, 'supplied', '["phone"]', '["contact"]', 'account-servicing', 'contract (purpose account-servicing)', 'internal', ?, ?)`
	);
	// Values normalised beforehand, as the core would have them: the baseline stores, nothing more.
	const categories: Record<string, string> = { givenName: 'identity', familyName: 'identity', dateOfBirth: 'identity', addressLine1: 'contact', postcode: 'contact', email: 'contact', phone: 'contact', balance: 'financial' };
	const prepared = (n: number) =>
		Object.entries(person(n)).map(([field, raw]) => {
			const checked = checkFieldValue(field, raw, { today: '2025-03-03' });
			if (!checked.ok) throw new Error(checked.error.message);
			return { field, category: categories[field]!, ...checked.value };
		});
	const recordTx = client.transaction((n: number, values: ReturnType<typeof prepared>) => {
		const customerId = randomUUID();
		const now = new Date().toISOString();
		insertCustomer.run(customerId, workspaceId, `BARE-${n}`, now);
		for (const v of values) insertField.run(randomUUID(), workspaceId, customerId, v.field, v.category, v.value, v.normalised, purpose.code, purpose.lawfulBasis, now, purpose.retentionRuleId, now);
		return customerId;
	});
	const discloseTx = client.transaction((customerId: string) => {
		const now = new Date().toISOString();
		insertDisclosure.run(randomUUID(), workspaceId, customerId, AGENT.id, now);
	});
	return { prepared, pair: (n: number, values: ReturnType<typeof prepared>) => discloseTx.immediate(recordTx.immediate(n, values)) };
}

describe('core transactions benchmark', () => {
	it(`records and discloses ${PAIRS} customers through the core, beside bare inserts of the same rows`, async () => {
		const coreDb = openFresh(CORE_DATABASE);
		const ctx = await coreContext(coreDb);
		for (let n = 0; n < WARM_UP; n++) await corePair(ctx, 1_000_000 + n);
		let started = performance.now();
		for (let n = 0; n < PAIRS; n++) await corePair(ctx, n);
		const coreSeconds = (performance.now() - started) / 1000;
		const coreRows = coreDb.$client.prepare('select (select count(*) from customer) c, (select count(*) from disclosure) d, (select count(*) from audit_entry) a').get() as { c: number; d: number; a: number };
		coreDb.$client.close();

		const bareDb = openFresh(BARE_DATABASE);
		const bareCtx = await coreContext(bareDb);
		const bare = await bareInserter(bareDb, bareCtx.workspaceId);
		const inputs = Array.from({ length: PAIRS + WARM_UP }, (_, i) => bare.prepared(i));
		for (let n = 0; n < WARM_UP; n++) bare.pair(1_000_000 + n, inputs[PAIRS + n]!);
		started = performance.now();
		for (let n = 0; n < PAIRS; n++) bare.pair(n, inputs[n]!);
		const bareSeconds = (performance.now() - started) / 1000;
		bareDb.$client.close();

		expect(coreRows.c).toBe(PAIRS + WARM_UP);
		expect(coreRows.d).toBe(PAIRS + WARM_UP);
		const corePairsPerSecond = PAIRS / coreSeconds;
		const barePairsPerSecond = PAIRS / bareSeconds;
		recordFigure({
			id: 'core-record-disclose.ratio',
			name: `core: recordCustomer + authorised disclose, file database (WAL), ${PAIRS} pairs`,
			value: corePairsPerSecond,
			unit: 'pairs/s (2 transactions each)',
			baselineName: 'bare better-sqlite3 prepared INSERTs of the customer, its fields and the disclosure, one transaction each',
			baseline: barePairsPerSecond,
			goal: { min: 0.5, of: 'ratio', text: '≥ 0.5 of bare better-sqlite3 (issue 19)' },
			notes:
				`core ${(coreSeconds * 1000 / PAIRS).toFixed(2)} ms per pair (${((2 * PAIRS) / coreSeconds).toFixed(0)} transactions/s), ` +
				`bare ${(bareSeconds * 1000 / PAIRS).toFixed(2)} ms; the core also writes field history, the search index and ` +
				`${((coreRows.a - 1) / (PAIRS + WARM_UP)).toFixed(1)} hash-chained audit entries per pair (set-up entries included), and validates and decides the route`
		});
	});
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntries, verifyAuditChain } from './audit';
import { correctField } from './corrections';
import { addCustomerFields, recordCustomer, type RecordCustomerInput } from './customers';
import { recordCustomers } from './customer-bulk';
import { dbQuery, dbRun, engineOf } from './database';
import { everyRow } from './testing-tables';
import { indexUnindexedNames } from './name-index';
import { customer, customerField } from './schema';
import { findPurpose } from './purposes';
import { searchCustomers, type SearchInput } from './search';
import { closeTestContextsAfterEach, createTestContext, type TestContext } from './testing';
import { defineStandardPurposes } from './testing-records';

closeTestContextsAfterEach();

const GIVEN = ['Zoë', 'Seán', 'María José', 'Łukasz', 'Oliver', 'Amelia', 'Chidi', 'Aoife'];
const FAMILY = ['Lovelace', "O'Brien-Smith", 'de la Cruz', 'Nguyễn', 'Kowalski', 'Okafor', 'MacDonald', 'Lovell'];

/** Plain customers (the bulk path's own), with and without references, some with middle and preferred names. */
function plainCustomers(count: number): RecordCustomerInput[] {
	return Array.from({ length: count }, (_, i) => ({
		...(i % 3 === 0 ? {} : { reference: `ACC-${200_000 + i}` }),
		purposeCodes: ['account-servicing'],
		fields: {
			givenName: GIVEN[i % GIVEN.length]!,
			...(i % 4 === 1 ? { middleNames: 'Ann Marie' } : {}),
			familyName: FAMILY[(i * 3) % FAMILY.length]!,
			dateOfBirth: `${1950 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
			addressLine1: `${i + 1} High Street`,
			postcode: 'sw1a1aa',
			email: `person${i}@Example.com`,
			phone: `07700 ${String(900_000 + i)}`
		}
	}));
}

/** Customers only recordCustomer itself takes: a finding, special category data, two purposes. */
const unusual: RecordCustomerInput[] = [
	{ reference: 'ACC-300001', purposeCodes: ['account-servicing'], fields: { givenName: 'Ada', familyName: 'Byron', addressLine1: '1 Lane', postcode: 'M1 1AE', nationalInsuranceNumber: 'AB123456C' } },
	{
		reference: 'ACC-300002',
		purposeCodes: ['account-servicing', 'vulnerability-support'],
		fields: { givenName: 'Grace', familyName: 'Hopper', addressLine1: '2 Lane', postcode: 'M1 1AE', vulnerabilityNote: 'Hearing impaired' },
		conditions: { vulnerabilityNote: { art9Condition: 'vital-interests' } }
	}
];

async function setUp(policyMode: 'record' | 'enforce' = 'record'): Promise<TestContext> {
	const t = await createTestContext({ seed: 'bulk', workspace: { policyMode } });
	await defineStandardPurposes(t.ctx);
	return t;
}

/** One by one through recordCustomer, stopping at the first refusal, as a bulk load does. */
async function oneByOne(t: TestContext, inputs: RecordCustomerInput[]): Promise<{ recorded: number; refusedAt?: number }> {
	for (const [index, input] of inputs.entries()) {
		if (!(await recordCustomer(t.ctx, input)).ok) return { recorded: index, refusedAt: index };
	}
	return { recorded: inputs.length };
}

const searches: SearchInput[] = [
	{ name: 'Zoe Lovelace' },
	{ name: 'lov' },
	{ name: 'Lovelase' },
	{ name: 'maria jose cruz' },
	{ name: 'obrien' },
	{ name: 'Nguyen' },
	{ name: 'Kowalsky' },
	{ name: 'ann' },
	{ name: 'Okafor', postcode: 'SW1A' },
	{ name: 'grace hopper' },
	{ reference: 'ACC-2000' }
];

describe('recording customers in bulk', () => {
	it('writes the same rows, ids, name index and audit chain as recordCustomer one by one, and finds the same customers', async () => {
		const inputs = [...plainCustomers(30).slice(0, 12), ...unusual, ...plainCustomers(30).slice(12)];
		const single = await setUp();
		const bulk = await setUp();
		expect(await oneByOne(single, inputs)).toEqual({ recorded: inputs.length });
		const result = await recordCustomers(bulk.ctx, inputs);
		expect(result.ok && result.value).toHaveLength(inputs.length);

		expect(await everyRow(bulk.ctx.db)).toEqual(await everyRow(single.ctx.db));
		const hashes = async (t: TestContext) => (await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.hash);
		expect(await hashes(bulk)).toEqual(await hashes(single));
		expect(await verifyAuditChain(bulk.ctx.db, bulk.ctx.workspaceId)).toMatchObject({ ok: true });

		for (const query of searches) {
			const [one, many] = [await searchCustomers(single.ctx, query), await searchCustomers(bulk.ctx, query)];
			expect(many, JSON.stringify(query)).toEqual(one);
		}
		// The comparison is not of empty lists: exact, partial and misspelt names find customers.
		for (const [name, match] of [['Zoe Lovelace', 'exact'], ['lov', 'prefix'], ['Kowalsky', 'fuzzy']] as const) {
			const found = await searchCustomers(bulk.ctx, { name });
			expect(found.ok && found.value.hits.some((h) => h.match === match), name).toBe(true);
		}
	});

	it('stops at a refused customer, with its index, having written what recordCustomer would have before it', async () => {
		const refused: RecordCustomerInput = { purposeCodes: ['account-servicing'], fields: { givenName: 'No', familyName: 'Address' } };
		const inputs = [...plainCustomers(5), refused, ...plainCustomers(3)];
		const single = await setUp('enforce');
		const bulk = await setUp('enforce');
		expect(await oneByOne(single, inputs)).toEqual({ recorded: 5, refusedAt: 5 });
		expect(await recordCustomers(bulk.ctx, inputs)).toMatchObject({ ok: false, error: { code: 'required', field: 'addressLine1', index: 5 } });
		expect(await everyRow(bulk.ctx.db)).toEqual(await everyRow(single.ctx.db));
	});

	it('loads a large batch and leaves the connection as it found it', async () => {
		const bulk = await setUp();
		const sqlite = engineOf(bulk.ctx.db) === 'sqlite';
		const cacheSize = () => (sqlite ? bulk.ctx.db.$client.pragma('cache_size', { simple: true }) : undefined);
		const before = cacheSize();
		const inputs = plainCustomers(1_000).map((input, i) => ({ ...input, reference: `ACC-${400_000 + i}` }));
		const result = await recordCustomers(bulk.ctx, inputs);
		expect(result.ok && result.value.map((c) => c.reference)).toEqual(inputs.map((i) => i.reference));
		expect(cacheSize()).toBe(before);
		expect(await searchCustomers(bulk.ctx, { name: 'maria jose', pageSize: 1 })).toMatchObject({ ok: true, value: { total: 125 } });
	});

	it('refuses a reference already taken, in the workspace or earlier in the same load', async () => {
		const bulk = await setUp();
		const [first] = plainCustomers(2).slice(1);
		expect((await recordCustomer(bulk.ctx, first!)).ok).toBe(true);
		expect(await recordCustomers(bulk.ctx, [first!])).toMatchObject({ ok: false, error: { code: 'customer.reference-exists', index: 0 } });
		const other = { ...plainCustomers(3)[2]!, reference: 'ACC-999999' };
		expect(await recordCustomers(bulk.ctx, [other, other])).toMatchObject({ ok: false, error: { code: 'customer.reference-exists', index: 1 } });
	});
});

describe('the name index, written once per collection', () => {
	/** The words the name index holds for the workspace: FTS5's vocabulary on SQLite, the folded names on PostgreSQL. */
	async function indexedWords(t: TestContext): Promise<string[]> {
		const rows =
			engineOf(t.ctx.db) === 'postgres'
				? (await dbQuery<{ names: string }>(t.ctx.db, sql`select names from customer_name_search where workspace_id = ${t.ctx.workspaceId}`)).flatMap((r) => r.names.split(' '))
				: (await dbQuery<{ term: string }>(t.ctx.db, sql`select term from customer_name_terms where col = 'names'`)).map((r) => r.term);
		return [...new Set(rows.filter(Boolean))].sort();
	}

	it('indexes names added later, and takes a corrected name out of the index', async () => {
		const t = await setUp();
		const recorded = await recordCustomer(t.ctx, plainCustomers(1)[0]!);
		if (!recorded.ok) throw new Error(recorded.error.message);
		const id = recorded.value.id;
		expect(await indexedWords(t)).toEqual(['lovelace', 'zoe']);
		expect((await addCustomerFields(t.ctx, { customerId: id, purposeCodes: ['account-servicing'], fields: { middleNames: 'Augusta' } })).ok).toBe(true);
		expect(await indexedWords(t)).toEqual(['augusta', 'lovelace', 'zoe']);
		expect(await searchCustomers(t.ctx, { name: 'zoe augusta lovelace' })).toMatchObject({ ok: true, value: { total: 1, hits: [{ customerId: id, match: 'exact' }] } });
		expect((await correctField(t.ctx, { customerId: id, field: 'familyName', newValue: 'King', reason: 'married name' })).ok).toBe(true);
		expect(await indexedWords(t)).toEqual(['augusta', 'king', 'zoe']);
		expect(await searchCustomers(t.ctx, { name: 'lovelace' })).toMatchObject({ ok: true, value: { total: 0 } });
	});

	it('indexes names inserted straight into the tables (an import) once asked to', async () => {
		const t = await setUp();
		const purpose = (await findPurpose(t.ctx, 'account-servicing'))!;
		const at = t.ctx.clock();
		await dbRun(t.ctx.db.insert(customer).values({ id: 'imported-1', workspaceId: t.ctx.workspaceId, reference: 'ACC-500001', createdAt: at }));
		for (const [field, value] of [['givenName', 'Ngozi'], ['familyName', 'Okonjo']] as const) {
			await dbRun(t.ctx.db.insert(customerField).values({
				id: `imported-1-${field}`,
				workspaceId: t.ctx.workspaceId,
				customerId: 'imported-1',
				field,
				category: 'identity',
				value,
				normalised: value.toLowerCase(),
				purposeCode: purpose.code,
				lawfulBasis: purpose.lawfulBasis,
				source: 'data-subject',
				collectedAt: at,
				retentionRuleId: purpose.retentionRuleId,
				updatedAt: at
			}));
		}
		// SQLite: nothing indexes them until the import asks; PostgreSQL's triggers already have.
		await indexUnindexedNames(t.ctx.db);
		expect(await searchCustomers(t.ctx, { name: 'ngozi okonjo' })).toMatchObject({ ok: true, value: { total: 1, hits: [{ customerId: 'imported-1', match: 'exact' }] } });
		expect(await indexUnindexedNames(t.ctx.db)).toBe(0);
	});
});

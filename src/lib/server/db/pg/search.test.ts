/**
 * Name search on a real PostgreSQL (core/search-pg.ts) against SQLite's (core/search.ts): the same
 * customers, recorded by the core on SQLite and copied row for row through the generated schema
 * (which is also a check that the type mapping round-trips), found and ranked the same way, with
 * the cases of core/search.test.ts that are about names.
 */
import { dbAll } from '$lib/core/database';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCustomer } from '$lib/core/customers';
import { correctField } from '$lib/core/corrections';
import { auditEntry, customer, customerField, retentionRule, workspace } from '$lib/core/schema';
import { searchCustomers } from '$lib/core/search';
import { nameQueryTokens, nameSearchQuery, type NameSearchOptions } from '$lib/core/search-pg';
import { createTestContext, type TestContext } from '$lib/core/testing';
import { defineStandardPurposes } from '$lib/core/testing-records';
import { startTestPostgres, type TestPostgres } from '$lib/core/testing-postgres';
import * as pgSchema from '$lib/core/schema-pg';

// The people of core/search.test.ts.
const people = [
	{ reference: 'ACC-1001', fields: { givenName: 'Zoë', familyName: 'Lovelace', dateOfBirth: '1985-12-10', postcode: 'SW1A 1AA', email: 'zoe@example.com', phone: '07700 900001' } },
	{ reference: 'ACC-1002', fields: { givenName: 'Zoe', familyName: 'Lovell', dateOfBirth: '1990-01-02', postcode: 'SW1A 2AA', email: 'zl@example.com', phone: '07700 900002' } },
	{ reference: 'ACC-1003', fields: { givenName: 'María José', familyName: 'de la Cruz', dateOfBirth: '1970-07-07', postcode: 'M1 1AE', email: 'mj@example.com', phone: '0161 496 0003' } },
	{ reference: 'ACC-2004', fields: { givenName: 'Sean', familyName: "O'Brien-Smith", dateOfBirth: '1962-03-04', postcode: 'BT1 5GS', email: 'Sean.OBrien@Example.com', phone: '028 9649 6004' } },
	{ reference: 'ACC-2005', fields: { givenName: 'Lovelace', familyName: 'Jones', dateOfBirth: '2000-02-29', postcode: 'CR2 6XH', email: 'lj@example.com', phone: '020 7946 0005' } },
	{ reference: 'BCC-3006', fields: { givenName: 'Ada', familyName: 'Lovelase', dateOfBirth: '1999-09-09', postcode: 'EC1A 1BB', email: 'al@example.com', phone: '020 7946 0006' } }
];
const TIERS = ['exact', 'prefix', 'fuzzy'] as const;
const dialect = new PgDialect();

let postgres: TestPostgres;
let t: TestContext;
const ids: Record<string, string> = {};
const references = new Map<string, string>();

/** Copies the SQLite test workspace's customers to PostgreSQL, in creation (rowid) order. */
async function copyToPostgres(): Promise<void> {
	const db = t.ctx.db;
	await postgres.db.insert(pgSchema.workspace).values(await dbAll(db.select().from(workspace)));
	await postgres.db.insert(pgSchema.retentionRule).values(await dbAll(db.select().from(retentionRule)));
	await postgres.db.insert(pgSchema.customer).values(await dbAll(db.select().from(customer).orderBy(sql`rowid`)));
	await postgres.db.insert(pgSchema.customerField).values(await dbAll(db.select().from(customerField)));
	await postgres.db.insert(pgSchema.auditEntry).values(await dbAll(db.select().from(auditEntry)));
}

beforeAll(async () => {
	postgres = await startTestPostgres();
	t = await createTestContext();
	await defineStandardPurposes(t.ctx);
	for (const p of people) {
		const result = await recordCustomer(t.ctx, { reference: p.reference, purposeCodes: ['account-servicing'], fields: { ...p.fields, addressLine1: '1 High Street' } });
		if (!result.ok) throw new Error(result.error.message);
		ids[p.reference] = result.value.id;
		references.set(result.value.id, p.reference);
	}
	await copyToPostgres();
}, 60_000);
afterAll(async () => {
	t?.close();
	await postgres?.close();
});

/** [reference, match] of a name search on PostgreSQL, and the total. */
async function onPostgres(name: string, options: NameSearchOptions & { workspaceId?: string } = {}) {
	const tokens = nameQueryTokens(name);
	if (tokens.length === 0) return { hits: [], total: 0 };
	const query = dialect.sqlToQuery(nameSearchQuery(options.workspaceId ?? t.ctx.workspaceId, tokens, options));
	const rows = (await postgres.pool.query<{ customer_id: string; tier: number; total: number }>(query.sql, query.params)).rows;
	return { hits: rows.map((r) => [references.get(r.customer_id), TIERS[r.tier]]), total: rows[0]?.total ?? 0 };
}

/** The same search through the core on SQLite. */
async function onSqlite(name: string) {
	const result = await searchCustomers(t.ctx, { name });
	if (!result.ok) throw new Error(result.error.message);
	return { hits: result.value.hits.map((h) => [h.reference, h.match]), total: result.value.total };
}

describe('rows copied from SQLite to PostgreSQL', () => {
	it('come back as the same JavaScript values: JSON settings, booleans, and audit entries’ canonical text and hashes', async () => {
		const db = t.ctx.db;
		const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
		expect(await postgres.db.select().from(pgSchema.workspace)).toEqual(await dbAll(db.select().from(workspace)));
		expect(byId(await postgres.db.select().from(pgSchema.customer))).toEqual(byId(await dbAll(db.select().from(customer))));
		expect(byId(await postgres.db.select().from(pgSchema.auditEntry))).toEqual(byId(await dbAll(db.select().from(auditEntry))));
	});
});

describe('name search on PostgreSQL', () => {
	it.each([
		['Zoe Lovel', [['ACC-1001', 'prefix'], ['ACC-1002', 'prefix']]],
		['zoe lovell', [['ACC-1002', 'exact']]],
		['lovel', [['ACC-1001', 'prefix'], ['ACC-1002', 'prefix'], ['ACC-2005', 'prefix'], ['BCC-3006', 'prefix']]],
		['lov', [['ACC-1001', 'prefix'], ['ACC-1002', 'prefix'], ['ACC-2005', 'prefix'], ['BCC-3006', 'prefix']]],
		['cruz', [['ACC-1003', 'exact']]],
		['Maria Jose de la Cruz', [['ACC-1003', 'exact']]],
		['obrien', [['ACC-2004', 'exact']]],
		['O’Brien smith', [['ACC-2004', 'exact']]],
		['lovelase', [['BCC-3006', 'exact'], ['ACC-1001', 'fuzzy'], ['ACC-2005', 'fuzzy']]],
		['Lovelace', [['ACC-1001', 'exact'], ['ACC-2005', 'exact'], ['BCC-3006', 'fuzzy']]],
		['ada lovelace', [['BCC-3006', 'fuzzy']]],
		['xyzzy', []],
		['"lovelace" OR NEAR(', []],
		['lovelace*', [['ACC-1001', 'exact'], ['ACC-2005', 'exact'], ['BCC-3006', 'fuzzy']]],
		// Slips that leave few trigrams in common: found by the rule all the same, as on SQLite.
		['aba', [['BCC-3006', 'fuzzy']]],
		['lvoelace', [['ACC-1001', 'fuzzy'], ['ACC-2005', 'fuzzy']]],
		// Within a tier: the nearer spelling first (one slip from Lovelase, two from Lovelace).
		['lovelxse', [['BCC-3006', 'fuzzy'], ['ACC-1001', 'fuzzy'], ['ACC-2005', 'fuzzy']]]
	])('finds and ranks “%s” as SQLite does', async (name, expected) => {
		const pg = await onPostgres(name);
		expect(pg.hits).toEqual(expected);
		expect(pg).toEqual(await onSqlite(name));
	});

	it('pages results and reports the total', async () => {
		expect(await onPostgres('lov', { limit: 2, offset: 2 })).toEqual({ hits: [['ACC-2005', 'prefix'], ['BCC-3006', 'prefix']], total: 4 });
	});

	it('looks only among the customers other criteria found', async () => {
		expect((await onPostgres('zoe', { customerIds: [ids['ACC-1002']!] })).hits).toEqual([['ACC-1002', 'exact']]);
		expect((await onPostgres('zoe', { customerIds: [ids['ACC-1003']!] })).hits).toEqual([]);
	});

	it('never finds another workspace’s customers', async () => {
		expect((await onPostgres('lovelace', { workspaceId: 'another-workspace' })).total).toBe(0);
	});

	it('follows corrections and erasure: the old name is no longer found, the new one is', async () => {
		const corrected = await correctField(t.ctx, { customerId: ids['ACC-1003']!, field: 'familyName', newValue: 'Ferreira', reason: 'married' });
		if (!corrected.ok) throw new Error(corrected.error.message);
		// The corrected row as SQLite now holds it, written to PostgreSQL as an update.
		for (const row of await dbAll(t.ctx.db.select().from(customerField).where(sql`${customerField.customerId} = ${ids['ACC-1003']!}`))) {
			await postgres.db.insert(pgSchema.customerField).values(row).onConflictDoUpdate({ target: pgSchema.customerField.id, set: row });
		}
		expect((await onPostgres('cruz')).hits).toEqual([]);
		expect((await onPostgres('ferreira')).hits).toEqual([['ACC-1003', 'exact']]);
		expect(await onPostgres('ferreira')).toEqual(await onSqlite('ferreira'));
		await postgres.pool.query("update customer_field set normalised = null where customer_id = $1 and field = 'familyName'", [ids['ACC-1003']!]);
		expect((await onPostgres('ferreira')).hits).toEqual([]);
		expect((await onPostgres('maria')).hits).toEqual([['ACC-1003', 'exact']]);
	});

	it('has a GIN index that serves the candidates’ condition', async () => {
		const client = await postgres.connect();
		// Six customers are cheaper to scan; with scans off, the plan shows what the index can serve.
		// (In a small workspace the planner rightly prefers the workspace's own B-tree index.)
		await client.query('set enable_seqscan = off');
		const plan = JSON.stringify(
			(await client.query(`explain (format json) select customer_id from customer_name_search where document @@ (to_tsquery('simple', 'l:*') || to_tsquery('simple', 'zo:*'))`)).rows[0]['QUERY PLAN']
		);
		await client.end();
		expect(plan).toContain('customer_name_search_document_idx');
	});
});

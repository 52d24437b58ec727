import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbAll, dbQuery, engineOf } from './database';
import { auditEntries, verifyAuditChain } from './audit';
import { endRelationship, findCustomer, recordCustomer } from './customers';
import { correctField } from './corrections';
import { anonymiseCustomerData, eraseCustomerData, generalise } from './erasure';
import { applyLegalHold } from './legal-hold';
import { findHeldValue, heldValues } from './held-values';
import { searchCustomers } from './search';
import { customerFieldHistory } from './schema';
import { closeTestContextsAfterEach, createTestContext } from './testing';
import { defineStandardPurposes } from './testing-records';

closeTestContextsAfterEach();

async function setUp() {
	const t = await createTestContext();
	await defineStandardPurposes(t.ctx);
	const result = await recordCustomer(t.ctx, {
		purposeCodes: ['account-servicing', 'identity-checks', 'marketing', 'vulnerability-support'],
		fields: {
			givenName: 'Ada',
			familyName: 'Lovelace',
			dateOfBirth: '1985-12-10',
			addressLine1: '12 High Street',
			postcode: 'SW1A 1AA',
			email: 'ada@example.com',
			mobilePhone: '07700 900123',
			nationalInsuranceNumber: 'AB123456C',
			balance: '1234.56',
			vulnerabilityNote: 'Hearing impaired'
		},
		conditions: { vulnerabilityNote: { art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18' } }
	});
	if (!result.ok) throw new Error(result.error.message);
	return { t, id: result.value.id };
}

describe('erasure (Art 17)', () => {
	it('erases every value of the person, sets erased_at and keeps a suppression entry', async () => {
		const { t, id } = await setUp();
		await correctField(t.ctx, { customerId: id, field: 'postcode', newValue: 'M1 1AE', reason: 'moved from SW1A 1AA' });
		const result = await eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request', requestId: 'request-9' });
		expect(result).toMatchObject({ ok: true, value: { counts: { identity: 4, contact: 4, financial: 1, vulnerability: 1 }, held: [], suppressed: true } });
		for (const value of await heldValues(t.ctx, id)) {
			expect(value).toMatchObject({ value: null, normalised: null, erasedAt: '2025-03-03T09:00:00.000Z' });
		}
		const history = await dbAll(t.ctx.db.select().from(customerFieldHistory));
		expect(history.every((h) => h.oldValue === null && (h.newValue === null) && !h.reason.includes('SW1A'))).toBe(true);
		expect(history.filter((h) => h.change === 'erased')).toHaveLength(10);
		expect(await findCustomer(t.ctx, id)).toMatchObject({ erasedAt: '2025-03-03T09:00:00.000Z', suppressed: true, reference: 'ACC-100001' });
		const actions = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action);
		expect(actions.slice(-2)).toEqual(['customer.erased', 'customer.suppressed']);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-2)).toMatchObject({ details: { requestId: 'request-9', counts: { identity: 4 } } });
	});

	it('keeps values under legal hold, saying which and why', async () => {
		const { t, id } = await setUp();
		await applyLegalHold(t.ctx, { customerId: id, fields: ['givenName', 'familyName', 'dateOfBirth', 'nationalInsuranceNumber'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
		const result = await eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' });
		expect(result.ok && result.value.held).toEqual([
			{ field: 'givenName', category: 'identity', reason: 'MLR 2017 reg 40' },
			{ field: 'familyName', category: 'identity', reason: 'MLR 2017 reg 40' },
			{ field: 'dateOfBirth', category: 'identity', reason: 'MLR 2017 reg 40' },
			{ field: 'nationalInsuranceNumber', category: 'identity', reason: 'MLR 2017 reg 40' }
		]);
		expect((await findHeldValue(t.ctx, id, 'nationalInsuranceNumber'))?.value).toBe('AB123456C');
		expect((await findHeldValue(t.ctx, id, 'email'))?.value).toBeNull();
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).find((e) => e.action === 'customer.erased')?.details).toMatchObject({ heldCounts: { identity: 4 } });
	});

	it('erases only the categories asked for, without suppressing the person', async () => {
		const { t, id } = await setUp();
		const result = await eraseCustomerData(t.ctx, { customerId: id, categories: ['vulnerability', 'financial'], reason: 'no longer needed' });
		expect(result).toMatchObject({ ok: true, value: { counts: { vulnerability: 1, financial: 1 }, suppressed: false } });
		expect((await findHeldValue(t.ctx, id, 'vulnerabilityNote'))?.value).toBeNull();
		expect((await findHeldValue(t.ctx, id, 'email'))?.value).toBe('ada@example.com');
		expect((await findCustomer(t.ctx, id))?.erasedAt).toBeNull();
	});

	it('takes erased names, postcodes and contact details out of search', async () => {
		const { t, id } = await setUp();
		expect(await searchCustomers(t.ctx, { name: 'lovelace' })).toMatchObject({ ok: true, value: { total: 1 } });
		await eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' });
		for (const query of [{ name: 'lovelace' }, { name: 'ada' }, { postcode: 'SW1A 1AA' }, { email: 'ada@example.com' }, { phone: '07700 900123' }, { dateOfBirth: '1985-12-10' }]) {
			expect(await searchCustomers(t.ctx, query)).toMatchObject({ ok: true, value: { total: 0 } });
		}
		// What the name index still holds: FTS5's vocabulary on SQLite, the folded names on PostgreSQL.
		const terms = await dbQuery(
			t.ctx.db,
			engineOf(t.ctx.db) === 'postgres' ? sql`select names from customer_name_search where names <> ''` : sql`select term from customer_name_terms`
		);
		expect(terms).toEqual([]);
	});

	it('writes no personal value to the audit log when erasing', async () => {
		const { t, id } = await setUp();
		await eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' });
		const text = JSON.stringify(await auditEntries(t.ctx.db, t.ctx.workspaceId));
		for (const value of ['Lovelace', 'SW1A', 'ada@example.com', '+447700900123', '1985-12-10', 'AB123456C', 'Hearing impaired']) expect(text).not.toContain(value);
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});
});

describe('anonymisation', () => {
	it('reduces what is left to values that identify no one on their own', async () => {
		const { t, id } = await setUp();
		await endRelationship(t.ctx, id);
		const result = await anonymiseCustomerData(t.ctx, { customerId: id, reason: 'retention period over' });
		expect(result).toMatchObject({ ok: true, value: { suppressed: true } });
		const values = Object.fromEntries((await heldValues(t.ctx, id)).map((v) => [v.field, v.value]));
		expect(values).toEqual({
			givenName: null,
			familyName: null,
			dateOfBirth: '1980s',
			addressLine1: null,
			postcode: 'SW',
			email: null,
			mobilePhone: null,
			nationalInsuranceNumber: null,
			balance: '1200',
			vulnerabilityNote: null
		});
		expect((await heldValues(t.ctx, id)).every((v) => v.normalised === null && v.anonymisedAt !== null)).toBe(true);
	});

	it('generalises by field kind', () => {
		expect(generalise('dateOfBirth', 'identity', '2001-05-06')).toBe('2000s');
		expect(generalise('postcode', 'contact', 'M1 1AE')).toBe('M');
		expect(generalise('tariff', 'account', 'Fixed 24')).toBe('Fixed 24');
		expect(generalise('email', 'contact', 'a@b.example')).toBeNull();
	});
});

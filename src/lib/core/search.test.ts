import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { recordCustomer } from './customers';
import { correctField } from './corrections';
import { editDistance, rebuildNameIndex, searchCustomers, type SearchInput } from './search';
import { createWorkspace } from './workspace';
import { closeTestContextsAfterEach, createTestContext } from './testing';
import { defineStandardPurposes } from './testing-records';

closeTestContextsAfterEach();

const people = [
	{ reference: 'ACC-1001', fields: { givenName: 'Zoë', familyName: 'Lovelace', dateOfBirth: '1985-12-10', postcode: 'SW1A 1AA', email: 'zoe@example.com', phone: '07700 900001' } },
	{ reference: 'ACC-1002', fields: { givenName: 'Zoe', familyName: 'Lovell', dateOfBirth: '1990-01-02', postcode: 'SW1A 2AA', email: 'zl@example.com', phone: '07700 900002' } },
	{ reference: 'ACC-1003', fields: { givenName: 'María José', familyName: 'de la Cruz', dateOfBirth: '1970-07-07', postcode: 'M1 1AE', email: 'mj@example.com', phone: '0161 496 0003' } },
	{ reference: 'ACC-2004', fields: { givenName: 'Sean', familyName: "O'Brien-Smith", dateOfBirth: '1962-03-04', postcode: 'BT1 5GS', email: 'Sean.OBrien@Example.com', phone: '028 9649 6004' } },
	{ reference: 'ACC-2005', fields: { givenName: 'Lovelace', familyName: 'Jones', dateOfBirth: '2000-02-29', postcode: 'CR2 6XH', email: 'lj@example.com', phone: '020 7946 0005' } },
	{ reference: 'BCC-3006', fields: { givenName: 'Ada', familyName: 'Lovelase', dateOfBirth: '1999-09-09', postcode: 'EC1A 1BB', email: 'al@example.com', phone: '020 7946 0006' } }
];

async function setUp() {
	const t = await createTestContext();
	await defineStandardPurposes(t.ctx);
	const ids: Record<string, string> = {};
	for (const p of people) {
		const result = await recordCustomer(t.ctx, { reference: p.reference, purposeCodes: ['account-servicing'], fields: { ...p.fields, addressLine1: '1 High Street' } });
		if (!result.ok) throw new Error(result.error.message);
		ids[p.reference] = result.value.id;
	}
	const find = async (input: SearchInput) => {
		const result = await searchCustomers(t.ctx, input);
		if (!result.ok) throw new Error(result.error.message);
		return result.value;
	};
	const refs = async (input: SearchInput) => (await find(input)).hits.map((h) => h.reference);
	return { t, ids, find, refs };
}

describe('searching customers', () => {
	it('finds a customer by name without accents, and ranks exact matches before prefix and fuzzy ones', async () => {
		const { find } = await setUp();
		const result = await find({ name: 'Zoe Lovel' });
		expect(result.hits.map((h) => [h.reference, h.match])).toEqual([
			['ACC-1001', 'prefix'],
			['ACC-1002', 'prefix']
		]);
		expect((await find({ name: 'zoe lovell' })).hits.map((h) => [h.reference, h.match])).toEqual([['ACC-1002', 'exact']]);
		expect((await find({ name: 'lovel' })).hits.map((h) => [h.reference, h.match])).toEqual([
			['ACC-1001', 'prefix'],
			['ACC-1002', 'prefix'],
			['ACC-2005', 'prefix'],
			['BCC-3006', 'prefix']
		]);

	});

	it('finds by a partial name and by any word of a name of several words', async () => {
		const { refs } = await setUp();
		expect(await refs({ name: 'lov' })).toEqual(['ACC-1001', 'ACC-1002', 'ACC-2005', 'BCC-3006']);
		expect(await refs({ name: 'cruz' })).toEqual(['ACC-1003']);
		expect(await refs({ name: 'Maria Jose de la Cruz' })).toEqual(['ACC-1003']);
		expect(await refs({ name: 'obrien' })).toEqual(['ACC-2004']);
		expect(await refs({ name: 'O’Brien smith' })).toEqual(['ACC-2004']);
	});

	it('forgives a typing slip in a name, after exact and prefix matches', async () => {
		const { find } = await setUp();
		expect((await find({ name: 'lovelase' })).hits.map((h) => [h.reference, h.match])).toEqual([
			['BCC-3006', 'exact'],
			['ACC-1001', 'fuzzy'],
			['ACC-2005', 'fuzzy']
		]);
		expect((await find({ name: 'Lovelace' })).hits.map((h) => [h.reference, h.match])).toEqual([
			['ACC-1001', 'exact'],
			['ACC-2005', 'exact'],
			['BCC-3006', 'fuzzy']
		]);
		expect((await find({ name: 'ada lovelace' })).hits.map((h) => [h.reference, h.match])).toEqual([['BCC-3006', 'fuzzy']]);
		expect((await find({ name: 'xyzzy' })).total).toBe(0);
	});

	it('ranks within a tier: more words matched exactly, then the nearer spelling, before creation order', async () => {
		const { t, find } = await setUp();
		// Recorded after the others, so only the ranking can put Zoe Lovela first.
		const fields = { givenName: 'Zoe', familyName: 'Lovela', dateOfBirth: '1980-01-01', postcode: 'N1 9GU', email: 'zl2@example.com', phone: '020 7946 0099', addressLine1: '1 High Street' };
		const recorded = await recordCustomer(t.ctx, { reference: 'ACC-4007', purposeCodes: ['account-servicing'], fields });
		if (!recorded.ok) throw new Error(recorded.error.message);
		// "zo" starts the given names; "lovela" is all of one family name, the start of another, a slip from Lovell.
		expect((await find({ name: 'zo lovela' })).hits.map((h) => [h.reference, h.match])).toEqual([
			['ACC-4007', 'prefix'],
			['ACC-1001', 'prefix'],
			['ACC-1002', 'fuzzy']
		]);
		// One slip from Lovelase, two from Lovelace.
		expect((await find({ name: 'lovelxse' })).hits.map((h) => [h.reference, h.match])).toEqual([
			['BCC-3006', 'fuzzy'],
			['ACC-1001', 'fuzzy'],
			['ACC-2005', 'fuzzy']
		]);
	});

	it('forgives a typing slip in a name that starts with w, the letter the index keys workspaces by', async () => {
		const { t, find } = await setUp();
		const fields = { givenName: 'Wendy', familyName: 'Wilson', dateOfBirth: '1980-01-01', postcode: 'N1 9GU', email: 'ww@example.com', phone: '020 7946 0099', addressLine1: '1 High Street' };
		const recorded = await recordCustomer(t.ctx, { reference: 'ACC-4009', purposeCodes: ['account-servicing'], fields });
		if (!recorded.ok) throw new Error(recorded.error.message);
		expect((await find({ name: 'wilsom' })).hits.map((h) => [h.reference, h.match])).toEqual([['ACC-4009', 'fuzzy']]);
		expect((await find({ name: 'wendy wilsom' })).hits.map((h) => [h.reference, h.match])).toEqual([['ACC-4009', 'fuzzy']]);
	});

	it('pages a name search in the same order as one long page, across the tiers', async () => {
		const { find } = await setUp();
		for (const name of ['lovelace', 'lov', 'lovelxse', 'zoe']) {
			const whole = (await find({ name, pageSize: 100 })).hits.map((h) => h.reference);
			const paged: string[] = [];
			for (let page = 1; page <= whole.length + 1; page++) paged.push(...(await find({ name, pageSize: 1, page })).hits.map((h) => h.reference));
			expect(paged).toEqual(whole);
			expect((await find({ name, pageSize: 2, page: 2 })).hits.map((h) => h.reference)).toEqual(whole.slice(2, 4));
		}
	});

	it('ranks names found alone as it ranks them among the customers other criteria found', async () => {
		const { refs } = await setUp();
		for (const name of ['lovelace', 'lov', 'lovelxse', 'zoe lovel', 'smith', 'lvoelace']) {
			// Every ACC reference matches "ACC" as its start: the same tier for all, so the names decide.
			const alone = (await refs({ name, pageSize: 100 })).filter((r) => r.startsWith('ACC'));
			expect(await refs({ name, reference: 'ACC', pageSize: 100 })).toEqual(alone);
		}
	});

	it('finds by postcode with or without the space, in any case, and by the start of one', async () => {
		const { refs, find } = await setUp();
		expect(await refs({ postcode: 'sw1a1aa' })).toEqual(['ACC-1001']);
		expect(await refs({ postcode: 'SW1A 1AA' })).toEqual(['ACC-1001']);
		expect(await refs({ postcode: 'sw1a' })).toEqual(['ACC-1001', 'ACC-1002']);
		expect((await find({ postcode: 'SW1A' })).hits[0]?.match).toBe('prefix');
	});

	it('finds by date of birth in either accepted format', async () => {
		const { refs } = await setUp();
		expect(await refs({ dateOfBirth: '29/02/2000' })).toEqual(['ACC-2005']);
		expect(await refs({ dateOfBirth: '2000-02-29' })).toEqual(['ACC-2005']);
	});

	it('finds by account reference, exactly or by its start', async () => {
		const { find } = await setUp();
		expect((await find({ reference: 'acc-1003' })).hits.map((h) => [h.reference, h.match])).toEqual([['ACC-1003', 'exact']]);
		expect((await find({ reference: 'ACC-20' })).hits.map((h) => h.reference)).toEqual(['ACC-2004', 'ACC-2005']);
	});

	it('finds by email in any case, and by phone in any UK format', async () => {
		const { refs } = await setUp();
		expect(await refs({ email: 'sean.obrien@example.com' })).toEqual(['ACC-2004']);
		for (const phone of ['02896496004', '+44 28 9649 6004', '0044 (0)28 9649 6004', '028-9649-6004']) expect(await refs({ phone })).toEqual(['ACC-2004']);
	});

	it('combines criteria: a customer must match all of them', async () => {
		const { refs } = await setUp();
		expect(await refs({ name: 'zoe', postcode: 'SW1A 2AA' })).toEqual(['ACC-1002']);
		expect(await refs({ name: 'zoe', dateOfBirth: '1970-07-07' })).toEqual([]);
	});

	it('pages results and reports the total', async () => {
		const { find } = await setUp();
		const first = await find({ reference: 'ACC', pageSize: 2 });
		const third = await find({ reference: 'ACC', pageSize: 2, page: 3 });
		expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
		expect(first.hits.map((h) => h.reference)).toEqual(['ACC-1001', 'ACC-1002']);
		expect(third.hits.map((h) => h.reference)).toEqual(['ACC-2005']);
	});

	it('audits the names of the criteria and the count, never what was searched for', async () => {
		const { t, find } = await setUp();
		await find({ name: 'Lovelace', postcode: 'SW1A 1AA', purposeCode: 'account-servicing' });
		const entry = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(entry).toMatchObject({ action: 'customer.searched', fields: ['name', 'postcode'], details: { resultCount: 1, purposeCode: 'account-servicing' } });
		expect(JSON.stringify(entry)).not.toMatch(/Lovelace|SW1A/i);
	});

	it('names the criterion that cannot be searched for', async () => {
		const { t } = await setUp();
		expect(await searchCustomers(t.ctx, {})).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect(await searchCustomers(t.ctx, { phone: '12345' })).toMatchObject({ ok: false, error: { field: 'phone' } });
		expect(await searchCustomers(t.ctx, { dateOfBirth: '31/02/2000' })).toMatchObject({ ok: false, error: { field: 'dateOfBirth' } });
		expect(await searchCustomers(t.ctx, { postcode: 'SW1A;--' })).toMatchObject({ ok: false, error: { field: 'postcode' } });
	});

	it('follows corrections: the old name is no longer found, the new one is', async () => {
		const { t, ids, refs } = await setUp();
		await correctField(t.ctx, { customerId: ids['ACC-1003']!, field: 'familyName', newValue: 'Ferreira', reason: 'married' });
		expect(await refs({ name: 'cruz' })).toEqual([]);
		expect(await refs({ name: 'ferreira' })).toEqual(['ACC-1003']);
	});

	it('never finds another workspace’s customers', async () => {
		const { t, find } = await setUp();
		const other = await createWorkspace(t.ctx, { organisationName: 'Other Ltd', region: 'scotland', policyMode: 'record', dpoName: 'D', dpoEmail: 'd@other.example' });
		if (!other.ok) throw new Error(other.error.message);
		const otherCtx = { ...t.ctx, workspaceId: other.value.id };
		expect(await searchCustomers(otherCtx, { name: 'lovelace' })).toMatchObject({ ok: true, value: { total: 0 } });
		expect((await find({ name: 'lovelace' })).total).toBe(3);
		// With customers in both workspaces (the name index then confines each query to its workspace).
		await defineStandardPurposes(otherCtx);
		const fields = { givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1980-01-01', postcode: 'N1 9GU', email: 'ada@other.example', phone: '020 7946 0099', addressLine1: '1 High Street' };
		const recorded = await recordCustomer(otherCtx, { reference: 'OTH-1', purposeCodes: ['account-servicing'], fields });
		if (!recorded.ok) throw new Error(recorded.error.message);
		for (const name of ['lovelace', 'lovelase', 'ada lovelace', 'lov']) {
			const theirs = await searchCustomers(otherCtx, { name });
			expect(theirs.ok && theirs.value.hits.map((h) => h.reference)).toEqual(['OTH-1']);
			expect((await find({ name })).hits.map((h) => h.reference)).not.toContain('OTH-1');
		}
		expect((await find({ name: 'lovelace' })).total).toBe(3);
	});

	it('finds the same customers after the name index is rebuilt (as after a VACUUM)', async () => {
		const { t, refs } = await setUp();
		const before = await refs({ name: 'lov' });
		await rebuildNameIndex(t.ctx.db);
		expect(await refs({ name: 'lov' })).toEqual(before);
		expect(await refs({ name: 'cruz' })).toEqual(['ACC-1003']);
	});

	it('does not let FTS syntax in a name reach the query', async () => {
		const { find } = await setUp();
		expect((await find({ name: '"lovelace" OR NEAR(' })).total).toBe(0);
		expect((await find({ name: 'lovelace*' })).total).toBe(3);
	});
});

describe('edit distance', () => {
	it.each([
		['lovelace', 'lovelase', 2, 1],
		['smith', 'smyth', 1, 1],
		['smith', 'smiths', 1, 1],
		['abc', 'xyz', 1, 2]
	])('%s → %s within %i is %i', (a, b, max, expected) => {
		expect(editDistance(a, b, max)).toBe(expected);
	});
});

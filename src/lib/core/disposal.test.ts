import { dbAll } from './database';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { endRelationship, getCustomer, recordCustomer } from './customers';
import { runDisposal } from './disposal';
import { applyLegalHold } from './legal-hold';
import { findHeldValue, heldValues } from './held-values';
import { restrictField } from './restriction';
import { disposalRun } from './schema';
import { closeTestContextsAfterEach, createTestContext } from './testing';
import { defineStandardPurposes } from './testing-records';
import { defineRetentionRule } from './retention';
import { definePurpose } from './purposes';

closeTestContextsAfterEach();

async function setUp() {
	const t = await createTestContext();
	await defineStandardPurposes(t.ctx);
	await defineRetentionRule(t.ctx, { code: 'notes', description: 'Preference notes', periodMonths: 12, trigger: 'collected', action: 'anonymise' });
	await definePurpose(t.ctx, { code: 'preferences', name: 'Preferences', description: 'Service preferences', lawfulBasis: 'legitimate-interests', fields: ['preferredLanguage'], retentionRuleCode: 'notes' });
	const record = async (familyName: string) => {
		const result = await recordCustomer(t.ctx, {
			purposeCodes: ['account-servicing', 'identity-checks', 'marketing', 'preferences'],
			fields: { givenName: 'Ada', familyName, addressLine1: '12 High Street', postcode: 'SW1A 1AA', email: `${familyName}@example.com`, mobilePhone: '07700 900123', nationalInsuranceNumber: 'AB123456C', preferredLanguage: 'Welsh' }
		});
		if (!result.ok) throw new Error(result.error.message);
		return result.value.id;
	};
	return { t, record };
}

describe('disposal runs (storage limitation, Art 5(1)(e))', () => {
	it('erases what has passed retain-until, keeps what has not, and logs counts by category', async () => {
		const { t, record } = await setUp();
		const id = await record('Lovelace');
		// The mobile number is held for marketing only: 24 months from collection, kept until 2027-03-03.
		expect(await runDisposal(t.ctx, { asOf: '2027-03-03' })).toMatchObject({ ok: true, value: { counts: { preferences: { anonymised: 1, erased: 0, held: 0 } } } });
		expect((await findHeldValue(t.ctx, id, 'mobilePhone'))?.value).toBe('+447700900123');
		const run = await runDisposal(t.ctx, { asOf: '2027-03-04' });
		expect(run).toMatchObject({ ok: true, value: { asOf: '2027-03-04', counts: { contact: { erased: 1, anonymised: 0, held: 0 } } } });
		expect(await findHeldValue(t.ctx, id, 'mobilePhone')).toMatchObject({ value: null, normalised: null });
		// Needed by account servicing too, the email address is kept under that purpose's rule.
		expect((await findHeldValue(t.ctx, id, 'email'))?.value).toBe('Lovelace@example.com');
		expect(await dbAll(t.ctx.db.select().from(disposalRun))).toHaveLength(2);
		const entry = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(entry).toMatchObject({ action: 'retention.disposal.run', details: { asOf: '2027-03-04', counts: { contact: { erased: 1 } } } });
		expect(JSON.stringify(entry)).not.toContain('Lovelace');
	});

	it('anonymises where the rule says so', async () => {
		const { t, record } = await setUp();
		const id = await record('Lovelace');
		await runDisposal(t.ctx, { asOf: '2026-03-04' });
		expect(await findHeldValue(t.ctx, id, 'preferredLanguage')).toMatchObject({ value: 'Welsh', anonymisedAt: '2025-03-03T09:00:00.000Z', normalised: null });
	});

	it('keeps values under legal hold and counts them as held', async () => {
		const { t, record } = await setUp();
		const id = await record('Lovelace');
		await endRelationship(t.ctx, id);
		await applyLegalHold(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], reasonCode: 'legal-claims', reason: 'claim pending' });
		const run = await runDisposal(t.ctx, { asOf: '2040-01-01' });
		expect(run.ok && run.value.counts.identity).toEqual({ erased: 2, anonymised: 0, held: 1, restricted: 0 });
		expect((await findHeldValue(t.ctx, id, 'nationalInsuranceNumber'))?.value).toBe('AB123456C');
		expect((await findHeldValue(t.ctx, id, 'givenName'))?.value).toBeNull();
	});

	it('runs each rule from its own trigger: account records six years after the relationship ends', async () => {
		const { t, record } = await setUp();
		const id = await record('Lovelace');
		t.clock.set('2026-01-31T10:00:00.000Z');
		await endRelationship(t.ctx, id);
		expect((await findHeldValue(t.ctx, id, 'postcode'))?.retainUntil).toBe('2032-01-31');
		expect((await findHeldValue(t.ctx, id, 'nationalInsuranceNumber'))?.retainUntil).toBe('2031-01-31');
		await runDisposal(t.ctx, { asOf: '2031-02-01' });
		expect((await findHeldValue(t.ctx, id, 'nationalInsuranceNumber'))?.value).toBeNull();
		expect((await findHeldValue(t.ctx, id, 'postcode'))?.value).toBe('SW1A 1AA');
	});

	it('refuses a run without a proper date', async () => {
		const { t } = await setUp();
		expect(await runDisposal(t.ctx, { asOf: '31/01/2030' })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'asOf' } });
	});

	it('Art 18(1)(c): a disposal run never erases a restricted value, and logs it as kept', async () => {
		const { t, record } = await setUp();
		const id = await record('Lovelace');
		await endRelationship(t.ctx, id);
		await restrictField(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], ground: 'legal-claims', reason: 'Keep it for her claim against her former employer' });
		const run = await runDisposal(t.ctx, { asOf: '2040-01-01' });
		expect(run.ok && run.value.counts.identity).toEqual({ erased: 2, anonymised: 0, held: 0, restricted: 1 });
		expect(await findHeldValue(t.ctx, id, 'nationalInsuranceNumber')).toMatchObject({ value: 'AB123456C', restricted: true, erasedAt: null });
		const entry = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(entry).toMatchObject({
			action: 'retention.disposal.run',
			details: { keptRestricted: 1, keptHeld: 0, kept: [{ category: 'identity', count: 1, reason: expect.stringContaining('Art 18(1)(c)') }] }
		});
		expect(JSON.stringify(entry)).not.toContain('AB123456C');
	});

	it('MLR 2017 reg 41: a value a disposal run keeps under legal hold is from then on usable only for the hold', async () => {
		const { t, record } = await setUp();
		const id = await record('Lovelace');
		await endRelationship(t.ctx, id);
		await applyLegalHold(t.ctx, { customerId: id, fields: ['givenName'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40', purposeCode: 'identity-checks' });
		await runDisposal(t.ctx, { asOf: '2040-01-01' });
		expect(await findHeldValue(t.ctx, id, 'givenName')).toMatchObject({ value: 'Ada', keptForHoldOnly: true });
		const servicing = await getCustomer(t.ctx, id, { purposeCode: 'account-servicing' });
		expect(servicing.ok && servicing.value.fields.find((f) => f.field === 'givenName')).toMatchObject({ value: null, withheld: { code: 'field.kept-for-hold-only' } });
		const forTheHold = await getCustomer(t.ctx, id, { purposeCode: 'identity-checks' });
		expect(forTheHold.ok && forTheHold.value.fields.find((f) => f.field === 'givenName')).toMatchObject({ value: 'Ada', withheld: null });
	});

	it('Art 18(1)(c), Art 17(3): for any restrictions and holds, a run erases neither restricted nor held values, and its counts add up', async () => {
		const FIELDS = ['givenName', 'familyName', 'addressLine1', 'postcode', 'email', 'mobilePhone', 'nationalInsuranceNumber', 'preferredLanguage'] as const;
		await fc.assert(
			fc.asyncProperty(fc.subarray([...FIELDS]), fc.subarray([...FIELDS]), fc.integer({ min: 0, max: 10 }), async (restricted, held, years) => {
				const { t, record } = await setUp();
				const id = await record('Lovelace');
				await endRelationship(t.ctx, id);
				if (restricted.length > 0) await restrictField(t.ctx, { customerId: id, fields: restricted, ground: 'legal-claims', reason: 'her claim' });
				if (held.length > 0) await applyLegalHold(t.ctx, { customerId: id, fields: held, reasonCode: 'legal-claims', reason: 'claim pending' });
				const before = await heldValues(t.ctx, id);
				const asOf = `${2026 + years}-06-01`;
				const due = before.filter((h) => h.retainUntil !== null && h.retainUntil < asOf && h.erasedAt === null && h.anonymisedAt === null);
				const run = await runDisposal(t.ctx, { asOf });
				if (!run.ok) throw new Error(run.error.message);
				for (const h of before) {
					const after = (await findHeldValue(t.ctx, id, h.field))!;
					if (h.restricted || h.legalHold) expect(after.value, h.field).toBe(h.value);
					if (h.legalHold && due.includes(h)) expect(after.keptForHoldOnly, h.field).toBe(true);
				}
				const total = Object.values(run.value.counts).reduce((n, c) => n + c.erased + c.anonymised + c.held + (c.restricted ?? 0), 0);
				expect(total).toBe(due.length);
				const kept = Object.values(run.value.counts).reduce((n, c) => n + c.held + (c.restricted ?? 0), 0);
				expect(kept).toBe(due.filter((h) => h.restricted || h.legalHold).length);
				t.close();
			}),
			{ numRuns: 30 }
		);
	});
});

import { afterEach, describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { endRelationship, recordCustomer } from './customers';
import { runDisposal } from './disposal';
import { applyLegalHold } from './legal-hold';
import { findHeldValue } from './held-values';
import { disposalRun } from './schema';
import { createTestContext, type TestContext } from './testing';
import { defineStandardPurposes } from './testing-records';
import { defineRetentionRule } from './retention';
import { definePurpose } from './purposes';

let open: TestContext[] = [];
afterEach(() => {
	for (const t of open) t.close();
	open = [];
});

function setUp() {
	const t = createTestContext();
	open.push(t);
	defineStandardPurposes(t.ctx);
	defineRetentionRule(t.ctx, { code: 'notes', description: 'Preference notes', periodMonths: 12, trigger: 'collected', action: 'anonymise' });
	definePurpose(t.ctx, { code: 'preferences', name: 'Preferences', description: 'Service preferences', lawfulBasis: 'legitimate-interests', fields: ['preferredLanguage'], retentionRuleCode: 'notes' });
	const record = (familyName: string) => {
		const result = recordCustomer(t.ctx, {
			purposeCodes: ['account-servicing', 'identity-checks', 'marketing', 'preferences'],
			fields: { givenName: 'Ada', familyName, addressLine1: '12 High Street', postcode: 'SW1A 1AA', email: `${familyName}@example.com`, mobilePhone: '07700 900123', nationalInsuranceNumber: 'AB123456C', preferredLanguage: 'Welsh' }
		});
		if (!result.ok) throw new Error(result.error.message);
		return result.value.id;
	};
	return { t, record };
}

describe('disposal runs (storage limitation, Art 5(1)(e))', () => {
	it('erases what has passed retain-until, keeps what has not, and logs counts by category', () => {
		const { t, record } = setUp();
		const id = record('Lovelace');
		// The mobile number is held for marketing only: 24 months from collection, kept until 2027-03-03.
		expect(runDisposal(t.ctx, { asOf: '2027-03-03' })).toMatchObject({ ok: true, value: { counts: { preferences: { anonymised: 1, erased: 0, held: 0 } } } });
		expect(findHeldValue(t.ctx, id, 'mobilePhone')?.value).toBe('+447700900123');
		const run = runDisposal(t.ctx, { asOf: '2027-03-04' });
		expect(run).toMatchObject({ ok: true, value: { asOf: '2027-03-04', counts: { contact: { erased: 1, anonymised: 0, held: 0 } } } });
		expect(findHeldValue(t.ctx, id, 'mobilePhone')).toMatchObject({ value: null, normalised: null });
		// Needed by account servicing too, the email address is kept under that purpose's rule.
		expect(findHeldValue(t.ctx, id, 'email')?.value).toBe('Lovelace@example.com');
		expect(t.ctx.db.select().from(disposalRun).all()).toHaveLength(2);
		const entry = auditEntries(t.ctx.db, t.ctx.workspaceId).at(-1)!;
		expect(entry).toMatchObject({ action: 'retention.disposal.run', details: { asOf: '2027-03-04', counts: { contact: { erased: 1 } } } });
		expect(JSON.stringify(entry)).not.toContain('Lovelace');
	});

	it('anonymises where the rule says so', () => {
		const { t, record } = setUp();
		const id = record('Lovelace');
		runDisposal(t.ctx, { asOf: '2026-03-04' });
		expect(findHeldValue(t.ctx, id, 'preferredLanguage')).toMatchObject({ value: 'Welsh', anonymisedAt: '2025-03-03T09:00:00.000Z', normalised: null });
	});

	it('keeps values under legal hold and counts them as held', () => {
		const { t, record } = setUp();
		const id = record('Lovelace');
		endRelationship(t.ctx, id);
		applyLegalHold(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], reasonCode: 'legal-claims', reason: 'claim pending' });
		const run = runDisposal(t.ctx, { asOf: '2040-01-01' });
		expect(run.ok && run.value.counts.identity).toEqual({ erased: 2, anonymised: 0, held: 1 });
		expect(findHeldValue(t.ctx, id, 'nationalInsuranceNumber')?.value).toBe('AB123456C');
		expect(findHeldValue(t.ctx, id, 'givenName')?.value).toBeNull();
	});

	it('runs each rule from its own trigger: account records six years after the relationship ends', () => {
		const { t, record } = setUp();
		const id = record('Lovelace');
		t.clock.set('2026-01-31T10:00:00.000Z');
		endRelationship(t.ctx, id);
		expect(findHeldValue(t.ctx, id, 'postcode')?.retainUntil).toBe('2032-01-31');
		expect(findHeldValue(t.ctx, id, 'nationalInsuranceNumber')?.retainUntil).toBe('2031-01-31');
		runDisposal(t.ctx, { asOf: '2031-02-01' });
		expect(findHeldValue(t.ctx, id, 'nationalInsuranceNumber')?.value).toBeNull();
		expect(findHeldValue(t.ctx, id, 'postcode')?.value).toBe('SW1A 1AA');
	});

	it('refuses a run without a proper date', () => {
		const { t } = setUp();
		expect(runDisposal(t.ctx, { asOf: '31/01/2030' })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'asOf' } });
	});
});

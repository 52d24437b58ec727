import { afterEach, describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { recordCustomer } from './customers';
import { applyLegalHold, releaseLegalHold } from './legal-hold';
import { eraseCustomerData } from './erasure';
import { findHeldValue } from './held-values';
import { createTestContext, type TestContext } from './testing';
import { defineStandardPurposes } from './testing-records';

let open: TestContext[] = [];
afterEach(() => {
	for (const t of open) t.close();
	open = [];
});

function setUp(policyMode: 'record' | 'enforce' = 'record') {
	const t = createTestContext({ workspace: { policyMode } });
	open.push(t);
	defineStandardPurposes(t.ctx);
	const result = recordCustomer(t.ctx, {
		purposeCodes: ['account-servicing', 'identity-checks'],
		fields: { givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1985-12-10', addressLine1: '12 High Street', postcode: 'SW1A 1AA', nationalInsuranceNumber: 'AB123456C' }
	});
	if (!result.ok) throw new Error(result.error.message);
	return { t, id: result.value.id };
}

const lastAudit = (t: TestContext) => auditEntries(t.ctx.db, t.ctx.workspaceId).at(-1)!;

describe('legal holds', () => {
	it('applies a hold with a reason and audits its code', () => {
		const { t, id } = setUp();
		const result = applyLegalHold(t.ctx, { customerId: id, categories: ['identity'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
		expect(result).toMatchObject({ ok: true, value: { fields: ['givenName', 'familyName', 'dateOfBirth', 'nationalInsuranceNumber'] } });
		expect(findHeldValue(t.ctx, id, 'nationalInsuranceNumber')).toMatchObject({ legalHold: true, legalHoldReason: 'MLR 2017 reg 40' });
		expect(lastAudit(t)).toMatchObject({ action: 'legal-hold.applied', details: { reasonCode: 'money-laundering-records' } });
	});

	it('requires a reason to apply or release a hold', () => {
		const { t, id } = setUp();
		expect(applyLegalHold(t.ctx, { customerId: id, fields: ['postcode'], reasonCode: 'legal-claims', reason: '' })).toMatchObject({ ok: false, error: { field: 'reason' } });
		applyLegalHold(t.ctx, { customerId: id, fields: ['postcode'], reasonCode: 'legal-claims', reason: 'claim 123' });
		expect(releaseLegalHold(t.ctx, { customerId: id, fields: ['postcode'], reason: '' })).toMatchObject({ ok: false, error: { field: 'reason' } });
	});

	it('erases held values when the hold is released after the person’s data was erased', () => {
		const { t, id } = setUp();
		applyLegalHold(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
		eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' });
		expect(findHeldValue(t.ctx, id, 'nationalInsuranceNumber')?.value).toBe('AB123456C');
		const released = releaseLegalHold(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], reason: 'five years passed' });
		expect(released).toMatchObject({ ok: true, value: { erasedFields: ['nationalInsuranceNumber'] } });
		expect(findHeldValue(t.ctx, id, 'nationalInsuranceNumber')).toMatchObject({ value: null, legalHold: false });
	});
});

import { afterEach, describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { findings } from './policy';
import { recordCustomer } from './customers';
import { liftRestriction, notifyRestrictionLift, restrictField } from './restriction';
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

describe('restriction (Art 18)', () => {
	it('restricts a field, keeping it stored but marked', () => {
		const { t, id } = setUp();
		expect(restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' })).toMatchObject({ ok: true });
		expect(findHeldValue(t.ctx, id, 'dateOfBirth')).toMatchObject({ restricted: true, value: '1985-12-10', version: 2 });
		expect(lastAudit(t)).toMatchObject({ action: 'customer.field.restricted', fields: ['dateOfBirth'], details: { ground: 'accuracy-contested' } });
	});

	it('refuses to lift a restriction before the person was told, in enforce mode', () => {
		const { t, id } = setUp('enforce');
		restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'checked' })).toMatchObject({
			ok: false,
			error: { code: 'restriction.lifted-without-notice', field: 'dateOfBirth' }
		});
		expect(findHeldValue(t.ctx, id, 'dateOfBirth')?.restricted).toBe(true);
	});

	it('lifts a restriction once the person was told first', () => {
		const { t, id } = setUp('enforce');
		restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(notifyRestrictionLift(t.ctx, { customerId: id, fields: ['dateOfBirth'], channel: 'letter' })).toMatchObject({ ok: true });
		expect(liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'accuracy confirmed' })).toMatchObject({ ok: true, value: { findingIds: [] } });
		expect(findHeldValue(t.ctx, id, 'dateOfBirth')?.restricted).toBe(false);
		expect(lastAudit(t)).toMatchObject({ action: 'customer.field.restriction.lifted', details: { notified: true } });
	});

	it('does not count a notice given before a fresh restriction', () => {
		const { t, id } = setUp('enforce');
		restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		notifyRestrictionLift(t.ctx, { customerId: id, fields: ['dateOfBirth'], channel: 'letter' });
		liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'checked' });
		restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'objection-pending', reason: 'objected' });
		expect(liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'decided' }).ok).toBe(false);
	});

	it('lifts without notice in record mode and records a finding', () => {
		const { t, id } = setUp('record');
		restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'checked' })).toMatchObject({ ok: true });
		expect(findings(t.ctx)).toMatchObject([{ code: 'restriction.lifted-without-notice', rule: 'UK GDPR Art 18(3)' }]);
	});

	it('refuses to notify or lift for a field that is not restricted', () => {
		const { t, id } = setUp();
		expect(notifyRestrictionLift(t.ctx, { customerId: id, fields: ['postcode'], channel: 'phone' })).toMatchObject({ ok: false, error: { code: 'field.not-restricted' } });
		expect(liftRestriction(t.ctx, { customerId: id, fields: ['postcode'], reason: 'x' })).toMatchObject({ ok: false, error: { code: 'field.not-restricted' } });
	});
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findings } from './policy';
import { correctField } from './corrections';
import { getCustomer, readBack } from './customers';
import { HOLD_USES, liftRestriction, notifyRestrictionLift, restrictField, servicingRefusal, type ServicingUse } from './restriction';
import { findHeldValue } from './held-values';
import { closeTestContextsAfterEach, lastAudit } from './testing';
import { organisationWithAda } from './testing-people';

closeTestContextsAfterEach();

const setUp = organisationWithAda;


describe('restriction (Art 18)', () => {
	it('restricts a field, keeping it stored but marked', async () => {
		const { t, id } = await setUp();
		expect(await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' })).toMatchObject({ ok: true });
		expect(await findHeldValue(t.ctx, id, 'dateOfBirth')).toMatchObject({ restricted: true, value: '1985-12-10', version: 2 });
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.field.restricted', fields: ['dateOfBirth'], details: { ground: 'accuracy-contested' } });
	});

	it('refuses to lift a restriction before the person was told, in enforce mode', async () => {
		const { t, id } = await setUp('enforce');
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(await liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'checked' })).toMatchObject({
			ok: false,
			error: { code: 'restriction.lifted-without-notice', field: 'dateOfBirth' }
		});
		expect((await findHeldValue(t.ctx, id, 'dateOfBirth'))?.restricted).toBe(true);
	});

	it('lifts a restriction once the person was told first', async () => {
		const { t, id } = await setUp('enforce');
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(await notifyRestrictionLift(t.ctx, { customerId: id, fields: ['dateOfBirth'], channel: 'letter' })).toMatchObject({ ok: true });
		expect(await liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'accuracy confirmed' })).toMatchObject({ ok: true, value: { findingIds: [] } });
		expect((await findHeldValue(t.ctx, id, 'dateOfBirth'))?.restricted).toBe(false);
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.field.restriction.lifted', details: { notified: true } });
	});

	it('does not count a notice given before a fresh restriction', async () => {
		const { t, id } = await setUp('enforce');
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		await notifyRestrictionLift(t.ctx, { customerId: id, fields: ['dateOfBirth'], channel: 'letter' });
		await liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'checked' });
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'objection-pending', reason: 'objected' });
		expect((await liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'decided' })).ok).toBe(false);
	});

	it('lifts without notice in record mode and records a finding', async () => {
		const { t, id } = await setUp('record');
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(await liftRestriction(t.ctx, { customerId: id, fields: ['dateOfBirth'], reason: 'checked' })).toMatchObject({ ok: true });
		expect(await findings(t.ctx)).toMatchObject([{ code: 'restriction.lifted-without-notice', rule: 'UK GDPR Art 18(3)' }]);
	});

	it('refuses to notify or lift for a field that is not restricted', async () => {
		const { t, id } = await setUp();
		expect(await notifyRestrictionLift(t.ctx, { customerId: id, fields: ['postcode'], channel: 'phone' })).toMatchObject({ ok: false, error: { code: 'field.not-restricted' } });
		expect(await liftRestriction(t.ctx, { customerId: id, fields: ['postcode'], reason: 'x' })).toMatchObject({ ok: false, error: { code: 'field.not-restricted' } });
	});

	it('Art 18(2): a restricted value is shown as restricted, not as its value, when the record is opened for servicing', async () => {
		const { t, id } = await setUp();
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		const view = await getCustomer(t.ctx, id, { purposeCode: 'account-servicing' });
		expect(view.ok && view.value.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({
			value: null,
			restricted: true,
			withheld: { code: 'field.restricted', rule: 'UK GDPR Art 18(2)', message: expect.stringContaining('only stored') }
		});
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.viewed', details: { restricted: ['dateOfBirth'] } });
		expect((await lastAudit(t)).fields).not.toContain('dateOfBirth');
	});

	it('Art 18(2): refuses to correct a restricted value outside a rights request, or to read it back, naming the rule', async () => {
		const { t, id } = await setUp('enforce');
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(await correctField(t.ctx, { customerId: id, field: 'dateOfBirth', newValue: '1985-12-11', reason: 'she says so' })).toMatchObject({
			ok: false,
			error: { code: 'field.restricted', field: 'field', message: expect.stringContaining('Art 18(2)') }
		});
		expect(await readBack(t.ctx, id, ['dateOfBirth'])).toMatchObject({ ok: false, error: { code: 'field.restricted', field: 'fields' } });
		expect((await findHeldValue(t.ctx, id, 'dateOfBirth'))?.value).toBe('1985-12-10');
	});

	it('Art 16, Art 18(1)(a): a rectification request may still correct the restricted value it checked', async () => {
		const { t, id } = await setUp('enforce');
		await restrictField(t.ctx, { customerId: id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed' });
		expect(await correctField(t.ctx, { customerId: id, field: 'dateOfBirth', newValue: '1985-12-11', reason: 'passport seen', requestId: 'req-1' })).toMatchObject({ ok: true });
	});

	it('Art 18(2), MLR 2017 reg 41: for any value and any use, servicing is refused exactly when the value is restricted or kept only for a hold, and the use is not the hold’s', () => {
		const uses: ServicingUse[] = ['view', 'disclosure', 'correction', 'read-back'];
		const value = fc.record({
			field: fc.constantFrom('dateOfBirth', 'postcode'),
			restricted: fc.boolean(),
			keptForHoldOnly: fc.boolean(),
			legalHoldCode: fc.constantFrom(...(Object.keys(HOLD_USES) as (keyof typeof HOLD_USES)[])),
			legalHoldPurposeCode: fc.constantFrom('identity-checks', null),
			legalHoldReason: fc.constantFrom('MLR 2017 reg 40', '')
		});
		fc.assert(
			fc.property(value, fc.constantFrom(...uses), fc.constantFrom('identity-checks', 'account-servicing'), fc.constantFrom('crime-and-taxation', 'legal-proceedings', 'legal-obligation'), (held, use, purposeCode, disclosureBasis) => {
				const refusal = servicingRefusal(held, use, { purposeCode, disclosureBasis });
				const forTheHold =
					(use === 'view' && purposeCode === held.legalHoldPurposeCode) || (use === 'disclosure' && HOLD_USES[held.legalHoldCode].disclosureBases.includes(disclosureBasis));
				const refused = held.restricted || (held.keptForHoldOnly && !forTheHold);
				expect(refusal !== null).toBe(refused);
				if (held.restricted) expect(refusal).toMatchObject({ code: 'field.restricted', rule: 'UK GDPR Art 18(2)', field: held.field });
				else if (refusal) expect(refusal).toMatchObject({ code: 'field.kept-for-hold-only', rule: HOLD_USES[held.legalHoldCode].rule });
			}),
			{ numRuns: 300 }
		);
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctField } from './corrections';
import { getCustomer, readBack } from './customers';
import { disclose } from './disclosure';
import { applyLegalHold, releaseLegalHold } from './legal-hold';
import { eraseCustomerData } from './erasure';
import { findHeldValue } from './held-values';
import { closeTestContextsAfterEach, lastAudit, type TestContext } from './testing';
import { organisationWithAda } from './testing-people';

closeTestContextsAfterEach();

const setUp = organisationWithAda;


describe('legal holds', () => {
	it('applies a hold with a reason and audits its code', async () => {
		const { t, id } = await setUp();
		const result = await applyLegalHold(t.ctx, { customerId: id, categories: ['identity'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
		expect(result).toMatchObject({ ok: true, value: { fields: ['givenName', 'familyName', 'dateOfBirth', 'nationalInsuranceNumber'] } });
		expect(await findHeldValue(t.ctx, id, 'nationalInsuranceNumber')).toMatchObject({ legalHold: true, legalHoldReason: 'MLR 2017 reg 40' });
		expect(await lastAudit(t)).toMatchObject({ action: 'legal-hold.applied', details: { reasonCode: 'money-laundering-records' } });
	});

	it('requires a reason to apply or release a hold', async () => {
		const { t, id } = await setUp();
		expect(await applyLegalHold(t.ctx, { customerId: id, fields: ['postcode'], reasonCode: 'legal-claims', reason: '' })).toMatchObject({ ok: false, error: { field: 'reason' } });
		await applyLegalHold(t.ctx, { customerId: id, fields: ['postcode'], reasonCode: 'legal-claims', reason: 'claim 123' });
		expect(await releaseLegalHold(t.ctx, { customerId: id, fields: ['postcode'], reason: '' })).toMatchObject({ ok: false, error: { field: 'reason' } });
	});

	it('erases held values when the hold is released after the person’s data was erased', async () => {
		const { t, id } = await setUp();
		await applyLegalHold(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
		await eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' });
		expect((await findHeldValue(t.ctx, id, 'nationalInsuranceNumber'))?.value).toBe('AB123456C');
		const released = await releaseLegalHold(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], reason: 'five years passed' });
		expect(released).toMatchObject({ ok: true, value: { erasedFields: ['nationalInsuranceNumber'] } });
		expect(await findHeldValue(t.ctx, id, 'nationalInsuranceNumber')).toMatchObject({ value: null, legalHold: false });
	});
});

describe('values kept only for a legal hold (MLR 2017 reg 41)', () => {
	const holdAndErase = async (t: TestContext, id: string) => {
		await applyLegalHold(t.ctx, {
			customerId: id,
			fields: ['dateOfBirth', 'nationalInsuranceNumber'],
			reasonCode: 'money-laundering-records',
			reason: 'MLR 2017 reg 40',
			purposeCode: 'identity-checks',
			until: '2030-03-14'
		});
		expect(await eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' })).toMatchObject({ ok: true, value: { held: [{ field: 'dateOfBirth' }, { field: 'nationalInsuranceNumber' }] } });
	};

	it('MLR 2017 reg 41: after an erasure, a held value is shown only for the hold’s purpose, and says why and until when elsewhere', async () => {
		const { t, id } = await setUp();
		await holdAndErase(t, id);
		expect(await findHeldValue(t.ctx, id, 'dateOfBirth')).toMatchObject({ value: '1985-12-10', keptForHoldOnly: true, legalHoldCode: 'money-laundering-records', legalHoldUntil: '2030-03-14' });
		const servicing = await getCustomer(t.ctx, id, { purposeCode: 'account-servicing' });
		expect(servicing.ok && servicing.value.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({
			value: null,
			restricted: false,
			keptForHoldOnly: true,
			legalHoldReason: 'MLR 2017 reg 40',
			legalHoldUntil: '2030-03-14',
			holdUse: 'to prevent money laundering and terrorist financing',
			withheld: { code: 'field.kept-for-hold-only', rule: 'MLR 2017 reg 41' }
		});
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.viewed', fields: [], details: { keptForHoldOnly: ['dateOfBirth'] } });
		const forTheHold = await getCustomer(t.ctx, id, { purposeCode: 'identity-checks' });
		expect(forTheHold.ok && forTheHold.value.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({ value: '1985-12-10', withheld: null });
	});

	it('MLR 2017 reg 41: a value kept only for its hold is refused for correction, read-back and disclosure in servicing', async () => {
		const { t, id } = await setUp('enforce');
		await holdAndErase(t, id);
		expect(await correctField(t.ctx, { customerId: id, field: 'dateOfBirth', newValue: '1985-12-11', reason: 'typo' })).toMatchObject({
			ok: false,
			error: { code: 'field.kept-for-hold-only', field: 'field', message: expect.stringContaining('MLR 2017 reg 41') }
		});
		expect(await readBack(t.ctx, id, ['nationalInsuranceNumber'])).toMatchObject({ ok: false, error: { code: 'field.kept-for-hold-only' } });
		const toColleague = await disclose(t.ctx, {
			customerId: id,
			recipient: { type: 'colleague', name: 'J. Patel', role: 'debt collection agencies' },
			fields: ['dateOfBirth'],
			purposeCode: 'account-servicing',
			channel: 'internal'
		});
		expect(toColleague).toMatchObject({ ok: false, error: { code: 'disclosure.kept-for-hold-only', message: expect.stringContaining('prevent money laundering') } });
	});

	it('MLR 2017 reg 41: a hold on a live relationship restricts nothing until an erasure is decided', async () => {
		const { t, id } = await setUp();
		await applyLegalHold(t.ctx, { customerId: id, fields: ['dateOfBirth'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40', purposeCode: 'identity-checks' });
		const view = await getCustomer(t.ctx, id, { purposeCode: 'account-servicing' });
		expect(view.ok && view.value.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({ value: '1985-12-10', keptForHoldOnly: false, withheld: null, legalHold: true });
	});

	it('MLR 2017 reg 41: releasing the hold erases what was kept only for it, and nothing else', async () => {
		const { t, id } = await setUp();
		await applyLegalHold(t.ctx, { customerId: id, fields: ['dateOfBirth', 'nationalInsuranceNumber'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
		// Only the contact details are erased; the hold keeps the date of birth out of reach.
		await eraseCustomerData(t.ctx, { customerId: id, categories: ['identity'], reason: 'erasure request' });
		expect((await findHeldValue(t.ctx, id, 'nationalInsuranceNumber'))?.keptForHoldOnly).toBe(true);
		expect(await releaseLegalHold(t.ctx, { customerId: id, fields: ['nationalInsuranceNumber', 'dateOfBirth'], reason: 'five years passed' })).toMatchObject({
			ok: true,
			value: { erasedFields: ['dateOfBirth', 'nationalInsuranceNumber'] }
		});
		expect(await findHeldValue(t.ctx, id, 'nationalInsuranceNumber')).toMatchObject({ value: null, legalHoldCode: null, legalHoldUntil: null });
		expect((await findHeldValue(t.ctx, id, 'postcode'))?.value).toBe('SW1A 1AA');
	});

	it('refuses a hold for a purpose that does not exist, naming the field', async () => {
		const { t, id } = await setUp();
		expect(await applyLegalHold(t.ctx, { customerId: id, fields: ['dateOfBirth'], reasonCode: 'legal-claims', reason: 'claim', purposeCode: 'nonsense' })).toMatchObject({
			ok: false,
			error: { code: 'purpose.not-found', field: 'purposeCode' }
		});
	});

	it('MLR 2017 reg 41: for any held fields and any purpose, a value kept only for its hold is shown exactly when the record is opened for the hold’s purpose', async () => {
		const FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'nationalInsuranceNumber', 'postcode'] as const;
		const PURPOSES = ['account-servicing', 'identity-checks'] as const;
		await fc.assert(
			fc.asyncProperty(fc.subarray([...FIELDS], { minLength: 1 }), fc.constantFrom(...PURPOSES), fc.constantFrom(...PURPOSES), fc.boolean(), async (held, holdPurpose, viewPurpose, whole) => {
				const { t, id } = await setUp();
				await applyLegalHold(t.ctx, { customerId: id, fields: held, reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40', purposeCode: holdPurpose });
				await eraseCustomerData(t.ctx, { customerId: id, categories: whole ? 'all' : ['identity', 'contact'], reason: 'erasure request' });
				const view = await getCustomer(t.ctx, id, { purposeCode: viewPurpose });
				if (!view.ok) throw new Error(view.error.message);
				for (const f of view.value.fields) {
					const isHeld = (held as string[]).includes(f.field);
					expect(f.keptForHoldOnly, f.field).toBe(isHeld);
					if (isHeld) expect(f.value !== null, f.field).toBe(viewPurpose === holdPurpose);
					else expect(f.value, f.field).toBeNull();
				}
				t.close();
			}),
			{ numRuns: 25 }
		);
	});
});

import { dbAll } from './database';
import { describe, expect, it } from 'vitest';
import { auditEntries, verifyAuditChain } from './audit';
import { findings } from './policy';
import { retirePurpose } from './purposes';
import { addCustomerFields, endRelationship, findCustomer, getCustomer, readBack, recordCustomer, type RecordCustomerInput } from './customers';
import { restrictField } from './restriction';
import { findHeldValue, heldValues } from './held-values';
import { closeTestContextsAfterEach, createTestContext, lastAudit, type TestContext } from './testing';
import { defineStandardPurposes } from './testing-records';
import { criminalOffenceValue, customerField, customerFieldHistory, disclosure, specialCategoryValue } from './schema';

closeTestContextsAfterEach();

async function setUp(policyMode: 'record' | 'enforce' = 'record'): Promise<TestContext> {
	const t = await createTestContext({ workspace: { policyMode } });
	await defineStandardPurposes(t.ctx);
	return t;
}

const ada: RecordCustomerInput = {
	purposeCodes: ['account-servicing'],
	fields: {
		givenName: 'Ada',
		familyName: 'Lovelace',
		dateOfBirth: '10/12/1985',
		addressLine1: '12 High Street',
		postcode: 'sw1a1aa',
		email: 'Ada@Example.com',
		phone: '020 7946 0000'
	}
};

async function recorded(t: TestContext, input: RecordCustomerInput = ada) {
	const result = await recordCustomer(t.ctx, input);
	if (!result.ok) throw new Error(`recordCustomer: ${result.error.message}`);
	return result.value;
}


describe('collecting and recording a customer', () => {
	it('records each value with its category, purpose, lawful basis, source, collection time, retention rule and accuracy', async () => {
		const t = await setUp();
		const customer = await recorded(t);
		expect(customer.reference).toBe('ACC-100001');
		const postcode = (await findHeldValue(t.ctx, customer.id, 'postcode'))!;
		expect(postcode).toMatchObject({
			value: 'SW1A 1AA',
			normalised: 'SW1A1AA',
			category: 'contact',
			purposeCode: 'account-servicing',
			lawfulBasis: 'contract',
			source: 'data-subject',
			collectedAt: '2025-03-03T09:00:00.000Z',
			retainUntil: null,
			accuracy: 'ok',
			restricted: false,
			legalHold: false,
			version: 1
		});
		expect((await findHeldValue(t.ctx, customer.id, 'phone'))?.value).toBe('+442079460000');
		expect((await findHeldValue(t.ctx, customer.id, 'dateOfBirth'))?.value).toBe('1985-12-10');
		expect((await findHeldValue(t.ctx, customer.id, 'givenName'))?.category).toBe('identity');
		expect(await lastAudit(t)).toMatchObject({
			action: 'customer.recorded',
			subject: customer.id,
			fields: ['givenName', 'familyName', 'dateOfBirth', 'addressLine1', 'postcode', 'email', 'phone'],
			details: { purposeCodes: ['account-servicing'], categories: ['identity', 'contact'] }
		});
	});

	it('keeps a "recorded" history entry for every value collected', async () => {
		const t = await setUp();
		const customer = await recorded(t);
		const history = await dbAll(t.ctx.db.select().from(customerFieldHistory));
		expect(history).toHaveLength(7);
		expect(history.every((h) => h.change === 'recorded' && h.customerId === customer.id && h.version === 1)).toBe(true);
	});

	it('refuses a second customer with the same account reference', async () => {
		const t = await setUp();
		await recorded(t, { ...ada, reference: 'acc-9' });
		expect(await recordCustomer(t.ctx, { ...ada, reference: 'ACC-9' })).toMatchObject({ ok: false, error: { code: 'customer.reference-exists', field: 'reference' } });
	});

	it('refuses a field that no stated purpose needs in enforce mode, naming the field, and records nothing', async () => {
		const t = await setUp('enforce');
		const result = await recordCustomer(t.ctx, { ...ada, fields: { ...ada.fields, nationalInsuranceNumber: 'AB123456C' } });
		expect(result).toMatchObject({ ok: false, error: { code: 'minimisation.no-purpose', field: 'nationalInsuranceNumber' } });
		expect(await dbAll(t.ctx.db.select().from(customerField))).toHaveLength(0);
		expect(await lastAudit(t)).toMatchObject({ action: 'policy.refused', fields: ['nationalInsuranceNumber'], details: { code: 'minimisation.no-purpose', rule: 'UK GDPR Art 5(1)(c)' } });
		// The refused customer never existed, so the refusal names no subject.
		expect((await lastAudit(t)).subject).toBeNull();
	});

	it('stores a field that no stated purpose needs in record mode and records a finding naming it', async () => {
		const t = await setUp('record');
		const customer = await recorded(t, { ...ada, fields: { ...ada.fields, nationalInsuranceNumber: 'AB123456C' } });
		expect(customer.findingIds).toHaveLength(1);
		expect(await findings(t.ctx)).toMatchObject([{ code: 'minimisation.no-purpose', field: 'nationalInsuranceNumber', subjectId: customer.id }]);
		// Stored under the purpose of the collection, so the mistake is visible in the record.
		expect(await findHeldValue(t.ctx, customer.id, 'nationalInsuranceNumber')).toMatchObject({ value: 'AB123456C', purposeCode: 'account-servicing' });
	});

	it('accepts a field when any of the stated purposes needs it', async () => {
		const t = await setUp('enforce');
		const customer = await recorded(t, { ...ada, purposeCodes: ['account-servicing', 'identity-checks'], fields: { ...ada.fields, nationalInsuranceNumber: 'AB123456C' } });
		expect(await findHeldValue(t.ctx, customer.id, 'nationalInsuranceNumber')).toMatchObject({ purposeCode: 'identity-checks', lawfulBasis: 'legal-obligation' });
	});

	it('refuses a collection that lacks a field its purpose requires, naming the field, in both modes', async () => {
		for (const mode of ['record', 'enforce'] as const) {
			const t = await setUp(mode);
			const { postcode: _postcode, ...withoutPostcode } = ada.fields;
			const result = await recordCustomer(t.ctx, { ...ada, fields: withoutPostcode });
			expect(result).toMatchObject({ ok: false, error: { code: 'required', field: 'postcode' } });
			expect(await dbAll(t.ctx.db.select().from(customerField))).toHaveLength(0);
			expect(await lastAudit(t)).toMatchObject({ action: 'customer.collection.rejected', fields: ['postcode'], details: { codes: ['required'] } });
		}
	});

	it('reports every invalid value with its field, and audits the names but not the values', async () => {
		const t = await setUp();
		const result = await recordCustomer(t.ctx, { ...ada, fields: { ...ada.fields, postcode: 'XX1 ZZZ', email: 'not-an-email', phone: '0909 8790000' } });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.field).toBe('postcode');
		expect(result.error.issues?.map((i) => i.field)).toEqual(['postcode', 'email', 'phone']);
		const entry = await lastAudit(t);
		expect(entry).toMatchObject({ action: 'customer.collection.rejected', fields: ['postcode', 'email', 'phone'] });
		expect(JSON.stringify(entry)).not.toContain('XX1');
		expect(JSON.stringify(entry)).not.toContain('not-an-email');
	});

	it('refuses a date of birth under the minimum age the purpose sets', async () => {
		const t = await setUp();
		const result = await recordCustomer(t.ctx, { ...ada, fields: { ...ada.fields, dateOfBirth: '2008-01-01' } });
		expect(result).toMatchObject({ ok: false, error: { code: 'invalid', field: 'dateOfBirth', message: expect.stringContaining('18') } });
	});

	it('refuses a date of birth in the future by the context’s clock', async () => {
		const t = await setUp();
		expect(await recordCustomer(t.ctx, { ...ada, fields: { ...ada.fields, dateOfBirth: '2025-03-04' } })).toMatchObject({ ok: false, error: { field: 'dateOfBirth' } });
	});

	it('refuses an unknown or retired purpose', async () => {
		const t = await setUp();
		expect(await recordCustomer(t.ctx, { ...ada, purposeCodes: ['profiling'] })).toMatchObject({ ok: false, error: { code: 'purpose.not-found', field: 'purposeCodes.0' } });
		await retirePurpose(t.ctx, { code: 'account-servicing', reason: 'replaced' });
		expect(await recordCustomer(t.ctx, ada)).toMatchObject({ ok: false, error: { code: 'purpose.retired' } });
	});

	it('dates retention from collection for a rule that runs from collection', async () => {
		const t = await setUp();
		const customer = await recorded(t, { purposeCodes: ['account-servicing', 'marketing'], fields: { ...ada.fields, mobilePhone: '07700 900123' } });
		expect(await findHeldValue(t.ctx, customer.id, 'mobilePhone')).toMatchObject({ purposeCode: 'marketing', lawfulBasis: 'consent', retainUntil: '2027-03-03' });
	});

	it('leaves retain-until empty until the relationship ends, then dates it from the end', async () => {
		const t = await setUp();
		const customer = await recorded(t);
		expect((await findHeldValue(t.ctx, customer.id, 'email'))?.retainUntil).toBeNull();
		t.clock.set('2026-08-31T12:00:00.000Z');
		const ended = await endRelationship(t.ctx, customer.id);
		expect(ended).toMatchObject({ ok: true, value: { relationshipEndedAt: '2026-08-31T12:00:00.000Z', datedValues: 7 } });
		expect((await findHeldValue(t.ctx, customer.id, 'email'))?.retainUntil).toBe('2032-08-31');
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.relationship.ended', subject: customer.id });
		expect(await endRelationship(t.ctx, customer.id)).toMatchObject({ ok: false, error: { code: 'customer.relationship-ended' } });
	});
});

describe('special category and criminal-offence data', () => {
	const withHealth = (conditions: RecordCustomerInput['conditions']): RecordCustomerInput => ({
		purposeCodes: ['account-servicing', 'vulnerability-support'],
		fields: { ...ada.fields, healthCondition: 'Uses a home dialysis machine' },
		conditions
	});

	it('keeps special category data in its own table with its Art 9(2) and Schedule 1 conditions', async () => {
		const t = await setUp('enforce');
		const customer = await recorded(t, withHealth({ healthCondition: { art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18' } }));
		expect((await dbAll(t.ctx.db.select().from(customerField))).some((f) => f.field === 'healthCondition')).toBe(false);
		expect(await dbAll(t.ctx.db.select().from(specialCategoryValue))).toMatchObject([
			{ customerId: customer.id, field: 'healthCondition', specialCategory: 'health', art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18' }
		]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).some((e) => e.action === 'special-category.recorded' && e.fields[0] === 'healthCondition')).toBe(true);
	});

	it('refuses special category data without an Art 9(2) condition in enforce mode', async () => {
		const t = await setUp('enforce');
		expect(await recordCustomer(t.ctx, withHealth({}))).toMatchObject({ ok: false, error: { code: 'special-category.no-condition', field: 'healthCondition' } });
		expect(await dbAll(t.ctx.db.select().from(specialCategoryValue))).toHaveLength(0);
	});

	it('records a finding for special category data without an Art 9(2) condition in record mode', async () => {
		const t = await setUp('record');
		await recorded(t, withHealth({}));
		expect(await findings(t.ctx)).toMatchObject([{ code: 'special-category.no-condition', rule: 'UK GDPR Art 9(1)' }]);
	});

	it('refuses a condition that needs a basis in law when no Schedule 1 condition is given', async () => {
		const t = await setUp('enforce');
		expect(await recordCustomer(t.ctx, withHealth({ healthCondition: { art9Condition: 'substantial-public-interest' } }))).toMatchObject({
			ok: false,
			error: { code: 'special-category.no-schedule1-condition' }
		});
	});

	it('accepts explicit consent as a condition without a Schedule 1 condition', async () => {
		const t = await setUp('enforce');
		expect((await recordCustomer(t.ctx, withHealth({ healthCondition: { art9Condition: 'explicit-consent' } }))).ok).toBe(true);
	});

	it('refuses criminal-offence data without a Schedule 1 condition, and keeps it apart when one is given', async () => {
		const t = await setUp('enforce');
		const input: RecordCustomerInput = { purposeCodes: ['account-servicing', 'fraud-prevention'], fields: { ...ada.fields, fraudMarker: 'Convicted of meter tampering 2019' } };
		expect(await recordCustomer(t.ctx, input)).toMatchObject({ ok: false, error: { code: 'criminal-offence.no-condition', field: 'fraudMarker' } });
		const customer = await recorded(t, { ...input, conditions: { fraudMarker: { schedule1Condition: 'Sch 1 para 10 preventing or detecting unlawful acts' } } });
		expect(await dbAll(t.ctx.db.select().from(criminalOffenceValue))).toMatchObject([{ customerId: customer.id, field: 'fraudMarker' }]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).some((e) => e.action === 'criminal-offence.recorded')).toBe(true);
	});
});

describe('adding fields, reading back and opening a record', () => {
	it('adds a field to an existing customer with the same checks, and refuses one already recorded', async () => {
		const t = await setUp('enforce');
		const customer = await recorded(t);
		expect(await addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['account-servicing'], fields: { tariff: 'Fixed 24' } })).toMatchObject({
			ok: true,
			value: { recordedFields: ['tariff'] }
		});
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.field.recorded', fields: ['tariff'], details: { purposeCode: 'account-servicing', category: 'account' } });
		expect(await addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['account-servicing'], fields: { email: 'new@example.com' } })).toMatchObject({
			ok: false,
			error: { code: 'field.exists', field: 'email' }
		});
	});

	it('records that details were read back for accuracy as a confirmation, not a disclosure', async () => {
		const t = await setUp();
		const customer = await recorded(t);
		expect(await readBack(t.ctx, customer.id, ['postcode', 'email'])).toMatchObject({ ok: true });
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.details.read.back', subject: customer.id, fields: ['postcode', 'email'] });
		expect(await dbAll(t.ctx.db.select().from(disclosure))).toHaveLength(0);
		expect(await readBack(t.ctx, customer.id, ['nationalInsuranceNumber'])).toMatchObject({ ok: false, error: { code: 'field.not-found' } });
	});

	it('shows only the fields the stated purpose needs and audits their names', async () => {
		const t = await setUp();
		const customer = await recorded(t, { purposeCodes: ['account-servicing', 'marketing'], fields: { ...ada.fields, mobilePhone: '07700 900123' } });
		const view = await getCustomer(t.ctx, customer.id, { purposeCode: 'marketing' });
		expect(view.ok).toBe(true);
		if (!view.ok) return;
		expect(view.value.fields.map((f) => f.field).sort()).toEqual(['email', 'mobilePhone']);
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.viewed', subject: customer.id, fields: ['email', 'mobilePhone'], details: { purposeCode: 'marketing' } });
	});

	it('marks restricted fields and withholds their values when a record is opened', async () => {
		const t = await setUp();
		const customer = await recorded(t);
		await restrictField(t.ctx, { customerId: customer.id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed on the phone' });
		const view = await getCustomer(t.ctx, customer.id, { purposeCode: 'account-servicing' });
		if (!view.ok) throw new Error(view.error.message);
		expect(view.value.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({ restricted: true, value: null });
		expect((await lastAudit(t)).fields).not.toContain('dateOfBirth');
		expect((await lastAudit(t)).details).toMatchObject({ restricted: ['dateOfBirth'] });
	});

	it('audits special category data viewed for a purpose', async () => {
		const t = await setUp();
		const customer = await recorded(t, {
			purposeCodes: ['account-servicing', 'vulnerability-support'],
			fields: { ...ada.fields, vulnerabilityNote: 'Needs large print' },
			conditions: { vulnerabilityNote: { art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18' } }
		});
		const view = await getCustomer(t.ctx, customer.id, { purposeCode: 'vulnerability-support' });
		expect(view).toMatchObject({ ok: true, value: { fields: [{ field: 'vulnerabilityNote', value: 'Needs large print', category: 'vulnerability' }] } });
		expect(await lastAudit(t)).toMatchObject({ action: 'special-category.viewed', fields: ['vulnerabilityNote'] });
	});

	it('keeps the audit chain valid through collection and viewing', async () => {
		const t = await setUp();
		const customer = await recorded(t);
		await getCustomer(t.ctx, customer.id, { purposeCode: 'account-servicing' });
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
		expect((await findCustomer(t.ctx, customer.id))?.suppressed).toBe(false);
		expect(await heldValues(t.ctx, customer.id)).toHaveLength(7);
	});
});

import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { getCustomer } from './customers';
import { completeField, confirmAccuracy, contestField, correctField, fieldHistory } from './corrections';
import { findHeldValue } from './held-values';
import { closeTestContextsAfterEach, lastAudit } from './testing';
import { organisationWithAda } from './testing-people';

closeTestContextsAfterEach();

const setUp = organisationWithAda;


describe('corrections (Art 16)', () => {
	it('keeps the old value, who, when and why when a date of birth is corrected', async () => {
		const { t, id } = await setUp();
		t.clock.set('2025-04-01T10:30:00.000Z');
		const supervisor = t.as({ id: 'supervisor-7', role: 'team-leader' });
		const result = await correctField(supervisor, { customerId: id, field: 'dateOfBirth', newValue: '11/12/1985', reason: 'Birth certificate seen', requestId: 'request-1' });
		expect(result).toMatchObject({ ok: true, value: { version: 2 } });
		expect(await findHeldValue(t.ctx, id, 'dateOfBirth')).toMatchObject({ value: '1985-12-11', version: 2, updatedAt: '2025-04-01T10:30:00.000Z' });
		const history = await fieldHistory(t.ctx, id, 'dateOfBirth');
		expect(history.ok && history.value.at(-1)).toMatchObject({
			change: 'corrected',
			oldValue: '1985-12-10',
			newValue: '1985-12-11',
			actorId: 'supervisor-7',
			actorRole: 'team-leader',
			at: '2025-04-01T10:30:00.000Z',
			reason: 'Birth certificate seen',
			requestId: 'request-1',
			version: 2
		});
	});

	it('audits a correction with the field name and never the old or new value', async () => {
		const { t, id } = await setUp();
		await correctField(t.ctx, { customerId: id, field: 'postcode', newValue: 'M1 1AE', reason: 'moved' });
		const entry = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).find((e) => e.action === 'customer.field.corrected')!;
		expect(entry).toMatchObject({ subject: id, fields: ['postcode'], details: { version: 2 } });
		expect(JSON.stringify(entry)).not.toMatch(/M1 1AE|SW1A/);
	});

	it('checks a corrected value as at collection, naming the field', async () => {
		const { t, id } = await setUp();
		expect(await correctField(t.ctx, { customerId: id, field: 'postcode', newValue: 'nowhere', reason: 'moved' })).toMatchObject({ ok: false, error: { field: 'postcode' } });
		expect(await correctField(t.ctx, { customerId: id, field: 'dateOfBirth', newValue: '2010-01-01', reason: 'typo' })).toMatchObject({ ok: false, error: { field: 'dateOfBirth' } });
		expect((await findHeldValue(t.ctx, id, 'postcode'))?.version).toBe(1);
	});

	it('requires a reason for a correction', async () => {
		const { t, id } = await setUp();
		expect(await correctField(t.ctx, { customerId: id, field: 'postcode', newValue: 'M1 1AE', reason: '  ' })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'reason' } });
	});

	it('refuses a correction that changes nothing, or of a field not on record', async () => {
		const { t, id } = await setUp();
		expect(await correctField(t.ctx, { customerId: id, field: 'postcode', newValue: 'sw1a1aa', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'field.unchanged' } });
		expect(await correctField(t.ctx, { customerId: id, field: 'email', newValue: 'a@b.example', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'field.not-found' } });
	});

	it('completes incomplete data with a supplementary statement shown beside the value', async () => {
		const { t, id } = await setUp();
		expect(await completeField(t.ctx, { customerId: id, field: 'addressLine1', statement: 'Flat 2 is at the rear, entrance on Mill Lane' })).toMatchObject({ ok: true, value: { version: 2 } });
		expect((await findHeldValue(t.ctx, id, 'addressLine1'))?.value).toBe('12 High Street');
		const view = await getCustomer(t.ctx, id, { purposeCode: 'account-servicing' });
		expect(view.ok && view.value.fields.find((f) => f.field === 'addressLine1')?.supplementaryStatements).toEqual(['Flat 2 is at the rear, entrance on Mill Lane']);
		expect((await lastAudit(t)).action).toBe('customer.viewed');
	});

	it('flags a disputed value as contested, and settles it when accuracy is confirmed', async () => {
		const { t, id } = await setUp();
		expect(await contestField(t.ctx, { customerId: id, field: 'dateOfBirth', reason: 'Customer says the day is wrong' })).toMatchObject({ ok: true });
		expect((await findHeldValue(t.ctx, id, 'dateOfBirth'))?.accuracy).toBe('contested');
		expect(await contestField(t.ctx, { customerId: id, field: 'dateOfBirth', reason: 'again' })).toMatchObject({ ok: false, error: { code: 'field.already-contested' } });
		expect(await confirmAccuracy(t.ctx, { customerId: id, field: 'dateOfBirth', reason: 'Passport checked: the record is right' })).toMatchObject({ ok: true, value: { version: 3 } });
		expect((await findHeldValue(t.ctx, id, 'dateOfBirth'))?.accuracy).toBe('ok');
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.field.accuracy.confirmed', fields: ['dateOfBirth'] });
		expect(await confirmAccuracy(t.ctx, { customerId: id, field: 'dateOfBirth', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'field.not-contested' } });
	});

	it('settles a contest by correcting the value', async () => {
		const { t, id } = await setUp();
		await contestField(t.ctx, { customerId: id, field: 'dateOfBirth', reason: 'wrong day' });
		await correctField(t.ctx, { customerId: id, field: 'dateOfBirth', newValue: '1985-12-11', reason: 'passport' });
		expect(await findHeldValue(t.ctx, id, 'dateOfBirth')).toMatchObject({ accuracy: 'ok', version: 3 });
	});

	it('lists a customer’s history oldest first and audits the reading', async () => {
		const { t, id } = await setUp();
		await correctField(t.ctx, { customerId: id, field: 'postcode', newValue: 'M1 1AE', reason: 'moved' });
		const history = await fieldHistory(t.ctx, id);
		expect(history.ok && history.value.map((h) => h.change)).toEqual(['recorded', 'recorded', 'recorded', 'recorded', 'recorded', 'recorded', 'corrected']);
		expect(await lastAudit(t)).toMatchObject({ action: 'customer.viewed', details: { view: 'field-history' } });
	});
});

import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { interactionsOf, logInteraction } from './interactions';
import { createOrganisation, organisationWithMargaret } from './testing-people';
import { defineRetentionRule } from './retention';
import { definePurpose } from './purposes';
import { recordCustomer } from './customers';
import { heldValues } from './held-values';
import { closeTestContextsAfterEach } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;

describe('interactions', () => {
	it('logs a contact with its date and time, channel, party, nature, notes, actions and who handled it', async () => {
		const { t, customer } = await setUp();
		const r = await logInteraction(t.ctx, {
			customerId: customer.id,
			channel: 'phone',
			direction: 'inbound',
			partyType: 'data-subject',
			occurredAt: '2025-03-03T08:55:00Z',
			nature: 'balance enquiry',
			notes: 'Asked about the March bill',
			actionsTaken: ['verified identity', 'gave balance']
		});
		expect(r).toMatchObject({
			ok: true,
			value: { occurredAt: '2025-03-03T08:55:00.000Z', loggedAt: '2025-03-03T09:00:00.000Z', handledBy: 'agent-1', actionsTaken: ['verified identity', 'gave balance'] }
		});
		expect(await interactionsOf(t.ctx, customer.id)).toHaveLength(1);
	});

	it('keeps the notes and nature of an enquiry out of the audit log', async () => {
		const { t, customer } = await setUp();
		await logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'unknown', nature: 'complaint about Mr Hedge next door', notes: 'Mr Hedge' });
		const last = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(last).toMatchObject({ action: 'interaction.logged', subject: customer.id, details: { channel: 'phone', partyType: 'unknown' } });
		expect(JSON.stringify(last)).not.toContain('Hedge');
	});

	it('logs a contact from a caller not yet matched to a record', async () => {
		const { t } = await setUp();
		const r = await logInteraction(t.ctx, { channel: 'phone', direction: 'inbound', partyType: 'unknown', nature: 'verbal subject access request' });
		expect(r).toMatchObject({ ok: true, value: { customerId: null } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ subjectType: 'interaction' });
	});

	it('refuses a contact logged before it happens', async () => {
		const { t, customer } = await setUp();
		expect(await logInteraction(t.ctx, { customerId: customer.id, channel: 'email', direction: 'inbound', partyType: 'data-subject', nature: 'x', occurredAt: '2025-03-04T09:00:00Z' })).toMatchObject({
			ok: false,
			error: { code: 'interaction.in-future' }
		});
	});

	it('refuses a contact for a customer of another workspace', async () => {
		const { t } = await setUp();
		expect(await logInteraction(t.ctx, { customerId: 'nobody', channel: 'email', direction: 'inbound', partyType: 'data-subject', nature: 'x' })).toMatchObject({
			ok: false,
			error: { code: 'customer.not-found' }
		});
	});
});

describe('interactions and retention', () => {
	it('restarts a "years after last contact" retention clock when the person is in touch', async () => {
		const t = await createOrganisation();
		const rule = await defineRetentionRule(t.ctx, { code: 'enquiries-2y', description: 'Enquiry notes: 2 years after last contact', periodMonths: 24, trigger: 'last-contact', action: 'erase' });
		expect(rule.ok).toBe(true);
		const purpose = await definePurpose(t.ctx, {
			code: 'enquiry-handling',
			name: 'Handling enquiries',
			description: 'Answering questions from people who contact us',
			lawfulBasis: 'legitimate-interests',
			fields: ['givenName', 'familyName', 'email'],
			retentionRuleCode: 'enquiries-2y'
		});
		expect(purpose.ok).toBe(true);
		const person = await recordCustomer(t.ctx, { purposeCodes: ['enquiry-handling'], fields: { givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.org' } });
		if (!person.ok) throw new Error(person.error.message);
		const retainUntil = async () => (await heldValues(t.ctx, person.value.id)).map((h) => h.retainUntil);

		t.clock.set('2025-06-02T10:00:00Z');
		await logInteraction(t.ctx, { customerId: person.value.id, channel: 'email', direction: 'inbound', partyType: 'data-subject', nature: 'question about opening hours' });
		expect(await retainUntil()).toEqual(['2027-06-02', '2027-06-02', '2027-06-02']);

		// Someone else calling about her is not contact with her.
		t.clock.set('2026-01-05T10:00:00Z');
		await logInteraction(t.ctx, { customerId: person.value.id, channel: 'phone', direction: 'inbound', partyType: 'unauthorised-third-party', nature: 'neighbour asking for her number' });
		expect(await retainUntil()).toEqual(['2027-06-02', '2027-06-02', '2027-06-02']);
	});
});

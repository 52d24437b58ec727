import { afterEach, describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { findings } from './policy';
import { recordCustomer } from './customers';
import { giveConsent, hasValidConsent, mayMarket, recordMarketingObjection, withdrawConsent, type GiveConsentInput } from './consent';
import { eraseCustomerData } from './erasure';
import { findHeldValue } from './held-values';
import { definePurpose } from './purposes';
import { defineRetentionRule } from './retention';
import { consent } from './schema';
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
		purposeCodes: ['account-servicing', 'marketing'],
		fields: { givenName: 'Ada', familyName: 'Lovelace', addressLine1: '12 High Street', postcode: 'SW1A 1AA', email: 'ada@example.com', mobilePhone: '07700 900123' }
	});
	if (!result.ok) throw new Error(result.error.message);
	const id = result.value.id;
	const consentBy = (channel: GiveConsentInput['channel'], extra: Partial<GiveConsentInput> = {}): GiveConsentInput => ({
		customerId: id,
		purposeCode: 'marketing',
		channel,
		method: 'online',
		noticeVersion: 'privacy-notice-v3',
		evidenceRef: `form-${channel}`,
		...extra
	});
	return { t, id, consentBy };
}

const lastAudit = (t: TestContext) => auditEntries(t.ctx.db, t.ctx.workspaceId).at(-1)!;

describe('consent (Art 7)', () => {
	it('records one consent per purpose and channel with who, when, how, notice and evidence', () => {
		const { t, id, consentBy } = setUp();
		const given = giveConsent(t.ctx, consentBy('email'));
		expect(given).toMatchObject({
			ok: true,
			value: { customerId: id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'privacy-notice-v3', evidenceRef: 'form-email', takenBy: 'agent-1', givenBy: 'data-subject', givenAt: '2025-03-03T09:00:00.000Z', withdrawnAt: null }
		});
		expect(lastAudit(t)).toMatchObject({ action: 'consent.given', subject: id, details: { purposeCode: 'marketing', channel: 'email', method: 'online' } });
		expect(hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(true);
		// Consent by email says nothing about SMS: never bundled.
		expect(hasValidConsent(t.ctx, id, 'marketing', 'sms')).toBe(false);
	});

	it('refuses a second live consent for the same purpose and channel', () => {
		const { t, consentBy } = setUp();
		giveConsent(t.ctx, consentBy('email'));
		expect(giveConsent(t.ctx, consentBy('email'))).toMatchObject({ ok: false, error: { code: 'consent.exists' } });
	});

	it('refuses consent for a purpose that relies on another lawful basis (no bundling with the contract)', () => {
		const { t, consentBy } = setUp();
		expect(giveConsent(t.ctx, consentBy('email', { purposeCode: 'account-servicing' }))).toMatchObject({ ok: false, error: { code: 'consent.not-the-basis', field: 'purposeCode' } });
	});

	it('refuses verbal consent with nothing documented in enforce mode: it is not a consent record', () => {
		const { t, id, consentBy } = setUp('enforce');
		expect(giveConsent(t.ctx, consentBy('phone', { method: 'verbal', evidenceRef: '' }))).toMatchObject({ ok: false, error: { code: 'consent.undocumented', field: 'method' } });
		expect(lastAudit(t)).toMatchObject({ action: 'policy.refused', details: { code: 'consent.undocumented' } });
		expect(hasValidConsent(t.ctx, id, 'marketing', 'phone')).toBe(false);
	});

	it('records a finding for undocumented verbal consent in record mode, and still stores no consent', () => {
		const { t, id, consentBy } = setUp('record');
		expect(giveConsent(t.ctx, consentBy('phone', { method: 'verbal-documented', evidenceRef: '' }))).toMatchObject({ ok: false, error: { code: 'consent.undocumented', field: 'evidenceRef' } });
		expect(findings(t.ctx)).toMatchObject([{ code: 'consent.undocumented', rule: 'UK GDPR Art 7(1)', subjectId: id }]);
		expect(t.ctx.db.select().from(consent).all()).toHaveLength(0);
	});

	it('accepts verbal consent documented with an evidence reference', () => {
		const { t, id, consentBy } = setUp('enforce');
		expect(giveConsent(t.ctx, consentBy('phone', { method: 'verbal-documented', evidenceRef: 'call-recording-5521' })).ok).toBe(true);
		expect(hasValidConsent(t.ctx, id, 'marketing', 'phone')).toBe(true);
	});

	it('refuses consent given by a third party with no authority on file', () => {
		const { t, consentBy } = setUp();
		expect(giveConsent(t.ctx, consentBy('post', { givenBy: 'authorised-third-party', thirdPartyId: 'nobody' }))).toMatchObject({ ok: false, error: { code: 'consent.no-authority' } });
	});

	it('withdraws consent as easily as it was given, timestamped, and processing on it stops from then on', () => {
		const { t, id, consentBy } = setUp();
		giveConsent(t.ctx, consentBy('email'));
		t.clock.set('2025-05-01T08:00:00.000Z');
		const withdrawn = withdrawConsent(t.ctx, { customerId: id, purposeCode: 'marketing', channel: 'email', method: 'unsubscribe link' });
		expect(withdrawn).toMatchObject({ ok: true, value: { withdrawnAt: '2025-05-01T08:00:00.000Z', withdrawnBy: 'agent-1', withdrawalMethod: 'unsubscribe link' } });
		expect(lastAudit(t)).toMatchObject({ action: 'consent.withdrawn', details: { purposeCode: 'marketing', channel: 'email' } });
		expect(hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(false);
		expect(mayMarket(t.ctx, id, 'email')).toBe(false);
		expect(withdrawConsent(t.ctx, { customerId: id, purposeCode: 'marketing', channel: 'email' })).toMatchObject({ ok: false, error: { code: 'consent.not-found' } });
		// Consenting again makes a new record; the withdrawn one is kept.
		expect(giveConsent(t.ctx, consentBy('email')).ok).toBe(true);
		expect(t.ctx.db.select().from(consent).all()).toHaveLength(2);
	});

	it('starts the retention period of data kept on consent when the consent is withdrawn', () => {
		const { t } = setUp();
		defineRetentionRule(t.ctx, { code: 'survey', description: 'Survey answers', periodMonths: 1, trigger: 'consent-withdrawn', action: 'erase' });
		definePurpose(t.ctx, { code: 'survey', name: 'Survey', description: 'Customer survey', lawfulBasis: 'consent', fields: ['contactPreference'], retentionRuleCode: 'survey' });
		const result = recordCustomer(t.ctx, {
			purposeCodes: ['account-servicing', 'survey'],
			fields: { givenName: 'Bo', familyName: 'Jones', addressLine1: '1 Mill Lane', postcode: 'M1 1AE', contactPreference: 'evenings' }
		});
		if (!result.ok) throw new Error(result.error.message);
		const id = result.value.id;
		giveConsent(t.ctx, { customerId: id, purposeCode: 'survey', channel: 'phone', method: 'written', noticeVersion: 'v1', evidenceRef: 'form-1' });
		expect(findHeldValue(t.ctx, id, 'contactPreference')?.retainUntil).toBeNull();
		t.clock.set('2025-06-15T12:00:00.000Z');
		withdrawConsent(t.ctx, { customerId: id, purposeCode: 'survey', channel: 'phone' });
		expect(findHeldValue(t.ctx, id, 'contactPreference')?.retainUntil).toBe('2025-07-15');
	});
});

describe('objection to direct marketing (Art 21(3))', () => {
	it('allows marketing on a channel only with a valid consent for it', () => {
		const { t, id, consentBy } = setUp();
		expect(mayMarket(t.ctx, id, 'email')).toBe(false);
		giveConsent(t.ctx, consentBy('email'));
		expect(mayMarket(t.ctx, id, 'email')).toBe(true);
		expect(mayMarket(t.ctx, id, 'sms')).toBe(false);
	});

	it('stops marketing on the channel at once and withdraws its marketing consent', () => {
		const { t, id, consentBy } = setUp();
		giveConsent(t.ctx, consentBy('email'));
		giveConsent(t.ctx, consentBy('sms'));
		const objection = recordMarketingObjection(t.ctx, { customerId: id, channel: 'email' });
		expect(objection).toMatchObject({ ok: true, value: { channel: 'email', receivedAt: '2025-03-03T09:00:00.000Z' } });
		expect(mayMarket(t.ctx, id, 'email')).toBe(false);
		expect(hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(false);
		expect(mayMarket(t.ctx, id, 'sms')).toBe(true);
		const actions = auditEntries(t.ctx.db, t.ctx.workspaceId).map((e) => e.action);
		expect(actions.slice(-2)).toEqual(['marketing.objection.recorded', 'consent.withdrawn']);
	});

	it('stops marketing on every channel after an objection to all', () => {
		const { t, id, consentBy } = setUp();
		giveConsent(t.ctx, consentBy('email'));
		giveConsent(t.ctx, consentBy('sms'));
		recordMarketingObjection(t.ctx, { customerId: id, channel: 'all' });
		for (const channel of ['email', 'sms', 'phone', 'post', 'online'] as const) expect(mayMarket(t.ctx, id, channel)).toBe(false);
		expect(t.ctx.db.select().from(consent).all().every((c) => c.withdrawnAt !== null)).toBe(true);
	});

	it('never markets to a person whose data was erased', () => {
		const { t, id, consentBy } = setUp();
		giveConsent(t.ctx, consentBy('email'));
		eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' });
		expect(mayMarket(t.ctx, id, 'email')).toBe(false);
		expect(hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(false);
		expect(giveConsent(t.ctx, consentBy('sms'))).toMatchObject({ ok: false, error: { code: 'customer.erased' } });
	});
});

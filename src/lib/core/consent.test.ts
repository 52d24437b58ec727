import { dbAll } from './database';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { findings } from './policy';
import { recordCustomer } from './customers';
import { giveConsent, hasValidConsent, mayMarket, recordMarketingObjection, withdrawConsent, type GiveConsentInput } from './consent';
import { eraseCustomerData } from './erasure';
import { withdrawExplicitConsent } from './explicit-consent';
import { applyLegalHold } from './legal-hold';
import { findHeldValue } from './held-values';
import { definePurpose } from './purposes';
import { defineRetentionRule } from './retention';
import { consent } from './schema';
import { closeTestContextsAfterEach, createTestContext, lastAudit } from './testing';
import { defineStandardPurposes } from './testing-records';

closeTestContextsAfterEach();

async function setUp(policyMode: 'record' | 'enforce' = 'record') {
	const t = await createTestContext({ workspace: { policyMode } });
	await defineStandardPurposes(t.ctx);
	const result = await recordCustomer(t.ctx, {
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


describe('consent (Art 7)', () => {
	it('records one consent per purpose and channel with who, when, how, notice and evidence', async () => {
		const { t, id, consentBy } = await setUp();
		const given = await giveConsent(t.ctx, consentBy('email'));
		expect(given).toMatchObject({
			ok: true,
			value: { customerId: id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'privacy-notice-v3', evidenceRef: 'form-email', takenBy: 'agent-1', givenBy: 'data-subject', givenAt: '2025-03-03T09:00:00.000Z', withdrawnAt: null }
		});
		expect(await lastAudit(t)).toMatchObject({ action: 'consent.given', subject: id, details: { purposeCode: 'marketing', channel: 'email', method: 'online' } });
		expect(await hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(true);
		// Consent by email says nothing about SMS: never bundled.
		expect(await hasValidConsent(t.ctx, id, 'marketing', 'sms')).toBe(false);
	});

	it('refuses a second live consent for the same purpose and channel', async () => {
		const { t, consentBy } = await setUp();
		await giveConsent(t.ctx, consentBy('email'));
		expect(await giveConsent(t.ctx, consentBy('email'))).toMatchObject({ ok: false, error: { code: 'consent.exists' } });
	});

	it('refuses consent for a purpose that relies on another lawful basis (no bundling with the contract)', async () => {
		const { t, consentBy } = await setUp();
		expect(await giveConsent(t.ctx, consentBy('email', { purposeCode: 'account-servicing' }))).toMatchObject({ ok: false, error: { code: 'consent.not-the-basis', field: 'purposeCode' } });
	});

	it('refuses verbal consent with nothing documented in enforce mode: it is not a consent record', async () => {
		const { t, id, consentBy } = await setUp('enforce');
		expect(await giveConsent(t.ctx, consentBy('phone', { method: 'verbal', evidenceRef: '' }))).toMatchObject({ ok: false, error: { code: 'consent.undocumented', field: 'method' } });
		expect(await lastAudit(t)).toMatchObject({ action: 'policy.refused', details: { code: 'consent.undocumented' } });
		expect(await hasValidConsent(t.ctx, id, 'marketing', 'phone')).toBe(false);
	});

	it('records a finding for undocumented verbal consent in record mode, and still stores no consent', async () => {
		const { t, id, consentBy } = await setUp('record');
		expect(await giveConsent(t.ctx, consentBy('phone', { method: 'verbal-documented', evidenceRef: '' }))).toMatchObject({ ok: false, error: { code: 'consent.undocumented', field: 'evidenceRef' } });
		expect(await findings(t.ctx)).toMatchObject([{ code: 'consent.undocumented', rule: 'UK GDPR Art 7(1)', subjectId: id }]);
		expect(await dbAll(t.ctx.db.select().from(consent))).toHaveLength(0);
	});

	it('accepts verbal consent documented with an evidence reference', async () => {
		const { t, id, consentBy } = await setUp('enforce');
		expect((await giveConsent(t.ctx, consentBy('phone', { method: 'verbal-documented', evidenceRef: 'call-recording-5521' }))).ok).toBe(true);
		expect(await hasValidConsent(t.ctx, id, 'marketing', 'phone')).toBe(true);
	});

	it('refuses consent given by a third party with no authority on file', async () => {
		const { t, consentBy } = await setUp();
		expect(await giveConsent(t.ctx, consentBy('post', { givenBy: 'authorised-third-party', thirdPartyId: 'nobody' }))).toMatchObject({ ok: false, error: { code: 'consent.no-authority' } });
	});

	it('withdraws consent as easily as it was given, timestamped, and processing on it stops from then on', async () => {
		const { t, id, consentBy } = await setUp();
		await giveConsent(t.ctx, consentBy('email'));
		t.clock.set('2025-05-01T08:00:00.000Z');
		const withdrawn = await withdrawConsent(t.ctx, { customerId: id, purposeCode: 'marketing', channel: 'email', method: 'unsubscribe link' });
		expect(withdrawn).toMatchObject({ ok: true, value: { withdrawnAt: '2025-05-01T08:00:00.000Z', withdrawnBy: 'agent-1', withdrawalMethod: 'unsubscribe link' } });
		expect(await lastAudit(t)).toMatchObject({ action: 'consent.withdrawn', details: { purposeCode: 'marketing', channel: 'email' } });
		expect(await hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(false);
		expect(await mayMarket(t.ctx, id, 'email')).toBe(false);
		expect(await withdrawConsent(t.ctx, { customerId: id, purposeCode: 'marketing', channel: 'email' })).toMatchObject({ ok: false, error: { code: 'consent.not-found' } });
		// Consenting again makes a new record; the withdrawn one is kept.
		expect((await giveConsent(t.ctx, consentBy('email'))).ok).toBe(true);
		expect(await dbAll(t.ctx.db.select().from(consent))).toHaveLength(2);
	});

	it('starts the retention period of data kept on consent when the consent is withdrawn', async () => {
		const { t } = await setUp();
		await defineRetentionRule(t.ctx, { code: 'survey', description: 'Survey answers', periodMonths: 1, trigger: 'consent-withdrawn', action: 'erase' });
		await definePurpose(t.ctx, { code: 'survey', name: 'Survey', description: 'Customer survey', lawfulBasis: 'consent', fields: ['contactPreference'], retentionRuleCode: 'survey' });
		const result = await recordCustomer(t.ctx, {
			purposeCodes: ['account-servicing', 'survey'],
			fields: { givenName: 'Bo', familyName: 'Jones', addressLine1: '1 Mill Lane', postcode: 'M1 1AE', contactPreference: 'evenings' }
		});
		if (!result.ok) throw new Error(result.error.message);
		const id = result.value.id;
		await giveConsent(t.ctx, { customerId: id, purposeCode: 'survey', channel: 'phone', method: 'written', noticeVersion: 'v1', evidenceRef: 'form-1' });
		expect((await findHeldValue(t.ctx, id, 'contactPreference'))?.retainUntil).toBeNull();
		t.clock.set('2025-06-15T12:00:00.000Z');
		await withdrawConsent(t.ctx, { customerId: id, purposeCode: 'survey', channel: 'phone' });
		expect((await findHeldValue(t.ctx, id, 'contactPreference'))?.retainUntil).toBe('2025-07-15');
	});
});

describe('objection to direct marketing (Art 21(3))', () => {
	it('allows marketing on a channel only with a valid consent for it', async () => {
		const { t, id, consentBy } = await setUp();
		expect(await mayMarket(t.ctx, id, 'email')).toBe(false);
		await giveConsent(t.ctx, consentBy('email'));
		expect(await mayMarket(t.ctx, id, 'email')).toBe(true);
		expect(await mayMarket(t.ctx, id, 'sms')).toBe(false);
	});

	it('stops marketing on the channel at once and withdraws its marketing consent', async () => {
		const { t, id, consentBy } = await setUp();
		await giveConsent(t.ctx, consentBy('email'));
		await giveConsent(t.ctx, consentBy('sms'));
		const objection = await recordMarketingObjection(t.ctx, { customerId: id, channel: 'email' });
		expect(objection).toMatchObject({ ok: true, value: { channel: 'email', receivedAt: '2025-03-03T09:00:00.000Z' } });
		expect(await mayMarket(t.ctx, id, 'email')).toBe(false);
		expect(await hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(false);
		expect(await mayMarket(t.ctx, id, 'sms')).toBe(true);
		const actions = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action);
		expect(actions.slice(-2)).toEqual(['marketing.objection.recorded', 'consent.withdrawn']);
	});

	it('stops marketing on every channel after an objection to all', async () => {
		const { t, id, consentBy } = await setUp();
		await giveConsent(t.ctx, consentBy('email'));
		await giveConsent(t.ctx, consentBy('sms'));
		await recordMarketingObjection(t.ctx, { customerId: id, channel: 'all' });
		for (const channel of ['email', 'sms', 'phone', 'post', 'online'] as const) expect(await mayMarket(t.ctx, id, channel)).toBe(false);
		expect((await dbAll(t.ctx.db.select().from(consent))).every((c) => c.withdrawnAt !== null)).toBe(true);
	});

	it('never markets to a person whose data was erased', async () => {
		const { t, id, consentBy } = await setUp();
		await giveConsent(t.ctx, consentBy('email'));
		await eraseCustomerData(t.ctx, { customerId: id, reason: 'erasure request' });
		expect(await mayMarket(t.ctx, id, 'email')).toBe(false);
		expect(await hasValidConsent(t.ctx, id, 'marketing', 'email')).toBe(false);
		expect(await giveConsent(t.ctx, consentBy('sms'))).toMatchObject({ ok: false, error: { code: 'customer.erased' } });
	});
});

describe('explicit consent for special category data (Art 7(3), Art 9(2)(a), Art 17(1)(b))', () => {
	type Condition = 'explicit-consent' | 'vital-interests';
	async function withSpecialData(conditions: { healthCondition: Condition; vulnerabilityNote: Condition } = { healthCondition: 'explicit-consent', vulnerabilityNote: 'explicit-consent' }, policyMode: 'record' | 'enforce' = 'record') {
		const t = await createTestContext({ workspace: { policyMode } });
		await defineStandardPurposes(t.ctx);
		const result = await recordCustomer(t.ctx, {
			purposeCodes: ['account-servicing', 'vulnerability-support'],
			fields: { givenName: 'Ada', familyName: 'Lovelace', addressLine1: '12 High Street', postcode: 'SW1A 1AA', healthCondition: 'Uses a home dialysis machine', vulnerabilityNote: 'Hard of hearing' },
			conditions: { healthCondition: { art9Condition: conditions.healthCondition }, vulnerabilityNote: { art9Condition: conditions.vulnerabilityNote } }
		});
		if (!result.ok) throw new Error(result.error.message);
		return { t, id: result.value.id };
	}

	it('Art 7(3), Art 9(2)(a), Art 17(1)(b): withdrawing explicit consent on its own erases the special category data held on it', async () => {
		const { t, id } = await withSpecialData();
		const result = await withdrawExplicitConsent(t.ctx, { customerId: id, fields: ['healthCondition'], method: 'phone' });
		expect(result).toMatchObject({ ok: true, value: { erasedFields: ['healthCondition'], keptFields: [], heldFields: [] } });
		expect(await findHeldValue(t.ctx, id, 'healthCondition')).toMatchObject({ value: null, erasedAt: expect.any(String) });
		// Only what the withdrawal covered goes; the rest of the record stays.
		expect((await findHeldValue(t.ctx, id, 'vulnerabilityNote'))?.value).toBe('Hard of hearing');
		expect((await findHeldValue(t.ctx, id, 'postcode'))?.value).toBe('SW1A 1AA');
		const entry = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(entry).toMatchObject({ action: 'explicit-consent.withdrawn', fields: ['healthCondition'], details: { method: 'phone', erasedFields: ['healthCondition'] } });
		expect(JSON.stringify(entry)).not.toContain('dialysis');
	});

	it('Art 7(3): withdrawal needs nothing but the person’s word: no fields means all, and the method defaults to the way it was given', async () => {
		const { t, id } = await withSpecialData();
		expect(await withdrawExplicitConsent(t.ctx, { customerId: id })).toMatchObject({ ok: true, value: { erasedFields: ['healthCondition', 'vulnerabilityNote'] } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ details: { method: 'as given' } });
	});

	it('Art 9(2): data another recorded Art 9(2) condition covers is kept under it, and a condition needing a basis in law needs its Schedule 1 condition', async () => {
		const { t, id } = await withSpecialData();
		expect(
			await withdrawExplicitConsent(t.ctx, { customerId: id, otherConditions: { vulnerabilityNote: { art9Condition: 'substantial-public-interest', reason: 'safeguarding' } } })
		).toMatchObject({ ok: false, error: { code: 'special-category.no-schedule1-condition', field: 'otherConditions' } });
		const result = await withdrawExplicitConsent(t.ctx, {
			customerId: id,
			otherConditions: { vulnerabilityNote: { art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18 safeguarding of individuals at risk', reason: 'Engineers must knock loudly' } }
		});
		expect(result).toMatchObject({ ok: true, value: { erasedFields: ['healthCondition'], keptFields: [{ field: 'vulnerabilityNote', art9Condition: 'substantial-public-interest' }] } });
		expect((await findHeldValue(t.ctx, id, 'vulnerabilityNote'))?.value).toBe('Hard of hearing');
	});

	it('Art 17(3): a legal hold keeps a value through the withdrawal, for the hold’s purpose only', async () => {
		const { t, id } = await withSpecialData();
		await applyLegalHold(t.ctx, { customerId: id, fields: ['healthCondition'], reasonCode: 'legal-claims', reason: 'Claim over a missed priority visit' });
		expect(await withdrawExplicitConsent(t.ctx, { customerId: id })).toMatchObject({ ok: true, value: { erasedFields: ['vulnerabilityNote'], heldFields: ['healthCondition'] } });
		expect(await findHeldValue(t.ctx, id, 'healthCondition')).toMatchObject({ value: 'Uses a home dialysis machine', keptForHoldOnly: true });
	});

	it('refuses a withdrawal where nothing is held on explicit consent, or a field that is not, naming the field', async () => {
		const { t, id } = await withSpecialData({ healthCondition: 'vital-interests', vulnerabilityNote: 'explicit-consent' });
		expect(await withdrawExplicitConsent(t.ctx, { customerId: id, fields: ['healthCondition'] })).toMatchObject({ ok: false, error: { code: 'explicit-consent.not-held', field: 'fields' } });
		await withdrawExplicitConsent(t.ctx, { customerId: id });
		expect(await withdrawExplicitConsent(t.ctx, { customerId: id })).toMatchObject({ ok: false, error: { code: 'explicit-consent.none', field: 'customerId' } });
	});

	it('Art 7(3), Art 9(2)(a), Art 17(1)(b): for any conditions and any fields withdrawn, exactly the values held only on explicit consent are erased', async () => {
		const condition = fc.constantFrom<Condition>('explicit-consent', 'vital-interests');
		await fc.assert(
			fc.asyncProperty(condition, condition, fc.subarray(['healthCondition', 'vulnerabilityNote'] as const), fc.boolean(), async (health, vulnerability, chosen, keepOne) => {
				const { t, id } = await withSpecialData({ healthCondition: health, vulnerabilityNote: vulnerability });
				const onConsent = (['healthCondition', 'vulnerabilityNote'] as const).filter((f) => (f === 'healthCondition' ? health : vulnerability) === 'explicit-consent');
				const covered = chosen.length === 0 ? onConsent : chosen;
				const kept = keepOne && covered.length > 0 && covered.every((f) => onConsent.includes(f)) ? [covered[0]!] : [];
				const result = await withdrawExplicitConsent(t.ctx, {
					customerId: id,
					...(chosen.length > 0 ? { fields: [...chosen] } : {}),
					otherConditions: Object.fromEntries(kept.map((f) => [f, { art9Condition: 'vital-interests', reason: 'cannot consent in an emergency' }]))
				});
				const valid = onConsent.length > 0 && covered.every((f) => onConsent.includes(f));
				expect(result.ok).toBe(valid);
				for (const f of ['healthCondition', 'vulnerabilityNote'] as const) {
					const erased = valid && covered.includes(f) && !kept.includes(f);
					expect((await findHeldValue(t.ctx, id, f))?.value === null, f).toBe(erased);
				}
				t.close();
			}),
			{ numRuns: 40 }
		);
	});
});

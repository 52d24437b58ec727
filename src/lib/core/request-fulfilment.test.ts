import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEntries, verifyAuditChain } from './audit';
import { giveConsent, mayMarket } from './consent';
import { addCustomerFields, endRelationship, findCustomer, getCustomer } from './customers';
import { heldValues } from './held-values';
import { applyLegalHold } from './legal-hold';
import { logInteraction } from './interactions';
import { findings } from './policy';
import { definePurpose } from './purposes';
import { completeRequest } from './request-response';
import { fulfilErasure, fulfilObjection, fulfilRectification, fulfilRestriction } from './request-fulfilment';
import { getRequest, logRequest, type RequestKind, type RightsRequest } from './requests';
import { organisationWithMargaret, startRequest } from './testing-people';
import type { TestContext, TestContextOptions } from './testing';
import { closeTestContextsAfterEach, unwrap } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;
const requestInProgress = (t: TestContext, customerId: string, kind: RequestKind, verify = true): RightsRequest =>
	startRequest(t.ctx, { kind, channel: 'phone', verbal: true, description: `A ${kind} request`, customerId }, verify && {});
const value = (t: TestContext, customerId: string, field: string) => heldValues(t.ctx, customerId).find((h) => h.field === field);

describe('rectification (Art 16)', () => {
	it('rectifies inaccurate data within the same clock, keeping the old and new values', () => {
		const { t, customer } = setUp();
		const r = requestInProgress(t, customer.id, 'rectification');
		const ready = unwrap(fulfilRectification(t.ctx, { requestId: r.id, corrections: [{ field: 'addressLine1', newValue: '14 High Street', reason: 'Moved next door' }] }));
		expect(ready).toMatchObject({ state: 'response-ready', dueDate: r.dueDate, particulars: { outcome: { kind: 'rectified', fields: ['addressLine1'] } } });
		expect(value(t, customer.id, 'addressLine1')?.value).toBe('14 High Street');
		const history = t.ctx.db.$client.prepare("select old_value, new_value, request_id from customer_field_history where field = 'addressLine1' and change = 'corrected'").get();
		expect(history).toEqual({ old_value: '12 High Street', new_value: '14 High Street', request_id: r.id });
		expect(unwrap(completeRequest(t.ctx, { requestId: r.id })).state).toBe('complete');
	});

	it('completes incomplete data with a supplementary statement', () => {
		const { t, customer } = setUp();
		const r = requestInProgress(t, customer.id, 'rectification');
		unwrap(fulfilRectification(t.ctx, { requestId: r.id, statements: [{ field: 'arrears', statement: 'The arrears arose while a direct debit failed through the bank’s error' }] }));
		expect(auditEntries(t.ctx.db, t.ctx.workspaceId).map((e) => e.action)).toContain('customer.field.completed');
	});

	it('refuses to change the record on the request of an unverified requester in enforce mode', () => {
		const { t, customer } = setUp({ workspace: { policyMode: 'enforce' } });
		const r = requestInProgress(t, customer.id, 'rectification', false);
		expect(fulfilRectification(t.ctx, { requestId: r.id, corrections: [{ field: 'addressLine1', newValue: '1 Elsewhere', reason: 'Caller says' }] })).toMatchObject({
			ok: false,
			error: { code: 'request.requester.unverified' }
		});
		expect(value(t, customer.id, 'addressLine1')?.value).toBe('12 High Street');
	});

	it('applies none of a request’s corrections when one of them is invalid', () => {
		const { t, customer } = setUp();
		const r = requestInProgress(t, customer.id, 'rectification');
		const result = fulfilRectification(t.ctx, {
			requestId: r.id,
			corrections: [
				{ field: 'addressLine1', newValue: '14 High Street', reason: 'Moved' },
				{ field: 'postcode', newValue: 'NOT A POSTCODE', reason: 'Moved' }
			]
		});
		expect(result).toMatchObject({ ok: false, error: { field: 'postcode' } });
		expect(value(t, customer.id, 'addressLine1')?.value).toBe('12 High Street');
		expect(getRequest(t.ctx, r.id)?.state).toBe('in-progress');
		expect(verifyAuditChain(t.ctx.db, t.ctx.workspaceId).ok).toBe(true);
	});
});

describe('restriction (Art 18)', () => {
	it('restricts contested data while its accuracy is checked', () => {
		const { t, customer } = setUp();
		const r = requestInProgress(t, customer.id, 'restriction');
		unwrap(fulfilRestriction(t.ctx, { requestId: r.id, fields: ['dateOfBirth', 'arrears'], ground: 'accuracy-contested', reason: 'Customer disputes both' }));
		for (const field of ['dateOfBirth', 'arrears']) expect(value(t, customer.id, field)).toMatchObject({ accuracy: 'contested', restricted: true });
	});
});

describe('erasure (Art 17)', () => {
	function exCustomer(options: TestContextOptions = {}) {
		const { t, customer } = setUp(options);
		unwrap(giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		unwrap(addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['marketing'], fields: { contactPreference: 'email offers' } }));
		unwrap(endRelationship(t.ctx, customer.id));
		return { t, customer };
	}

	it('refuses erasure of records under a money-laundering retention duty', () => {
		const { t, customer } = exCustomer();
		const r = requestInProgress(t, customer.id, 'erasure');
		const ready = unwrap(fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		// givenName, familyName and dateOfBirth were collected for identity checks: MLR 2017 reg 40.
		for (const field of ['givenName', 'familyName', 'dateOfBirth']) {
			expect(value(t, customer.id, field)).toMatchObject({ legalHold: true, legalHoldReason: expect.stringContaining('MLR 2017 reg 40'), erasedAt: null });
			expect(value(t, customer.id, field)?.value).not.toBeNull();
		}
		for (const field of ['contactPreference', 'addressLine1', 'postcode', 'balance']) expect(value(t, customer.id, field)?.value).toBeNull();
		expect(findCustomer(t.ctx, customer.id)).toMatchObject({ suppressed: true });
		expect(ready.particulars.outcome).toMatchObject({ kind: 'erased', held: 3, heldReasons: [expect.stringContaining('MLR 2017 reg 40')] });
		const done = unwrap(completeRequest(t.ctx, { requestId: r.id, channel: 'letter' }));
		expect(done).toMatchObject({ state: 'partly-refused', refusalReason: expect.stringContaining('MLR 2017 reg 40') });
		expect((done.particulars.refusal as { notice: string }).notice).toContain('Information Commissioner');
	});

	it('keeps data under a legal hold for a legal claim (Art 17(3)(e))', () => {
		const { t, customer } = exCustomer();
		unwrap(applyLegalHold(t.ctx, { customerId: customer.id, fields: ['arrears', 'balance'], reasonCode: 'legal-claims', reason: 'County court claim for unpaid bills, claim K1234' }));
		const r = requestInProgress(t, customer.id, 'erasure');
		const ready = unwrap(fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		expect(value(t, customer.id, 'arrears')?.value).toBe('38.20');
		expect(ready.particulars.outcome).toMatchObject({ heldReasons: expect.arrayContaining([expect.stringContaining('K1234')]) });
	});

	it('erases marketing and consent-based data on withdrawal of consent, and only that', () => {
		const { t, customer } = setUp();
		unwrap(giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		unwrap(addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['marketing'], fields: { contactPreference: 'email offers' } }));
		const r = requestInProgress(t, customer.id, 'erasure');
		unwrap(fulfilErasure(t.ctx, { requestId: r.id, ground: 'consent-withdrawn' }));
		expect(value(t, customer.id, 'contactPreference')?.value).toBeNull();
		expect(value(t, customer.id, 'balance')?.value).toBe('142.50');
		expect(findCustomer(t.ctx, customer.id)?.suppressed).toBe(false);
	});

	it('keeps data still needed for the contract of a current customer when erasure is asked as no longer necessary', () => {
		const { t, customer } = setUp();
		const r = requestInProgress(t, customer.id, 'erasure');
		const ready = unwrap(fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		expect(value(t, customer.id, 'balance')?.value).toBe('142.50');
		expect(ready.particulars.outcome).toMatchObject({ held: expect.any(Number), heldReasons: [expect.stringContaining('still necessary')] });
		expect(unwrap(completeRequest(t.ctx, { requestId: r.id })).state).toBe('partly-refused');
	});

	it('clears the person’s words from interactions and requests in a full erasure, keeping the disclosure log', () => {
		const { t, customer } = exCustomer();
		unwrap(logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'moving house', notes: 'Moving to 3 Elm Row' }));
		const r = requestInProgress(t, customer.id, 'erasure');
		unwrap(fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		const rows = JSON.stringify(t.ctx.db.$client.prepare('select * from interaction').all()) + JSON.stringify(t.ctx.db.$client.prepare('select * from rights_request').all());
		expect(rows).not.toContain('Elm Row');
		expect(rows).not.toContain('A erasure request');
		expect(getRequest(t.ctx, r.id)).toMatchObject({ kind: 'erasure', description: '[erased]', state: 'response-ready' });
	});

	it('MLR 2017 reg 41: what an erasure keeps under a money-laundering hold is kept for that purpose only, until its date, and restricted for every other use', () => {
		const { t, customer } = exCustomer();
		const r = requestInProgress(t, customer.id, 'erasure');
		unwrap(fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		const kept = value(t, customer.id, 'dateOfBirth')!;
		expect(kept).toMatchObject({ value: '1961-04-12', keptForHoldOnly: true, legalHoldCode: 'money-laundering-records', legalHoldPurposeCode: 'identity-checks', legalHoldUntil: kept.retainUntil });
		const servicing = unwrap(getCustomer(t.ctx, customer.id, { purposeCode: 'account-servicing' }));
		expect(servicing.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({
			value: null,
			withheld: { code: 'field.kept-for-hold-only', rule: 'MLR 2017 reg 41' },
			holdUse: 'to prevent money laundering and terrorist financing',
			legalHoldUntil: kept.retainUntil
		});
		expect(unwrap(getCustomer(t.ctx, customer.id, { purposeCode: 'identity-checks' })).fields.find((f) => f.field === 'dateOfBirth')?.value).toBe('1961-04-12');
	});

	it('Art 17(1)(b), Art 9(2)(a): an erasure on withdrawn consent reaches special category data held on explicit consent', () => {
		const { t, customer } = setUp();
		unwrap(
			addCustomerFields(t.ctx, {
				customerId: customer.id,
				purposeCodes: ['vulnerability-support'],
				fields: { healthCondition: 'Uses a home dialysis machine', vulnerabilityNote: 'Hard of hearing' },
				conditions: {
					healthCondition: { art9Condition: 'explicit-consent' },
					vulnerabilityNote: { art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18' }
				}
			})
		);
		const r = requestInProgress(t, customer.id, 'erasure');
		unwrap(fulfilErasure(t.ctx, { requestId: r.id, ground: 'consent-withdrawn' }));
		expect(value(t, customer.id, 'healthCondition')?.value).toBeNull();
		expect(value(t, customer.id, 'vulnerabilityNote')?.value).toBe('Hard of hearing');
		expect(value(t, customer.id, 'balance')?.value).toBe('142.50');
	});

	it('refuses an erasure ground the law does not know', () => {
		const { t, customer } = setUp();
		const r = requestInProgress(t, customer.id, 'erasure');
		expect(fulfilErasure(t.ctx, { requestId: r.id, ground: 'changed-my-mind' as never })).toMatchObject({ ok: false, error: { field: 'ground' } });
	});
});

describe('objection (Art 21)', () => {
	it('stops direct marketing at once on an objection, before any ID or verification', () => {
		const { t, customer } = setUp({ workspace: { policyMode: 'enforce' } });
		unwrap(giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		expect(mayMarket(t.ctx, customer.id, 'email')).toBe(true);
		const r = unwrap(logRequest(t.ctx, { kind: 'objection', channel: 'phone', verbal: true, description: 'Stop sending me offers', customerId: customer.id }));
		const ready = unwrap(fulfilObjection(t.ctx, { requestId: r.id, directMarketing: { channel: 'all' } }));
		expect(ready).toMatchObject({ state: 'response-ready', particulars: { outcome: { marketingStopped: 'all' } } });
		expect(mayMarket(t.ctx, customer.id, 'email')).toBe(false);
		expect(auditEntries(t.ctx.db, t.ctx.workspaceId).map((e) => e.action)).toContain('marketing.objection.recorded');
	});

	function withResearchPurpose(options: TestContextOptions = {}) {
		const { t, customer } = setUp(options);
		unwrap(
			definePurpose(t.ctx, {
				code: 'customer-research',
				name: 'Customer research',
				description: 'Understanding which languages to offer',
				lawfulBasis: 'legitimate-interests',
				basisDetail: 'LIA-2025-01',
				fields: ['preferredLanguage'],
				retentionRuleCode: 'account-records'
			})
		);
		unwrap(addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['customer-research'], fields: { preferredLanguage: 'Yoruba' } }));
		return { t, customer };
	}

	it('refuses to continue processing after an objection without recorded compelling legitimate grounds in enforce mode', () => {
		const { t, customer } = withResearchPurpose({ workspace: { policyMode: 'enforce' } });
		const r = requestInProgress(t, customer.id, 'objection');
		expect(fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'customer-research', decision: 'continue' } })).toMatchObject({
			ok: false,
			error: { code: 'objection.no-compelling-grounds' }
		});
	});

	it('continues processing after an objection on recorded compelling grounds, telling the person why', () => {
		const { t, customer } = withResearchPurpose({ workspace: { policyMode: 'enforce' } });
		const r = requestInProgress(t, customer.id, 'objection');
		unwrap(
			fulfilObjection(t.ctx, {
				requestId: r.id,
				processing: { purposeCode: 'customer-research', decision: 'continue', compellingGrounds: 'Needed to meet the regulator’s accessibility requirements for all customers.' }
			})
		);
		const done = unwrap(completeRequest(t.ctx, { requestId: r.id }));
		expect(done).toMatchObject({ state: 'refused' });
		expect(auditEntries(t.ctx.db, t.ctx.workspaceId).map((e) => e.action)).toEqual(expect.arrayContaining(['objection.recorded', 'objection.decided']));
	});

	it('stops processing for the purpose objected to when no compelling grounds exist', () => {
		const { t, customer } = withResearchPurpose();
		const r = requestInProgress(t, customer.id, 'objection');
		unwrap(fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'customer-research', decision: 'stop' } }));
		expect(value(t, customer.id, 'preferredLanguage')).toMatchObject({ restricted: true });
		expect(unwrap(completeRequest(t.ctx, { requestId: r.id })).state).toBe('complete');
		expect(findings(t.ctx)).toHaveLength(0);
	});

	it('refuses an objection to processing the right to object does not reach, with reasons', () => {
		const { t, customer } = setUp();
		const r = requestInProgress(t, customer.id, 'objection');
		unwrap(fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'account-servicing', decision: 'stop' } }));
		const done = unwrap(completeRequest(t.ctx, { requestId: r.id }));
		expect(done).toMatchObject({ state: 'refused', refusalReason: expect.stringContaining('Article 21(1)') });
		expect(value(t, customer.id, 'balance')?.restricted).toBe(false);
	});

	function withMarketingPurposeData(options: TestContextOptions = {}) {
		const { t, customer } = setUp(options);
		unwrap(giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		unwrap(giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'sms', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		return { t, customer };
	}

	it('Art 21(3): an objection to a direct-marketing purpose cannot be overridden by compelling grounds, in either mode', () => {
		for (const policyMode of ['enforce', 'record'] as const) {
			const { t, customer } = withMarketingPurposeData({ workspace: { policyMode } });
			const r = requestInProgress(t, customer.id, 'objection');
			const tried = fulfilObjection(t.ctx, {
				requestId: r.id,
				processing: { purposeCode: 'marketing', decision: 'continue', compellingGrounds: 'Our best customers always want to hear about our new tariffs.' }
			});
			expect(tried).toMatchObject({ ok: false, error: { code: 'objection.direct-marketing-absolute', field: 'processing.decision', message: expect.stringContaining('absolute') } });
			expect(getRequest(t.ctx, r.id)?.state).toBe('in-progress');
			if (policyMode === 'record') expect(findings(t.ctx).map((f) => f.code)).toContain('objection.direct-marketing-absolute');
		}
	});

	it('Art 21(3): an objection to a direct-marketing purpose stops marketing on every channel at once, verified or not', () => {
		const { t, customer } = withMarketingPurposeData({ workspace: { policyMode: 'enforce' } });
		const r = unwrap(logRequest(t.ctx, { kind: 'objection', channel: 'phone', verbal: true, description: 'Stop the offers', customerId: customer.id }));
		const ready = unwrap(fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'marketing', decision: 'stop' } }));
		expect(ready).toMatchObject({ state: 'response-ready', particulars: { outcome: { marketingStopped: 'all', processingDecision: 'stop' } } });
		expect(mayMarket(t.ctx, customer.id, 'email')).toBe(false);
		expect(mayMarket(t.ctx, customer.id, 'sms')).toBe(false);
		expect(auditEntries(t.ctx.db, t.ctx.workspaceId).find((e) => e.action === 'objection.decided')).toMatchObject({ details: { decision: 'stop', absolute: true } });
	});

	it('Art 21(1): processing objected to may continue for legal claims when the claim is recorded', () => {
		const { t, customer } = withResearchPurpose({ workspace: { policyMode: 'enforce' } });
		const r = requestInProgress(t, customer.id, 'objection');
		unwrap(
			fulfilObjection(t.ctx, {
				requestId: r.id,
				processing: { purposeCode: 'customer-research', decision: 'continue', continueOn: 'legal-claims', compellingGrounds: 'Needed to defend claim CL-2025-118 brought by the customer.' }
			})
		);
		expect(auditEntries(t.ctx.db, t.ctx.workspaceId).find((e) => e.action === 'objection.decided')).toMatchObject({ details: { decision: 'continue', continueOn: 'legal-claims', absolute: false } });
		expect(value(t, customer.id, 'preferredLanguage')?.restricted).toBe(false);
	});

	it('Art 21(3): whatever decision and grounds are given, after an objection to direct marketing no channel may be marketed to', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('enforce' as const, 'record' as const),
				fc.constantFrom('stop' as const, 'continue' as const),
				fc.constantFrom('', 'Our legitimate interest in growing the business is compelling.'),
				fc.boolean(),
				(policyMode, decision, grounds, alsoDirect) => {
					const { t, customer } = withMarketingPurposeData({ workspace: { policyMode } });
					const r = requestInProgress(t, customer.id, 'objection');
					const result = fulfilObjection(t.ctx, {
						requestId: r.id,
						...(alsoDirect ? { directMarketing: { channel: 'all' as const } } : {}),
						processing: { purposeCode: 'marketing', decision, compellingGrounds: grounds }
					});
					// Asking to continue is refused outright; otherwise marketing stops everywhere.
					expect(result.ok).toBe(decision === 'stop');
					if (result.ok) for (const channel of ['email', 'sms', 'phone', 'post'] as const) expect(mayMarket(t.ctx, customer.id, channel)).toBe(false);
					t.close();
				}
			),
			{ numRuns: 30 }
		);
	});
});

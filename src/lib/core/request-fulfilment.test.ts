import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbQuery } from './database';
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
const requestInProgress = async (t: TestContext, customerId: string, kind: RequestKind, verify = true): Promise<RightsRequest> =>
	await startRequest(t.ctx, { kind, channel: 'phone', verbal: true, description: `A ${kind} request`, customerId }, verify && {});
const value = async (t: TestContext, customerId: string, field: string) => (await heldValues(t.ctx, customerId)).find((h) => h.field === field);

describe('rectification (Art 16)', () => {
	it('rectifies inaccurate data within the same clock, keeping the old and new values', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'rectification');
		const ready = unwrap(await fulfilRectification(t.ctx, { requestId: r.id, corrections: [{ field: 'addressLine1', newValue: '14 High Street', reason: 'Moved next door' }] }));
		expect(ready).toMatchObject({ state: 'response-ready', dueDate: r.dueDate, particulars: { outcome: { kind: 'rectified', fields: ['addressLine1'] } } });
		expect((await value(t, customer.id, 'addressLine1'))?.value).toBe('14 High Street');
		const [history] = await dbQuery(t.ctx.db, sql`select old_value, new_value, request_id from customer_field_history where field = 'addressLine1' and change = 'corrected'`);
		expect(history).toEqual({ old_value: '12 High Street', new_value: '14 High Street', request_id: r.id });
		expect(unwrap(await completeRequest(t.ctx, { requestId: r.id })).state).toBe('complete');
	});

	it('completes incomplete data with a supplementary statement', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'rectification');
		unwrap(await fulfilRectification(t.ctx, { requestId: r.id, statements: [{ field: 'arrears', statement: 'The arrears arose while a direct debit failed through the bank’s error' }] }));
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action)).toContain('customer.field.completed');
	});

	it('refuses to change the record on the request of an unverified requester in enforce mode', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await requestInProgress(t, customer.id, 'rectification', false);
		expect(await fulfilRectification(t.ctx, { requestId: r.id, corrections: [{ field: 'addressLine1', newValue: '1 Elsewhere', reason: 'Caller says' }] })).toMatchObject({
			ok: false,
			error: { code: 'request.requester.unverified' }
		});
		expect((await value(t, customer.id, 'addressLine1'))?.value).toBe('12 High Street');
	});

	it('applies none of a request’s corrections when one of them is invalid', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'rectification');
		const result = await fulfilRectification(t.ctx, {
			requestId: r.id,
			corrections: [
				{ field: 'addressLine1', newValue: '14 High Street', reason: 'Moved' },
				{ field: 'postcode', newValue: 'NOT A POSTCODE', reason: 'Moved' }
			]
		});
		expect(result).toMatchObject({ ok: false, error: { field: 'postcode' } });
		expect((await value(t, customer.id, 'addressLine1'))?.value).toBe('12 High Street');
		expect((await getRequest(t.ctx, r.id))?.state).toBe('in-progress');
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});
});

describe('restriction (Art 18)', () => {
	it('restricts contested data while its accuracy is checked', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'restriction');
		unwrap(await fulfilRestriction(t.ctx, { requestId: r.id, fields: ['dateOfBirth', 'arrears'], ground: 'accuracy-contested', reason: 'Customer disputes both' }));
		for (const field of ['dateOfBirth', 'arrears']) expect(await value(t, customer.id, field)).toMatchObject({ accuracy: 'contested', restricted: true });
	});
});

describe('erasure (Art 17)', () => {
	async function exCustomer(options: TestContextOptions = {}) {
		const { t, customer } = await setUp(options);
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		unwrap(await addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['marketing'], fields: { contactPreference: 'email offers' } }));
		unwrap(await endRelationship(t.ctx, customer.id));
		return { t, customer };
	}

	it('refuses erasure of records under a money-laundering retention duty', async () => {
		const { t, customer } = await exCustomer();
		const r = await requestInProgress(t, customer.id, 'erasure');
		const ready = unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		// givenName, familyName and dateOfBirth were collected for identity checks: MLR 2017 reg 40.
		for (const field of ['givenName', 'familyName', 'dateOfBirth']) {
			expect(await value(t, customer.id, field)).toMatchObject({ legalHold: true, legalHoldReason: expect.stringContaining('MLR 2017 reg 40'), erasedAt: null });
			expect((await value(t, customer.id, field))?.value).not.toBeNull();
		}
		for (const field of ['contactPreference', 'addressLine1', 'postcode', 'balance']) expect((await value(t, customer.id, field))?.value).toBeNull();
		expect(await findCustomer(t.ctx, customer.id)).toMatchObject({ suppressed: true });
		expect(ready.particulars.outcome).toMatchObject({ kind: 'erased', held: 3, heldReasons: [expect.stringContaining('MLR 2017 reg 40')] });
		const done = unwrap(await completeRequest(t.ctx, { requestId: r.id, channel: 'letter' }));
		expect(done).toMatchObject({ state: 'partly-refused', refusalReason: expect.stringContaining('MLR 2017 reg 40') });
		expect((done.particulars.refusal as { notice: string }).notice).toContain('Information Commissioner');
	});

	it('keeps data under a legal hold for a legal claim (Art 17(3)(e))', async () => {
		const { t, customer } = await exCustomer();
		unwrap(await applyLegalHold(t.ctx, { customerId: customer.id, fields: ['arrears', 'balance'], reasonCode: 'legal-claims', reason: 'County court claim for unpaid bills, claim K1234' }));
		const r = await requestInProgress(t, customer.id, 'erasure');
		const ready = unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		expect((await value(t, customer.id, 'arrears'))?.value).toBe('38.20');
		expect(ready.particulars.outcome).toMatchObject({ heldReasons: expect.arrayContaining([expect.stringContaining('K1234')]) });
	});

	it('erases marketing and consent-based data on withdrawal of consent, and only that', async () => {
		const { t, customer } = await setUp();
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		unwrap(await addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['marketing'], fields: { contactPreference: 'email offers' } }));
		const r = await requestInProgress(t, customer.id, 'erasure');
		unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'consent-withdrawn' }));
		expect((await value(t, customer.id, 'contactPreference'))?.value).toBeNull();
		expect((await value(t, customer.id, 'balance'))?.value).toBe('142.50');
		expect((await findCustomer(t.ctx, customer.id))?.suppressed).toBe(false);
	});

	it('keeps data still needed for the contract of a current customer when erasure is asked as no longer necessary', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'erasure');
		const ready = unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		expect((await value(t, customer.id, 'balance'))?.value).toBe('142.50');
		expect(ready.particulars.outcome).toMatchObject({ held: expect.any(Number), heldReasons: [expect.stringContaining('still necessary')] });
		expect(unwrap(await completeRequest(t.ctx, { requestId: r.id })).state).toBe('partly-refused');
	});

	it('clears the person’s words from interactions and requests in a full erasure, keeping the disclosure log', async () => {
		const { t, customer } = await exCustomer();
		unwrap(await logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'moving house', notes: 'Moving to 3 Elm Row' }));
		const r = await requestInProgress(t, customer.id, 'erasure');
		unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		const rows = JSON.stringify(await dbQuery(t.ctx.db, sql`select * from interaction`)) + JSON.stringify(await dbQuery(t.ctx.db, sql`select * from rights_request`));
		expect(rows).not.toContain('Elm Row');
		expect(rows).not.toContain('A erasure request');
		expect(await getRequest(t.ctx, r.id)).toMatchObject({ kind: 'erasure', description: '[erased]', state: 'response-ready' });
	});

	it('MLR 2017 reg 41: what an erasure keeps under a money-laundering hold is kept for that purpose only, until its date, and restricted for every other use', async () => {
		const { t, customer } = await exCustomer();
		const r = await requestInProgress(t, customer.id, 'erasure');
		unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		const kept = (await value(t, customer.id, 'dateOfBirth'))!;
		expect(kept).toMatchObject({ value: '1961-04-12', keptForHoldOnly: true, legalHoldCode: 'money-laundering-records', legalHoldPurposeCode: 'identity-checks', legalHoldUntil: kept.retainUntil });
		const servicing = unwrap(await getCustomer(t.ctx, customer.id, { purposeCode: 'account-servicing' }));
		expect(servicing.fields.find((f) => f.field === 'dateOfBirth')).toMatchObject({
			value: null,
			withheld: { code: 'field.kept-for-hold-only', rule: 'MLR 2017 reg 41' },
			holdUse: 'to prevent money laundering and terrorist financing',
			legalHoldUntil: kept.retainUntil
		});
		expect(unwrap(await getCustomer(t.ctx, customer.id, { purposeCode: 'identity-checks' })).fields.find((f) => f.field === 'dateOfBirth')?.value).toBe('1961-04-12');
	});

	it('Art 17(1)(b), Art 9(2)(a): an erasure on withdrawn consent reaches special category data held on explicit consent', async () => {
		const { t, customer } = await setUp();
		unwrap(
			await addCustomerFields(t.ctx, {
				customerId: customer.id,
				purposeCodes: ['vulnerability-support'],
				fields: { healthCondition: 'Uses a home dialysis machine', vulnerabilityNote: 'Hard of hearing' },
				conditions: {
					healthCondition: { art9Condition: 'explicit-consent' },
					vulnerabilityNote: { art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18' }
				}
			})
		);
		const r = await requestInProgress(t, customer.id, 'erasure');
		unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'consent-withdrawn' }));
		expect((await value(t, customer.id, 'healthCondition'))?.value).toBeNull();
		expect((await value(t, customer.id, 'vulnerabilityNote'))?.value).toBe('Hard of hearing');
		expect((await value(t, customer.id, 'balance'))?.value).toBe('142.50');
	});

	it('refuses an erasure ground the law does not know', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'erasure');
		expect(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'changed-my-mind' as never })).toMatchObject({ ok: false, error: { field: 'ground' } });
	});
});

describe('objection (Art 21)', () => {
	it('stops direct marketing at once on an objection, before any ID or verification', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		expect(await mayMarket(t.ctx, customer.id, 'email')).toBe(true);
		const r = unwrap(await logRequest(t.ctx, { kind: 'objection', channel: 'phone', verbal: true, description: 'Stop sending me offers', customerId: customer.id }));
		const ready = unwrap(await fulfilObjection(t.ctx, { requestId: r.id, directMarketing: { channel: 'all' } }));
		expect(ready).toMatchObject({ state: 'response-ready', particulars: { outcome: { marketingStopped: 'all' } } });
		expect(await mayMarket(t.ctx, customer.id, 'email')).toBe(false);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action)).toContain('marketing.objection.recorded');
	});

	async function withResearchPurpose(options: TestContextOptions = {}) {
		const { t, customer } = await setUp(options);
		unwrap(
			await definePurpose(t.ctx, {
				code: 'customer-research',
				name: 'Customer research',
				description: 'Understanding which languages to offer',
				lawfulBasis: 'legitimate-interests',
				basisDetail: 'LIA-2025-01',
				fields: ['preferredLanguage'],
				retentionRuleCode: 'account-records'
			})
		);
		unwrap(await addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['customer-research'], fields: { preferredLanguage: 'Yoruba' } }));
		return { t, customer };
	}

	it('refuses to continue processing after an objection without recorded compelling legitimate grounds in enforce mode', async () => {
		const { t, customer } = await withResearchPurpose({ workspace: { policyMode: 'enforce' } });
		const r = await requestInProgress(t, customer.id, 'objection');
		expect(await fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'customer-research', decision: 'continue' } })).toMatchObject({
			ok: false,
			error: { code: 'objection.no-compelling-grounds' }
		});
	});

	it('continues processing after an objection on recorded compelling grounds, telling the person why', async () => {
		const { t, customer } = await withResearchPurpose({ workspace: { policyMode: 'enforce' } });
		const r = await requestInProgress(t, customer.id, 'objection');
		unwrap(
			await fulfilObjection(t.ctx, {
				requestId: r.id,
				processing: { purposeCode: 'customer-research', decision: 'continue', compellingGrounds: 'Needed to meet the regulator’s accessibility requirements for all customers.' }
			})
		);
		const done = unwrap(await completeRequest(t.ctx, { requestId: r.id }));
		expect(done).toMatchObject({ state: 'refused' });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action)).toEqual(expect.arrayContaining(['objection.recorded', 'objection.decided']));
	});

	it('stops processing for the purpose objected to when no compelling grounds exist', async () => {
		const { t, customer } = await withResearchPurpose();
		const r = await requestInProgress(t, customer.id, 'objection');
		unwrap(await fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'customer-research', decision: 'stop' } }));
		expect(await value(t, customer.id, 'preferredLanguage')).toMatchObject({ restricted: true });
		expect(unwrap(await completeRequest(t.ctx, { requestId: r.id })).state).toBe('complete');
		expect(await findings(t.ctx)).toHaveLength(0);
	});

	it('refuses an objection to processing the right to object does not reach, with reasons', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'objection');
		unwrap(await fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'account-servicing', decision: 'stop' } }));
		const done = unwrap(await completeRequest(t.ctx, { requestId: r.id }));
		expect(done).toMatchObject({ state: 'refused', refusalReason: expect.stringContaining('Article 21(1)') });
		expect((await value(t, customer.id, 'balance'))?.restricted).toBe(false);
	});

	async function withMarketingPurposeData(options: TestContextOptions = {}) {
		const { t, customer } = await setUp(options);
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'sms', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		return { t, customer };
	}

	it('Art 21(3): an objection to a direct-marketing purpose cannot be overridden by compelling grounds, in either mode', async () => {
		for (const policyMode of ['enforce', 'record'] as const) {
			const { t, customer } = await withMarketingPurposeData({ workspace: { policyMode } });
			const r = await requestInProgress(t, customer.id, 'objection');
			const tried = await fulfilObjection(t.ctx, {
				requestId: r.id,
				processing: { purposeCode: 'marketing', decision: 'continue', compellingGrounds: 'Our best customers always want to hear about our new tariffs.' }
			});
			expect(tried).toMatchObject({ ok: false, error: { code: 'objection.direct-marketing-absolute', field: 'processing.decision', message: expect.stringContaining('absolute') } });
			expect((await getRequest(t.ctx, r.id))?.state).toBe('in-progress');
			if (policyMode === 'record') expect((await findings(t.ctx)).map((f) => f.code)).toContain('objection.direct-marketing-absolute');
		}
	});

	it('Art 21(3): an objection to a direct-marketing purpose stops marketing on every channel at once, verified or not', async () => {
		const { t, customer } = await withMarketingPurposeData({ workspace: { policyMode: 'enforce' } });
		const r = unwrap(await logRequest(t.ctx, { kind: 'objection', channel: 'phone', verbal: true, description: 'Stop the offers', customerId: customer.id }));
		const ready = unwrap(await fulfilObjection(t.ctx, { requestId: r.id, processing: { purposeCode: 'marketing', decision: 'stop' } }));
		expect(ready).toMatchObject({ state: 'response-ready', particulars: { outcome: { marketingStopped: 'all', processingDecision: 'stop' } } });
		expect(await mayMarket(t.ctx, customer.id, 'email')).toBe(false);
		expect(await mayMarket(t.ctx, customer.id, 'sms')).toBe(false);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).find((e) => e.action === 'objection.decided')).toMatchObject({ details: { decision: 'stop', absolute: true } });
	});

	it('Art 21(1): processing objected to may continue for legal claims when the claim is recorded', async () => {
		const { t, customer } = await withResearchPurpose({ workspace: { policyMode: 'enforce' } });
		const r = await requestInProgress(t, customer.id, 'objection');
		unwrap(
			await fulfilObjection(t.ctx, {
				requestId: r.id,
				processing: { purposeCode: 'customer-research', decision: 'continue', continueOn: 'legal-claims', compellingGrounds: 'Needed to defend claim CL-2025-118 brought by the customer.' }
			})
		);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).find((e) => e.action === 'objection.decided')).toMatchObject({ details: { decision: 'continue', continueOn: 'legal-claims', absolute: false } });
		expect((await value(t, customer.id, 'preferredLanguage'))?.restricted).toBe(false);
	});

	it('Art 21(3): whatever decision and grounds are given, after an objection to direct marketing no channel may be marketed to', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom('enforce' as const, 'record' as const),
				fc.constantFrom('stop' as const, 'continue' as const),
				fc.constantFrom('', 'Our legitimate interest in growing the business is compelling.'),
				fc.boolean(),
				async (policyMode, decision, grounds, alsoDirect) => {
					const { t, customer } = await withMarketingPurposeData({ workspace: { policyMode } });
					const r = await requestInProgress(t, customer.id, 'objection');
					const result = await fulfilObjection(t.ctx, {
						requestId: r.id,
						...(alsoDirect ? { directMarketing: { channel: 'all' as const } } : {}),
						processing: { purposeCode: 'marketing', decision, compellingGrounds: grounds }
					});
					// Asking to continue is refused outright; otherwise marketing stops everywhere.
					expect(result.ok).toBe(decision === 'stop');
					if (result.ok) for (const channel of ['email', 'sms', 'phone', 'post'] as const) expect(await mayMarket(t.ctx, customer.id, channel)).toBe(false);
					t.close();
				}
			),
			{ numRuns: 30 }
		);
	});
});

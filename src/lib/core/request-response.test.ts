import { describe, expect, it } from 'vitest';
import { auditEntries, verifyAuditChain } from './audit';
import { giveConsent } from './consent';
import { addCustomerFields } from './customers';
import { disclose, disclosuresOf } from './disclosure';
import { logInteraction } from './interactions';
import { findings } from './policy';
import { RIGHTS_STATEMENT, applyRedactions, assembleResponse, collateRequestData, completeRequest, decideRedaction, type CollatedData } from './request-response';
import { beginRequest, getRequest, logRequest, type LogRequestInput, type RightsRequest } from './requests';
import { ART15_ITEMS } from './schema';
import { MARGARET_KNOWS, organisationWithMargaret, startRequest } from './testing-people';
import type { TestContext } from './testing';
import { verifyIdentity } from './verification';
import { closeTestContextsAfterEach, unwrap } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;
/** A SAR logged for Margaret by email, verified (unless told otherwise) and in progress. */
const sarInProgress = async (t: TestContext, customerId: string, extra: Partial<LogRequestInput> = {}, verify = true): Promise<RightsRequest> =>
	await startRequest(t.ctx, { kind: 'access', channel: 'email', verbal: false, description: 'Please send me all my data', customerId, ...extra }, verify && { channel: 'email' });

describe('collating everything held (Art 15)', () => {
	it('gathers records with their history, interactions, disclosures with recipients, consents, verification attempts, requests and special category data', async () => {
		const { t, customer } = await setUp();
		unwrap(
			await addCustomerFields(t.ctx, {
				customerId: customer.id,
				purposeCodes: ['vulnerability-support'],
				fields: { vulnerabilityNote: 'Uses a wheelchair; needs level access for meter readings' },
				conditions: { vulnerabilityNote: { art9Condition: 'substantial-public-interest', schedule1Condition: 'DPA 2018 Sch 1 para 18' } }
			})
		);
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-991' }));
		unwrap(await logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'billing query' }));
		unwrap(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'unauthorised-third-party', name: 'a caller' }, fields: ['balance'], channel: 'phone' }));
		const r = await sarInProgress(t, customer.id);
		const data = unwrap(await collateRequestData(t.ctx, { requestId: r.id }));
		expect(data.values.map((v) => v.field)).toEqual(expect.arrayContaining(['givenName', 'postcode', 'balance', 'vulnerabilityNote']));
		expect(data.values.find((v) => v.field === 'vulnerabilityNote')).toMatchObject({ kind: 'special-category', category: 'vulnerability' });
		expect(data.history.length).toBeGreaterThan(0);
		expect(data.interactions).toHaveLength(1);
		expect(data.disclosures).toMatchObject([{ recipientType: 'unauthorised-third-party', fields: ['balance'], authorised: false }]);
		expect(data.consents).toMatchObject([{ purposeCode: 'marketing', channel: 'email' }]);
		expect(data.verificationAttempts).toMatchObject([{ outcome: 'verified' }]);
		expect(data.requests).toMatchObject([{ id: r.id, kind: 'access' }]);
		const audit = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(audit).toMatchObject({ action: 'request.data.collated', details: { requestId: r.id, counts: { interactions: 1, disclosures: 1, consents: 1, specialCategory: 1 } } });
		expect(JSON.stringify(audit)).not.toContain('wheelchair');
	});

	it('cannot collate for a request not yet matched to a customer', async () => {
		const { t } = await setUp();
		const r = unwrap(await logRequest(t.ctx, { kind: 'access', channel: 'phone', verbal: true, description: 'Everything please' }));
		unwrap(await beginRequest(t.ctx, { requestId: r.id }));
		expect(await collateRequestData(t.ctx, { requestId: r.id })).toMatchObject({ ok: false, error: { code: 'request.not-matched' } });
	});
});

describe('other people’s information (DPA 2018 Sch 2 Pt 3 para 16)', () => {
	it('withholds a passage about a neighbour with a recorded decision and reason, keeping the rest of the note', async () => {
		const { t, customer } = await setUp();
		const call = unwrap(
			await logInteraction(t.ctx, {
				customerId: customer.id,
				channel: 'phone',
				direction: 'inbound',
				partyType: 'data-subject',
				nature: 'complaint',
				notes: 'Customer upset about estimated bills. Neighbour Mr Fenwick at no. 14 complained about her van blocking the drive.'
			})
		);
		const r = await sarInProgress(t, customer.id);
		const decision = unwrap(
			await decideRedaction(t.ctx, {
				requestId: r.id,
				sourceTable: 'interaction',
				sourceId: call.id,
				sourceField: 'notes',
				passage: 'Neighbour Mr Fenwick at no. 14 complained about her van blocking the drive.',
				thirdPartyDescription: 'a neighbour',
				decision: 'withheld',
				reason: 'Identifies the neighbour; no consent; not reasonable to disclose without it'
			})
		);
		expect(decision).toMatchObject({ decision: 'withheld', passageStart: 'Customer upset about estimated bills. '.length, reason: expect.stringContaining('no consent') });
		const audit = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(audit).toMatchObject({ action: 'request.redaction.decided', details: { decision: 'withheld', step: 3, sourceTable: 'interaction' } });
		expect(JSON.stringify(audit)).not.toContain('Fenwick');
		const ready = unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		const copy = ready.response?.copy as CollatedData;
		expect(copy.interactions[0]?.notes).toBe('Customer upset about estimated bills. [withheld: information about another person]');
		expect(JSON.stringify(ready.response)).not.toContain('Fenwick');
	});

	it('supplies information without identifying the other person where it can', () => {
		const data = {
			interactions: [{ id: 'i1', notes: 'Mr Fenwick complained', occurredAt: '', channel: 'phone', direction: 'inbound', nature: 'x', actionsTaken: [] }],
			disclosures: [],
			authorisedThirdParties: [],
			requests: [],
			history: []
		} as unknown as CollatedData;
		const copy = applyRedactions(data, [
			{
				id: 'r',
				workspaceId: 'w',
				requestId: 'q',
				sourceTable: 'interaction',
				sourceId: 'i1',
				sourceField: 'notes',
				passageStart: 0,
				passageEnd: 10,
				thirdPartyDescription: 'a neighbour',
				decision: 'supplied-without-identifying',
				reason: 'Step 1',
				decidedBy: 'a',
				decidedAt: ''
			}
		]);
		expect(copy.interactions[0]?.notes).toBe('[a neighbour] complained');
		expect(data.interactions[0]?.notes).toBe('Mr Fenwick complained');
	});

	it('refuses a redaction of a passage that is not in the field', async () => {
		const { t, customer } = await setUp();
		const call = unwrap(await logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'x', notes: 'short note' }));
		const r = await sarInProgress(t, customer.id);
		expect(
			await decideRedaction(t.ctx, { requestId: r.id, sourceTable: 'interaction', sourceId: call.id, sourceField: 'notes', passage: 'Fenwick', thirdPartyDescription: 'a neighbour', decision: 'withheld', reason: 'Identifies a neighbour' })
		).toMatchObject({ ok: false, error: { code: 'redaction.passage-not-found' } });
	});
});

describe('assembling and completing a SAR response', () => {
	it('assembles every Art 15 item from the record', async () => {
		const { t, customer } = await setUp();
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-991' }));
		const verificationId = unwrap(await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: MARGARET_KNOWS })).attempt.id;
		unwrap(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'data-subject' }, fields: ['balance'], channel: 'phone', verificationId }));
		unwrap(
			await disclose(t.ctx, {
				customerId: customer.id,
				recipient: { type: 'regulator', name: 'Compliance unit', organisation: 'HM Revenue & Customs' },
				fields: ['balance'],
				basisOrExemption: 'legal-obligation',
				authorityEvidence: 'Information notice 77',
				channel: 'letter'
			})
		);
		const r = await sarInProgress(t, customer.id);
		const ready = unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		expect(ready.state).toBe('response-ready');
		const response = ready.response!;
		expect(Object.keys(response).sort()).toEqual([...ART15_ITEMS].sort());
		expect(response.confirmation).toMatchObject({ processing: true });
		expect(response.purposes).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'account-servicing', lawfulBasis: 'contract' }), expect.objectContaining({ code: 'marketing' })]));
		expect(response.categories).toEqual(expect.arrayContaining(['identity', 'contact', 'financial']));
		// Recipients come from the disclosure log; the person is not a recipient of their own data.
		expect(response.recipients).toEqual([expect.objectContaining({ recipientType: 'regulator', recipient: 'Compliance unit, HM Revenue & Customs', fields: ['balance'] })]);
		expect(response.retention).toEqual(expect.arrayContaining([expect.objectContaining({ category: 'identity', rules: expect.arrayContaining([expect.objectContaining({ authority: expect.stringContaining('MLR 2017') })]) })]));
		expect(response.rights).toEqual(RIGHTS_STATEMENT);
		expect(response.complaint).toContain('Information Commissioner');
		expect(response.source).toEqual({ statement: 'All the data we hold about you came from you.' });
		expect(response.automatedDecisionMaking).toMatchObject({ statement: expect.stringContaining('automated') });
		expect(response.transferSafeguards).toEqual([expect.objectContaining({ purpose: 'marketing', safeguards: expect.stringContaining('Data Privacy Framework') })]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'request.response.assembled', details: { itemsMissing: [], toState: 'response-ready' } });
	});

	it('cannot complete a SAR while the recipients are missing', async () => {
		for (const policyMode of ['enforce', 'record'] as const) {
			const { t, customer } = await setUp({ workspace: { policyMode } });
			const r = await sarInProgress(t, customer.id);
			const partial = unwrap(await assembleResponse(t.ctx, { requestId: r.id, items: ART15_ITEMS.filter((i) => i !== 'recipients') }));
			expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ details: { itemsMissing: ['recipients'] } });
			expect(await completeRequest(t.ctx, { requestId: partial.id })).toMatchObject({ ok: false, error: { code: 'request.response.incomplete', message: expect.stringContaining('recipients') } });
			expect((await getRequest(t.ctx, r.id))?.state).toBe('response-ready');
			unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
			expect(unwrap(await completeRequest(t.ctx, { requestId: r.id })).state).toBe('complete');
		}
	});

	it('completes a SAR by sending the copy to the verified requester, logged as a disclosure of the request', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await sarInProgress(t, customer.id);
		unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		t.clock.set('2025-03-20T10:00:00Z');
		const done = unwrap(await completeRequest(t.ctx, { requestId: r.id }));
		expect(done).toMatchObject({ state: 'complete', respondedAt: '2025-03-20T10:00:00.000Z', closedAt: '2025-03-20T10:00:00.000Z' });
		const sent = (await disclosuresOf(t.ctx, customer.id)).at(-1)!;
		expect(sent).toMatchObject({ requestId: r.id, recipientType: 'data-subject', route: 'verified-data-subject', authorised: true, channel: 'email' });
		expect(sent.fields).toEqual(expect.arrayContaining(['givenName', 'balance']));
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'request.completed',
			details: { fromState: 'response-ready', toState: 'complete', late: false, disclosureId: sent.id, channel: 'email' }
		});
	});

	it('refuses to complete a SAR for a requester who is not verified in enforce mode', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await sarInProgress(t, customer.id, {}, false);
		unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		expect(await completeRequest(t.ctx, { requestId: r.id })).toMatchObject({ ok: false, error: { code: 'disclosure.unverified' } });
		expect((await getRequest(t.ctx, r.id))?.state).toBe('response-ready');
	});

	it('records a copy sent to an unverified requester as an unauthorised disclosure with a breach in record mode', async () => {
		const { t, customer } = await setUp();
		const r = await sarInProgress(t, customer.id, {}, false);
		unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		unwrap(await completeRequest(t.ctx, { requestId: r.id }));
		const sent = (await disclosuresOf(t.ctx, customer.id)).at(-1)!;
		expect(sent).toMatchObject({ requestId: r.id, authorised: false, breachId: expect.any(String) });
		expect((await findings(t.ctx)).map((f) => f.code)).toContain('disclosure.unverified');
	});

	it('answers an electronic request electronically unless the person asked otherwise', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await sarInProgress(t, customer.id, { channel: 'web-form' });
		unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		expect(await completeRequest(t.ctx, { requestId: r.id, channel: 'letter' })).toMatchObject({ ok: false, error: { code: 'request.response.not-electronic' } });
		expect(unwrap(await completeRequest(t.ctx, { requestId: r.id, channel: 'letter', requesterAskedOtherwise: true })).state).toBe('complete');
	});

	it('marks a response sent after the due date as late', async () => {
		const { t, customer } = await setUp();
		const r = await sarInProgress(t, customer.id);
		unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		t.clock.set('2025-04-04T09:00:00Z');
		unwrap(await completeRequest(t.ctx, { requestId: r.id }));
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'request.completed', details: { late: true, dueDate: '2025-04-03' } });
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});

	it('records a part refused with its justification and the ICO and court wording', async () => {
		const { t, customer } = await setUp();
		const r = await sarInProgress(t, customer.id);
		unwrap(await assembleResponse(t.ctx, { requestId: r.id }));
		const done = unwrap(
			await completeRequest(t.ctx, {
				requestId: r.id,
				partlyRefused: { grounds: 'exemption', exemption: 'DPA 2018 Sch 2 Pt 1 para 2', justification: 'Disclosing the fraud investigation notes would prejudice the detection of crime.' }
			})
		);
		expect(done).toMatchObject({ state: 'partly-refused', refusalReason: expect.stringContaining('prejudice') });
		expect((done.particulars.refusal as { notice: string }).notice).toContain('court');
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'request.refused', details: { partly: true, toldOfIcoAndCourt: true } });
	});
});

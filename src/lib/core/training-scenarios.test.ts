/**
 * The DOMAIN.md training scenarios 1–6 and 8, each run end to end through the core on one
 * database, as the simulator will run them: what the learner does, and what the record then shows.
 */
import { describe, expect, it } from 'vitest';
import { auditEntries, verifyAuditChain } from './audit';
import {
	assessBreachRisk,
	breachRegister,
	closeBreach,
	containBreach,
	recordIcoNotification,
	recordSubjectsTold,
	registerBreach
} from './breaches';
import { giveConsent, mayMarket } from './consent';
import { confirmAccuracy } from './corrections';
import { addCustomerFields, endRelationship, findCustomer } from './customers';
import { disclose, disclosuresOf } from './disclosure';
import { heldValues } from './held-values';
import { logInteraction } from './interactions';
import { findings } from './policy';
import { notifyRecipients } from './recipients';
import { assembleResponse, collateRequestData, completeRequest, decideRedaction, type CollatedData } from './request-response';
import { fulfilErasure, fulfilObjection, fulfilRectification, fulfilRestriction } from './request-fulfilment';
import { askForId, beginRequest, getRequest, logRequest, matchRequest, receiveId } from './requests';
import { liftRestriction, notifyRestrictionLift } from './restriction';
import { ART15_ITEMS } from './schema';
import { checkAuthority } from './third-parties';
import { MARGARET, organisationWithMargaret } from './testing-people';
import type { TestContext } from './testing';
import { verifyIdentity } from './verification';
import { closeTestContextsAfterEach, unwrap } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;
const actions = async (t: TestContext) => (await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action);

describe('scenario 1: a caller says she is the account holder’s wife', () => {
	it('refuses the balance and the change of address in enforce mode: no third party is on file', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const call = unwrap(await logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'unauthorised-third-party', nature: 'balance enquiry by spouse' }));
		const authority = unwrap(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: 'none-on-file', categories: ['financial'], action: 'receive-information' }));
		expect(authority.authorised).toBe(false);
		expect(
			await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'unauthorised-third-party', name: 'caller: says she is the wife' }, fields: ['balance', 'arrears'], channel: 'phone', interactionId: call.id })
		).toMatchObject({ ok: false, error: { code: 'disclosure.no-authority' } });
		// The change of address she asks for is a request from someone who cannot be verified as the customer.
		const change = unwrap(
			await logRequest(t.ctx, { kind: 'rectification', channel: 'phone', verbal: true, description: 'Change the address', customerId: customer.id, requesterType: 'unauthorised-third-party', interactionId: call.id })
		);
		unwrap(await beginRequest(t.ctx, { requestId: change.id }));
		expect(await fulfilRectification(t.ctx, { requestId: change.id, corrections: [{ field: 'addressLine1', newValue: '9 Other Road', reason: 'Wife says' }] })).toMatchObject({
			ok: false,
			error: { code: 'request.requester.unverified' }
		});
		expect((await heldValues(t.ctx, customer.id)).find((h) => h.field === 'addressLine1')?.value).toBe(MARGARET.addressLine1);
		expect(await disclosuresOf(t.ctx, customer.id)).toHaveLength(0);
		expect(await breachRegister(t.ctx)).toHaveLength(0);
	});

	it('records the learner’s disclosure of the balance as unauthorised, with a breach and a finding, in record mode', async () => {
		const { t, customer } = await setUp();
		const r = unwrap(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'unauthorised-third-party', name: 'caller: says she is the wife' }, fields: ['balance', 'arrears'], channel: 'phone' }));
		expect(r.disclosure).toMatchObject({ authorised: false, breachId: r.breach?.id });
		expect(await breachRegister(t.ctx)).toMatchObject([{ sourceDisclosureId: r.disclosure.id, dataCategories: ['financial'] }]);
		expect((await findings(t.ctx)).map((f) => f.code)).toEqual(['disclosure.no-authority']);
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});
});

describe('scenario 2: a verbal SAR from a number that does not match the record', () => {
	it('asks for ID, starts the clock when it arrives two days later, redacts the neighbour and answers with every Art 15 item', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		// An earlier call whose notes name a neighbour who complained.
		const earlier = unwrap(
			await logInteraction(t.ctx, {
				customerId: customer.id,
				channel: 'phone',
				direction: 'inbound',
				partyType: 'unknown',
				occurredAt: '2025-02-10T10:00:00Z',
				nature: 'complaint from neighbour',
				notes: 'Neighbour Mrs Alder called to complain the customer’s meter cupboard was left open.'
			})
		);
		// Monday 3 March, 09:00: a caller asks for "everything you hold on me".
		const call = unwrap(await logInteraction(t.ctx, { channel: 'phone', direction: 'inbound', partyType: 'unknown', nature: 'subject access request' }));
		const sar = unwrap(await logRequest(t.ctx, { kind: 'access', channel: 'phone', verbal: true, description: 'Wants everything held on her', interactionId: call.id }));
		unwrap(await matchRequest(t.ctx, { requestId: sar.id, customerId: customer.id }));
		// The number she calls from is not the one on file: a callback check fails.
		const check = unwrap(
			await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'callback-to-number-on-file', supplied: { phone: '07700 900999', givenName: 'Margaret' }, requestId: sar.id })
		);
		expect(check.attempt.outcome).toBe('failed');
		unwrap(await askForId(t.ctx, { requestId: sar.id, reason: 'Calling number does not match the record: asked for photo ID and a recent bill' }));
		expect((await getRequest(t.ctx, sar.id))?.state).toBe('awaiting-id');

		// Wednesday 5 March: the ID arrives and is checked.
		t.clock.set('2025-03-05T10:00:00Z');
		const id = unwrap(
			await verifyIdentity(t.ctx, {
				customerId: customer.id,
				requesterType: 'data-subject',
				method: 'identity-document',
				supplied: { givenName: 'Margaret', familyName: 'Okonkwo', dateOfBirth: '12/04/1961', addressLine1: '12 High Street', postcode: 'RG1 2AB' },
				requestId: sar.id,
				channel: 'letter'
			})
		);
		expect(id.attempt.outcome).toBe('verified');
		const started = unwrap(await receiveId(t.ctx, { requestId: sar.id, verificationId: id.attempt.id }));
		// Relevant time 5 March: due 5 April, a Saturday, so Monday 7 April.
		expect(started).toMatchObject({ state: 'in-progress', relevantTime: '2025-03-05T10:00:00.000Z', dueDate: '2025-04-07' });

		const data = unwrap(await collateRequestData(t.ctx, { requestId: sar.id }));
		expect(data.interactions.map((i) => i.id)).toEqual([earlier.id, call.id]);
		unwrap(
			await decideRedaction(t.ctx, {
				requestId: sar.id,
				sourceTable: 'interaction',
				sourceId: earlier.id,
				sourceField: 'notes',
				passage: 'Neighbour Mrs Alder called',
				thirdPartyDescription: 'a neighbour',
				decision: 'supplied-without-identifying',
				reason: 'The complaint is about the customer and can be given without naming the neighbour (step 1)'
			})
		);
		const ready = unwrap(await assembleResponse(t.ctx, { requestId: sar.id }));
		expect(Object.keys(ready.response ?? {}).sort()).toEqual([...ART15_ITEMS].sort());
		const copy = ready.response!.copy as CollatedData;
		expect(copy.interactions[0]?.notes).toBe('[a neighbour] to complain the customer’s meter cupboard was left open.');
		expect(JSON.stringify(ready.response)).not.toContain('Alder');

		t.clock.set('2025-03-28T14:00:00Z');
		const done = unwrap(await completeRequest(t.ctx, { requestId: sar.id, channel: 'letter' }));
		expect(done.state).toBe('complete');
		expect((await disclosuresOf(t.ctx, customer.id)).at(-1)).toMatchObject({ requestId: sar.id, authorised: true, verificationAttemptId: id.attempt.id });
		expect(await actions(t)).toEqual(expect.arrayContaining(['request.logged', 'request.matched', 'request.id.requested', 'request.id.received', 'request.redaction.decided', 'request.response.assembled', 'request.completed']));
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});
});

describe('scenario 3: an ex-customer asks for full erasure', () => {
	it('keeps the money-laundering records, erases marketing and consent-based data, keeps a suppression entry and tells recipients', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		unwrap(await addCustomerFields(t.ctx, { customerId: customer.id, purposeCodes: ['marketing'], fields: { mobilePhone: '07700 900777', contactPreference: 'texts about offers' } }));
		const toCollector = unwrap(
			await disclose(t.ctx, {
				customerId: customer.id,
				recipient: { type: 'regulator', name: 'Collections', organisation: 'Northway Debt Recovery Ltd' },
				fields: ['arrears', 'addressLine1'],
				basisOrExemption: 'legal-obligation',
				authorityEvidence: 'County court judgment K1234',
				channel: 'email'
			})
		).disclosure;
		unwrap(await endRelationship(t.ctx, customer.id));
		t.clock.set('2025-06-02T09:00:00Z');

		const request = unwrap(await logRequest(t.ctx, { kind: 'erasure', channel: 'email', verbal: false, description: 'Delete everything you have about me', customerId: customer.id }));
		unwrap(
			await verifyIdentity(t.ctx, {
				customerId: customer.id,
				requesterType: 'data-subject',
				method: 'email-to-address-on-file',
				supplied: { email: MARGARET.email, givenName: 'Margaret', familyName: 'Okonkwo' },
				requestId: request.id,
				channel: 'email'
			})
		);
		unwrap(await beginRequest(t.ctx, { requestId: request.id }));
		unwrap(await fulfilErasure(t.ctx, { requestId: request.id, ground: 'no-longer-necessary' }));

		const values = new Map((await heldValues(t.ctx, customer.id)).map((h) => [h.field, h]));
		for (const field of ['givenName', 'familyName', 'dateOfBirth']) expect(values.get(field)).toMatchObject({ legalHold: true, legalHoldReason: expect.stringContaining('MLR 2017 reg 40') });
		for (const field of ['mobilePhone', 'contactPreference', 'email', 'addressLine1', 'balance']) expect(values.get(field)?.value).toBeNull();
		expect(await findCustomer(t.ctx, customer.id)).toMatchObject({ suppressed: true, erasedAt: expect.any(String) });
		expect(await mayMarket(t.ctx, customer.id, 'email')).toBe(false);

		const done = unwrap(await completeRequest(t.ctx, { requestId: request.id }));
		expect(done).toMatchObject({ state: 'partly-refused', refusalReason: expect.stringContaining('MLR 2017 reg 40') });
		const told = unwrap(await notifyRecipients(t.ctx, { requestId: request.id }));
		expect(told).toMatchObject([{ recipientOrganisation: 'Northway Debt Recovery Ltd', disclosureIds: [toCollector.id], outcome: 'notified' }]);
		expect(await actions(t)).toEqual(expect.arrayContaining(['legal-hold.applied', 'customer.erased', 'customer.suppressed', 'request.refused', 'recipients.notified']));
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});
});

describe('scenario 4: a statement emailed to the wrong customer, noticed on Friday at 16:00', () => {
	it('registers, contains and assesses the breach, reports it by Monday 16:00 and tells the customer of a high risk', async () => {
		const { t, customer } = await setUp({ now: '2025-06-06T15:00:00.000Z' });
		const breach = unwrap(
			await registerBreach(t.ctx, {
				awareAt: '2025-06-06T16:00:00+01:00',
				occurredAt: '2025-06-06T11:20:00+01:00',
				description: 'Monthly statement emailed to another customer by a mail-merge error',
				dataCategories: ['identity', 'contact', 'financial'],
				subjectCategories: ['customers'],
				approxSubjects: 1,
				approxRecords: 1,
				affectedCustomerIds: [customer.id]
			})
		);
		expect(breach.reportDueAt).toBe('2025-06-09T15:00:00.000Z');
		unwrap(await containBreach(t.ctx, { breachId: breach.id, measures: 'Asked the recipient to delete the email; recipient confirmed deletion in writing at 16:40' }));
		unwrap(await assessBreachRisk(t.ctx, { breachId: breach.id, risk: 'high-risk', reasoning: 'Statement shows address, arrears and payment history: risk of fraud and distress' }));
		t.clock.set('2025-06-09T10:30:00+01:00');
		unwrap(await recordIcoNotification(t.ctx, { breachId: breach.id, reference: 'ICO-BR-0609-17' }));
		unwrap(await recordSubjectsTold(t.ctx, { breachId: breach.id, count: 1 }));
		unwrap(await closeBreach(t.ctx, { breachId: breach.id }));
		expect(await breachRegister(t.ctx)).toMatchObject([{ risk: 'high-risk', icoNotifiedAt: '2025-06-09T09:30:00.000Z', lateReasons: null, subjectsToldAt: expect.any(String), closedAt: expect.any(String) }]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).find((e) => e.action === 'breach.ico.notified')?.details).toMatchObject({ late: false });
	});
});

describe('scenario 5: one call disputing the date of birth and an arrears figure, asking for restriction, stopping marketing', () => {
	it('restricts the disputed values while checked, stops marketing at once, tells recipients and the person before lifting', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		unwrap(await giveConsent(t.ctx, { customerId: customer.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'web-form-12' }));
		const collector = unwrap(
			await disclose(t.ctx, {
				customerId: customer.id,
				recipient: { type: 'regulator', name: 'Collections', organisation: 'Northway Debt Recovery Ltd' },
				fields: ['arrears'],
				basisOrExemption: 'legal-obligation',
				authorityEvidence: 'Court order',
				channel: 'email'
			})
		).disclosure;
		const call = unwrap(await logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'disputes date of birth and arrears; stop marketing' }));
		const verified = unwrap(
			await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', phone: '07700 900123' }, interactionId: call.id })
		);
		expect(verified.attempt.outcome).toBe('verified');

		const objection = unwrap(await logRequest(t.ctx, { kind: 'objection', channel: 'phone', verbal: true, description: 'No more marketing', customerId: customer.id, interactionId: call.id }));
		unwrap(await fulfilObjection(t.ctx, { requestId: objection.id, directMarketing: { channel: 'all' } }));
		expect(await mayMarket(t.ctx, customer.id, 'email')).toBe(false);

		const restriction = unwrap(
			await logRequest(t.ctx, {
				kind: 'restriction',
				channel: 'phone',
				verbal: true,
				description: 'Stop using my DOB and arrears until checked',
				customerId: customer.id,
				interactionId: call.id,
				verificationId: verified.attempt.id
			})
		);
		unwrap(await beginRequest(t.ctx, { requestId: restriction.id }));
		unwrap(await fulfilRestriction(t.ctx, { requestId: restriction.id, fields: ['dateOfBirth', 'arrears'], ground: 'accuracy-contested', reason: 'Customer says both are wrong' }));
		for (const field of ['dateOfBirth', 'arrears']) expect((await heldValues(t.ctx, customer.id)).find((h) => h.field === field)).toMatchObject({ restricted: true, accuracy: 'contested' });
		expect(unwrap(await notifyRecipients(t.ctx, { requestId: restriction.id }))).toMatchObject([{ disclosureIds: [collector.id], outcome: 'notified' }]);
		expect(
			await disclose(t.ctx, {
				customerId: customer.id,
				recipient: { type: 'regulator', name: 'Collections', organisation: 'Northway Debt Recovery Ltd' },
				fields: ['arrears'],
				basisOrExemption: 'legal-obligation',
				authorityEvidence: 'Court order',
				channel: 'email'
			})
		).toMatchObject({ ok: false, error: { code: 'disclosure.restricted' } });
		unwrap(await completeRequest(t.ctx, { requestId: restriction.id }));
		unwrap(await completeRequest(t.ctx, { requestId: objection.id }));

		// The arrears are checked and found right: the person is told before the restriction is lifted.
		unwrap(await confirmAccuracy(t.ctx, { customerId: customer.id, field: 'arrears', reason: 'Payment history checked' }));
		expect(await liftRestriction(t.ctx, { customerId: customer.id, fields: ['arrears'], reason: 'Checked' })).toMatchObject({ ok: false, error: { code: 'restriction.lifted-without-notice' } });
		unwrap(await notifyRestrictionLift(t.ctx, { customerId: customer.id, fields: ['arrears'], channel: 'letter' }));
		unwrap(await liftRestriction(t.ctx, { customerId: customer.id, fields: ['arrears'], reason: 'Checked' }));
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});

});

describe('scenario 6: a police officer phones for a customer’s address', () => {
	it('refuses on the phone, then discloses the minimum under the crime exemption on a written request from a verified officer with a prejudice test', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const call = unwrap(await logInteraction(t.ctx, { customerId: customer.id, channel: 'phone', direction: 'inbound', partyType: 'police', nature: 'police request for address' }));
		expect(
			await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'police', name: 'caller saying he is DC Marsh' }, fields: ['addressLine1', 'postcode'], channel: 'phone', interactionId: call.id })
		).toMatchObject({ ok: false, error: { code: 'disclosure.no-authority' } });

		t.clock.advance(3_600_000);
		const letter = unwrap(await logInteraction(t.ctx, { customerId: customer.id, channel: 'email', direction: 'inbound', partyType: 'police', nature: 'written data protection request' }));
		const officer = unwrap(
			await verifyIdentity(t.ctx, {
				customerId: customer.id,
				requesterType: 'police',
				method: 'official-credentials',
				supplied: { warrantNumber: '2231', force: 'Thames Valley Police' },
				credentialsConfirmedVia: 'called the force control room on its published number; officer and request confirmed',
				interactionId: letter.id,
				channel: 'email'
			})
		);
		const r = unwrap(
			await disclose(t.ctx, {
				customerId: customer.id,
				recipient: { type: 'police', name: 'DC 2231 Marsh', organisation: 'Thames Valley Police' },
				fields: ['addressLine1', 'postcode'],
				fieldsRequested: ['addressLine1', 'town', 'postcode'],
				basisOrExemption: 'crime-and-taxation',
				prejudiceTest: 'The customer is a witness to a robbery; without the address officers cannot take a statement, which would prejudice the prosecution.',
				authorityEvidence: 'Form DP1 ref TVP/DP/2025/118, signed by Inspector Lowe',
				channel: 'email',
				approvedBy: 'dpo-1',
				interactionId: letter.id,
				verificationId: officer.attempt.id
			})
		);
		expect(r.disclosure).toMatchObject({
			route: 'exemption',
			authorised: true,
			fields: ['addressLine1', 'postcode'],
			basisOrExemption: expect.stringContaining('DPA 2018 Sch 2 Pt 1 para 2'),
			recipientVerifiedHow: expect.stringContaining('official-credentials'),
			authorityEvidence: expect.stringContaining('TVP/DP/2025/118'),
			approvedBy: 'dpo-1'
		});
		expect(await actions(t)).toEqual(expect.arrayContaining(['disclosure.refused', 'identity.verified', 'disclosure.exemption.assessed', 'disclosure.made']));
	});
});

describe('scenario 8: a colleague asks for a phone number “to chase something”', () => {
	it('refuses a request with no stated purpose, then supplies only the phone number a collections colleague’s purpose needs', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const colleague = { type: 'colleague' as const, name: 'Sam Reid', role: 'debt collection agencies' };
		expect(await disclose(t.ctx, { customerId: customer.id, recipient: colleague, fields: ['phone'], channel: 'internal' })).toMatchObject({ ok: false, error: { code: 'disclosure.no-purpose' } });
		expect(
			await disclose(t.ctx, { customerId: customer.id, recipient: colleague, fields: ['phone', 'email', 'dateOfBirth'], fieldsRequested: ['phone'], purposeCode: 'account-servicing', channel: 'internal' })
		).toMatchObject({ ok: false, error: { code: 'disclosure.beyond-request' } });
		expect(
			await disclose(t.ctx, { customerId: customer.id, recipient: { ...colleague, role: 'sales' }, fields: ['phone'], fieldsRequested: ['phone'], purposeCode: 'account-servicing', channel: 'internal' })
		).toMatchObject({ ok: false, error: { code: 'disclosure.role-not-entitled' } });
		const r = unwrap(await disclose(t.ctx, { customerId: customer.id, recipient: colleague, fields: ['phone'], fieldsRequested: ['phone'], purposeCode: 'account-servicing', channel: 'internal' }));
		expect(r.disclosure).toMatchObject({ route: 'colleague-need-to-know', fields: ['phone'], recipientRole: 'debt collection agencies', purposeCode: 'account-servicing' });
		expect(await disclosuresOf(t.ctx, customer.id)).toHaveLength(1);
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../core/testing';
import { CORE_OPERATIONS, describeAction, isCoreOperation, runOperation, type CoreOperationName } from './operations';

const names = Object.keys(CORE_OPERATIONS) as CoreOperationName[];

describe('the record system’s operations', () => {
	it('offer every operation a learner needs, by name', () => {
		expect(names).toEqual(
			expect.arrayContaining([
				'searchCustomers', 'viewCustomer', 'recordCustomer', 'addCustomerFields', 'correctField', 'completeField', 'contestField',
				'confirmAccuracy', 'restrictField', 'notifyRestrictionLift', 'liftRestriction', 'readBack', 'verifyIdentity', 'disclose',
				'logInteraction', 'giveConsent', 'withdrawConsent', 'recordMarketingObjection', 'authoriseThirdParty', 'checkAuthority', 'checkOpgRegister',
				'logRequest', 'matchRequest', 'askForId', 'receiveId', 'askForClarification', 'receiveClarification', 'extendRequest',
				'refuseRequest', 'withdrawRequest', 'collateRequestData', 'decideRedaction', 'assembleResponse', 'completeRequest',
				'fulfilRectification', 'fulfilRestriction', 'fulfilErasure', 'fulfilObjection', 'notifyRecipients', 'registerBreach',
				'containBreach', 'assessBreachRisk', 'recordIcoNotification', 'recordIcoNotNotified', 'recordSubjectsTold',
				'recordSubjectsNotTold', 'closeBreach', 'applyLegalHold', 'runDisposal', 'endRelationship'
			])
		);
		for (const name of names) expect(CORE_OPERATIONS[name].label).not.toBe('');
		expect(isCoreOperation('disclose')).toBe(true);
		expect(isCoreOperation('toString')).toBe(false);
	});

	it('answer any JSON input with a result, never an exception (property)', () => {
		const t = createTestContext();
		fc.assert(
			fc.property(fc.constantFrom(...names), fc.jsonValue(), (name, input) => {
				const result = runOperation(name, t.ctx, input);
				expect(typeof result.ok).toBe('boolean');
				if (!result.ok) expect(result.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
			}),
			{ numRuns: 500 }
		);
		t.close();
	});

	it('turn an exception inside the core into a typed error', () => {
		const t = createTestContext();
		t.close();
		const result = runOperation('searchCustomers', t.ctx, { name: 'Hughes' });
		expect(result).toMatchObject({ ok: false, error: { code: 'operation.failed', message: expect.stringContaining('Search for a customer') } });
	});
});

describe('the transcript’s words for an action', () => {
	it('name the operation, what it was about and how it came out', () => {
		expect(describeAction('giveConsent', { customerId: 'c1', purposeCode: 'marketing', channel: 'email', method: 'verbal-documented' }, { ok: true, value: {} })).toBe(
			'Record consent (marketing; by email; verbal-documented): consent recorded.'
		);
		expect(describeAction('viewCustomer', { customerId: 'c1', purposeCode: 'billing' }, { ok: false, error: { code: 'purpose.not-found', message: 'No active purpose "billing"' } })).toBe(
			'Open a customer record (for billing): refused. No active purpose "billing"'
		);
		expect(describeAction('endRelationship', 42, { ok: true, value: null })).toBe('Close the account (end the relationship): relationship ended: retention periods start.');
	});

	it('say what the OPG register found and whether the caller is an attorney, never the reference or names searched', () => {
		const input = { reference: '7000 4821 3366', attorneyName: 'Peter Ellis', donorName: '' };
		const entry = { reference: '7000-4821-3366', donorName: 'Margaret Ellis', attorneyNames: ['Peter Ellis'], lpaType: 'property-and-financial-affairs', status: 'registered', registeredOn: '2023-05-10' };
		const found = describeAction('checkOpgRegister', input, { ok: true, value: { entries: [entry], attorneyListed: true } });
		expect(found).toBe('Check the OPG register (by reference, attorneyName): found: property-and-financial-affairs; registered; since 2023-05-10; the caller is a listed attorney.');
		expect(found).not.toMatch(/4821|Ellis/);
		expect(describeAction('checkOpgRegister', input, { ok: true, value: { entries: [], attorneyListed: null } })).toBe(
			'Check the OPG register (by reference, attorneyName): no LPA on the register matches.'
		);
	});

	it('never repeat a value the learner typed that could be personal (property)', () => {
		const personal = fc.string({ minLength: 3 }).map((s) => `${s} Hughes`);
		fc.assert(
			fc.property(fc.constantFrom(...names), personal, fc.constantFrom('customerId', 'field', 'relationship', 'nature', 'name', 'purposeCode', 'reason'), (name, value, key) => {
				const input = { [key]: value, fields: { givenName: value }, supplied: { postcode: value }, recipient: { type: value, name: value }, categories: [value] };
				expect(describeAction(name, input, { ok: true, value: { reference: value, state: value } })).not.toContain(value);
			}),
			{ numRuns: 300 }
		);
	});
});

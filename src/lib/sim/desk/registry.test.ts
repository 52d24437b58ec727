import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../core/testing';
import { deskForms, parseFormId } from './forms';
import { PANELS } from './panels';
import { CORE_OPERATIONS, UNKNOWN_FORM, deskOperation, describeAction, isCoreOperation, postedOperation, runOperation, type CoreOperation, type CoreOperationName } from './registry';
import * as core from '../../core';

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

	it('answer any JSON input with a result, never an exception (property)', async () => {
		const t = await createTestContext();
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...names), fc.jsonValue(), async (name, input) => {
				const result = await runOperation(name, t.ctx, input);
				expect(typeof result.ok).toBe('boolean');
				if (!result.ok) expect(result.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
			}),
			{ numRuns: 500 }
		);
		t.close();
	});

	it('turn an exception inside the core into a typed error', async () => {
		const t = await createTestContext();
		t.close();
		const result = await runOperation('searchCustomers', t.ctx, { name: 'Hughes' });
		expect(result).toMatchObject({ ok: false, error: { code: 'operation.failed', message: expect.stringContaining('Search for a customer') } });
	});
});

describe('the transcript’s words for an action', () => {
	it('name the operation, what it was about and how it came out', () => {
		expect(describeAction('giveConsent', { customerId: 'c1', purposeCode: 'marketing', channel: 'email', method: 'verbal-documented' }, { ok: true, value: {} })).toBe(
			'Record consent (marketing; by email; verbal, documented): consent recorded.'
		);
		expect(describeAction('viewCustomer', { customerId: 'c1', purposeCode: 'billing' }, { ok: false, error: { code: 'purpose.not-found', message: 'No active purpose "billing"' } })).toBe(
			'Open a customer record (for billing): refused. No active purpose "billing"'
		);
		expect(describeAction('endRelationship', 42, { ok: true, value: null })).toBe('Close the account (end the relationship): relationship ended: retention periods start.');
	});

	it('name purposes and teams as the organisation does, fields as the record labels them, and choices in words, never by code', () => {
		const named = { purposes: new Map([['supply-and-billing', 'Energy supply and billing']]), recipients: new Map([['billing', 'Billing team']]) };
		const input = { customerId: 'c1', fields: ['dateOfBirth', 'balance'], recipient: { type: 'colleague', directoryCode: 'billing' }, purposeCode: 'supply-and-billing', channel: 'in-person' };
		expect(describeAction('disclose', input, { ok: true, value: { problems: [] } }, named)).toBe(
			'Disclose data (date of birth, balance; to Billing team; for Energy supply and billing; in person): disclosure logged as authorised.'
		);
		expect(describeAction('viewCustomer', { customerId: 'c1', purposeCode: 'supply-and-billing' }, { ok: true, value: { fields: [1, 2] } }, named)).toBe(
			'Open a customer record (for Energy supply and billing): 2 fields shown.'
		);
		// A code the organisation does not name is still said in words.
		expect(describeAction('checkAuthority', { action: 'receive-information', categories: ['financial'] }, { ok: true, value: { authorised: false, gaps: ['category-not-in-scope'] } })).toBe(
			"Check a third party's authority (receive information; of financial): not covered (details outside its scope)."
		);
	});

	it('say what the OPG register found and whether the caller is an attorney, never the reference or names searched', () => {
		const input = { reference: '7000 4821 3366', attorneyName: 'Peter Ellis', donorName: '' };
		const entry = { reference: '7000-4821-3366', donorName: 'Margaret Ellis', attorneyNames: ['Peter Ellis'], lpaType: 'property-and-financial-affairs', status: 'registered', registeredOn: '2023-05-10' };
		const found = describeAction('checkOpgRegister', input, { ok: true, value: { entries: [entry], attorneyListed: true } });
		expect(found).toBe('Check the OPG register (by reference, attorney name): found: property and financial affairs; registered; since 2023-05-10; the caller is a listed attorney.');
		expect(found).not.toMatch(/4821|Ellis/);
		expect(describeAction('checkOpgRegister', input, { ok: true, value: { entries: [], attorneyListed: null } })).toBe(
			'Check the OPG register (by reference, attorney name): no LPA on the register matches.'
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

describe('the desk’s registry', () => {
	const entries = Object.entries(CORE_OPERATIONS as Record<string, CoreOperation>);
	const forms = deskForms();

	it('declares each operation with a label and a core call that exists', () => {
		for (const [name, entry] of entries) {
			expect(entry.label, name).not.toBe('');
			expect(typeof entry.run, name).toBe('function');
		}
		// The registry uses the core's own names, but for two the learner knows by what they do at the desk.
		const coreName: Record<string, string> = { viewCustomer: 'getCustomer', checkOpgRegister: 'searchOpgRegister' };
		for (const [name] of entries) expect(typeof (core as Record<string, unknown>)[coreName[name] ?? name], name).toBe('function');
	});

	it('draws each desk operation in a panel that exists, on a form whose button submits it', () => {
		const panels = new Set<string>(PANELS.map((p) => p.key));
		for (const [name, entry] of entries) {
			if (!entry.shown) continue;
			expect(panels.has(entry.shown.panel), `${name}: panel ${entry.shown.panel}`).toBe(true);
			expect(forms[entry.shown.form].submit.map((s) => s.operation), name).toContain(name);
		}
	});

	it('has an entry, drawn on that very form, for every button of every form', () => {
		for (const [key, form] of Object.entries(forms)) {
			for (const button of form.submit) expect(deskOperation(button.operation)?.shown?.form, `${key}: ${button.operation}`).toBe(key);
		}
	});

	it('leaves off the desk only the operations seeding and playthroughs run', () => {
		const offDesk = entries.filter(([, entry]) => !entry.shown).map(([name]) => name);
		expect(offDesk.sort()).toEqual(['addCustomerFields', 'endRelationship', 'receiveFee', 'requestFee', 'revokeThirdPartyAuthority']);
	});

	it('marks the operations that change a customer’s values', () => {
		const changing = entries.filter(([, entry]) => entry.changesValues).map(([name]) => name);
		expect(changing).toEqual(expect.arrayContaining(['correctField', 'restrictField', 'fulfilErasure', 'applyLegalHold', 'releaseLegalHold']));
		expect(changing).not.toContain('viewCustomer');
		expect(changing).not.toContain('searchCustomers');
	});

	it('reads every post against the form deskForms draws for its instance, however many posts came before', () => {
		for (const [formId, operation, key, instance] of [['search', 'searchCustomers', 'search', ''], ['view:c-42', 'viewCustomer', 'view', 'c-42'], ['view:c-43', 'viewCustomer', 'view', 'c-43']] as const) {
			for (let post = 0; post < 3; post++) {
				const posted = postedOperation(formId, operation);
				expect(posted.ok && posted.value.form, `${formId}, post ${post}`).toEqual(deskForms(undefined, instance)[key]);
			}
		}
	});

	it('finds a posted form’s entry and form once, by the operation’s name and the form’s id', () => {
		const posted = postedOperation('view:c-42', 'viewCustomer');
		expect(posted.ok).toBe(true);
		if (!posted.ok) return;
		expect(posted.value.operation.name).toBe('viewCustomer');
		expect(posted.value.operation.label).toBe('Open a customer record');
		// The form is the instance drawn for that customer: its hidden input carries the id.
		expect(posted.value.form.items).toContainEqual({ kind: 'hidden', name: 'customerId', value: 'c-42' });
		expect(parseFormId('view:c-42')).toEqual({ key: 'view', instance: 'c-42' });
	});

	it('refuses an unknown operation, a form it does not know and a button another form has, with the message the screen shows', () => {
		for (const [formId, operation] of [
			['search', 'dropTables'],
			['search', 'toString'],
			['nonsense', 'searchCustomers'],
			['search', 'disclose'],
			['accuracy', 'correctField'],
			['', '']
		]) {
			expect(postedOperation(formId!, operation!), `${formId} ${operation}`).toEqual({ ok: false, error: { code: 'desk.unknown-form', message: UNKNOWN_FORM } });
		}
		expect(UNKNOWN_FORM).toBe('The record system does not know this form. Reload the page and try again.');
		expect(deskOperation('toString')).toBeUndefined();
		expect(deskOperation(42)).toBeUndefined();
	});
});

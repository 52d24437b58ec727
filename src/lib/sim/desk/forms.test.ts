import { describe, expect, it } from 'vitest';
import { deskForms, fieldsOf, NO_OPTIONS, inputFor, inputNames, parseFormId, readForm, type FieldSpec, type FormSpec } from './forms';

const post = (entries: [string, string][]) => {
	const form = new FormData();
	for (const [name, value] of entries) form.append(name, value);
	return form;
};
const forms = deskForms();
const fieldsOfDisclose = (spec: FormSpec) => fieldsOf(spec) as (FieldSpec & { label?: string; placeholder?: string; value?: string })[];

describe('reading a posted form', () => {
	it('builds the operation’s input from dotted names, leaving out blanks the core defaults', () => {
		const { input, problems } = readForm(
			forms.disclose,
			post([
				['customerId', 'c1'],
				['fields', 'balance'],
				['fields', 'recentPayments'],
				['recipient.type', 'unauthorised-third-party'],
				['recipient.name', 'Sarah Hughes'],
				['recipient.organisation', ''],
				['channel', 'phone'],
				['basisOrExemption', ''],
				['prejudiceTest', '']
			])
		);
		expect(problems).toEqual([]);
		expect(input).toEqual({ customerId: 'c1', fields: ['balance', 'recentPayments'], recipient: { type: 'unauthorised-third-party', name: 'Sarah Hughes' }, channel: 'phone' });
	});

	it('offers the directory as a list where there is one, never a typed role, and reads the team chosen', () => {
		const options = { ...NO_OPTIONS, directory: [{ value: 'field-services', label: 'Field Services (team)', kind: 'team' as const, receives: [] }] };
		const drawn = fieldsOfDisclose(deskForms(options).disclose);
		expect(drawn.find((f) => f.name === 'recipient.directoryCode')).toMatchObject({ kind: 'select', label: 'Team or organisation', placeholder: 'Someone not in the directory' });
		expect(drawn.find((f) => f.name === 'recipient.role')).toMatchObject({ kind: 'hidden', value: '' });
		// Scenarios written before the directory keep the typed role.
		const older = fieldsOfDisclose(deskForms({ ...options, directory: [] }).disclose);
		expect(older.find((f) => f.name === 'recipient.role')).toMatchObject({ kind: 'text', label: 'Role' });
		// The server reads the form knowing no directory, and takes the team posted.
		const { input } = readForm(forms.disclose, post([['customerId', 'c1'], ['fields', 'mobilePhone'], ['recipient.type', 'colleague'], ['recipient.directoryCode', 'field-services'], ['recipient.role', ''], ['channel', 'internal']]));
		expect(input.recipient).toEqual({ type: 'colleague', directoryCode: 'field-services' });
	});

	it('reads an OPG register search with only what was given, and an authority with its LPA type', () => {
		const search = readForm(forms.opgRegister, post([['reference', '7000 4821 3366'], ['donorName', ''], ['attorneyName', 'Peter Ellis'], ['customerId', '']]));
		expect(search.problems).toEqual([]);
		expect(search.input).toEqual({ reference: '7000 4821 3366', attorneyName: 'Peter Ellis' });
		const { input, problems } = readForm(
			forms.authorise,
			post([
				['customerId', 'c1'],
				['name', 'Peter Ellis'],
				['relationship', 'son'],
				['authorityType', 'lasting-power-of-attorney'],
				['lpaType', 'property-and-financial-affairs'],
				['evidenceRef', 'OPG 7000-4821-3366'],
				['scopeCategories', 'all'],
				['scopeActions', 'receive-information'],
				['scopeActions', 'make-changes'],
				['validFrom', '2025-06-12'],
				['validTo', '']
			])
		);
		expect(problems).toEqual([]);
		expect(input).toEqual({
			customerId: 'c1',
			name: 'Peter Ellis',
			relationship: 'son',
			authorityType: 'lasting-power-of-attorney',
			lpaType: 'property-and-financial-affairs',
			evidenceRef: 'OPG 7000-4821-3366',
			scopeCategories: ['all'],
			scopeActions: ['receive-information', 'make-changes'],
			validFrom: '2025-06-12'
		});
		// Not an LPA: the type is left out, and the core says whether one was needed.
		expect(readForm(forms.authorise, post([['authorityType', 'written-authority'], ['lpaType', '']])).input).not.toHaveProperty('lpaType');
	});

	it('sends a blank text the core must judge, and refuses a choice not made before sending anything', () => {
		const { input, problems, values } = readForm(forms.interaction, post([['channel', 'phone'], ['direction', 'inbound'], ['partyType', ''], ['nature', '  ']]));
		expect(problems).toEqual([{ field: 'partyType', message: 'Choose who you dealt with' }]);
		expect(input).toMatchObject({ channel: 'phone', direction: 'inbound', nature: '  ', actionsTaken: [] });
		expect(values).toMatchObject({ nature: '  ', partyType: '' });
	});

	it('reads what a caller supplied as one object of the fields given, ignoring names that are not fields', () => {
		const { input } = readForm(
			forms.verify,
			post([
				['customerId', 'c1'],
				['requesterType', 'data-subject'],
				['method', 'knowledge-based'],
				['supplied.dateOfBirth', '18/04/1979'],
				['supplied.postcode', ''],
				['supplied.__proto__', 'x'],
				['supplied.Bad Name', 'y'],
				['channel', 'phone']
			])
		);
		expect(input.supplied).toEqual({ dateOfBirth: '18/04/1979' });
		expect(Object.getPrototypeOf(input.supplied)).toBe(Object.prototype);
	});

	it('reads whole numbers and London times, and says so when they are not', () => {
		const good = readForm(
			forms.breach,
			post([
				['awareAt', '2025-03-07T15:40'],
				['description', 'Email to the wrong customer'],
				['dataCategories', 'contact'],
				['subjectCategories', 'customers\n\n  '],
				['approxSubjects', '1'],
				['approxRecords', '2']
			])
		);
		expect(good.problems).toEqual([]);
		expect(good.input).toMatchObject({ awareAt: '2025-03-07T15:40:00.000Z', approxSubjects: 1, approxRecords: 2, subjectCategories: ['customers'] });
		// British Summer Time: 10:00 in London is 09:00 UTC.
		expect(readForm(forms.breach, post([['awareAt', '2025-07-01T10:00']])).input.awareAt).toBe('2025-07-01T09:00:00.000Z');

		const bad = readForm(forms.breach, post([['awareAt', 'yesterday'], ['approxSubjects', 'many'], ['approxRecords', '-1']]));
		expect(bad.problems.map((p) => p.field)).toEqual(['awareAt', 'approxSubjects', 'approxRecords']);
	});

	it('puts an indexed name into a list', () => {
		const { input } = readForm(forms['req-rectify'], post([['requestId', 'r1'], ['corrections.0.field', 'email'], ['corrections.0.newValue', 'a@b.example'], ['corrections.0.reason', 'Typo']]));
		expect(input).toEqual({ requestId: 'r1', corrections: [{ field: 'email', newValue: 'a@b.example', reason: 'Typo' }] });
	});

	it('refuses text too long to be meant, and keeps only the start of it to show again', () => {
		const { problems, values } = readForm(forms.search, post([['name', 'x'.repeat(10_000)]]));
		expect(problems).toEqual([{ field: 'name', message: 'This is too long: at most 4,000 characters' }]);
		expect((values.name as string).length).toBe(4000);
	});

	it('reads yes or no as a boolean, and a missing answer as a problem', () => {
		expect(readForm(forms.logRequest, post([['kind', 'access'], ['channel', 'phone'], ['verbal', 'yes'], ['description', 'x']])).input.verbal).toBe(true);
		expect(readForm(forms.logRequest, post([['kind', 'access'], ['channel', 'phone'], ['description', 'x']])).problems).toEqual([
			{ field: 'verbal', message: 'Say whether the request was made verbally' }
		]);
	});
});

describe('finding the input a core error names', () => {
	const names = inputNames(deskForms(undefined, 'x').newCustomer).concat(['fields.postcode', 'fields.town']);
	it('matches the name, a name ending in it, or the list it indexes', () => {
		expect(inputFor(names, 'postcode')).toBe('fields.postcode');
		expect(inputFor(names, 'purposeCodes.0')).toBe('purposeCodes');
		expect(inputFor(names, 'reference')).toBe('reference');
		expect(inputFor(names, 'customerId')).toBeUndefined();
		expect(inputFor(names, undefined)).toBeUndefined();
	});
});

describe('form ids', () => {
	it('name a known form and the record it is drawn for', () => {
		expect(parseFormId('view:abc-123')).toEqual({ key: 'view', instance: 'abc-123' });
		expect(parseFormId('search')).toEqual({ key: 'search', instance: '' });
		expect(parseFormId('nothing')).toBeUndefined();
		expect(parseFormId('__proto__')).toBeUndefined();
	});
});

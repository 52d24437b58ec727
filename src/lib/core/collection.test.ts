import { describe, expect, it } from 'vitest';
import { ageOn, checkFieldValue, e164, foldText, plainDate } from './collection';

const today = '2025-03-03';
const check = (field: string, value: string, minimumAge?: number) => checkFieldValue(field, value, { today, minimumAge });

describe('postcodes', () => {
	it.each([
		['SW1A 1AA', 'SW1A 1AA', 'SW1A1AA'],
		['sw1a1aa', 'SW1A 1AA', 'SW1A1AA'],
		['  m1   1ae ', 'M1 1AE', 'M11AE'],
		['B33 8TH', 'B33 8TH', 'B338TH'],
		['CR2 6XH', 'CR2 6XH', 'CR26XH'],
		['DN55 1PT', 'DN55 1PT', 'DN551PT'],
		['W1A 0AX', 'W1A 0AX', 'W1A0AX'],
		['EC1A 1BB', 'EC1A 1BB', 'EC1A1BB'],
		['GIR 0AA', 'GIR 0AA', 'GIR0AA'],
		['gir0aa', 'GIR 0AA', 'GIR0AA'],
		['BT1 5GS', 'BT1 5GS', 'BT15GS']
	])('accepts %s as %s', (input, value, normalised) => {
		expect(check('postcode', input)).toEqual({ ok: true, value: { value, normalised } });
	});

	it.each([
		['', 'empty'],
		['SW1A', 'outward code only'],
		['SW1A 1A', 'short inward code'],
		['QW1 1AA', 'Q cannot start a postcode'],
		['V1 1AA', 'V cannot start a postcode'],
		['AI1 1AA', 'I cannot be second'],
		['SW1A 1CA', 'C is not used in the inward code'],
		['12345', 'a US ZIP code'],
		['SW1A-1AA', 'a hyphen'],
		['SW1A 1AAA', 'too long']
	])('refuses %s (%s), naming the field', (input) => {
		expect(check('postcode', input)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'postcode' } });
	});
});

describe('phone numbers', () => {
	it.each([
		['07700 900123', '+447700900123'],
		['07700900123', '+447700900123'],
		['+44 7700 900123', '+447700900123'],
		['+44 (0)7700 900123', '+447700900123'],
		['0044 7700 900123', '+447700900123'],
		['(020) 7946 0000', '+442079460000'],
		['020-7946-0000', '+442079460000'],
		['0113 496 0000', '+441134960000'],
		['01632 960000', '+441632960000'],
		['028 9649 6000', '+442896496000'],
		['0300 123 4567', '+443001234567'],
		['07624 123456', '+447624123456']
	])('accepts %s as %s', (input, expected) => {
		expect(check('phone', input)).toEqual({ ok: true, value: { value: expected, normalised: expected } });
		expect(e164(input)).toBe(expected);
	});

	it.each([
		['', 'empty'],
		['7700 900123', 'no trunk prefix or country code'],
		['07700 90012', 'too short'],
		['07700 9001234', 'too long'],
		['0909 8790000', 'premium rate'],
		['07000 123456', 'personal number'],
		['07600 123456', 'pager'],
		['021 1234 5678', 'unused area code'],
		['+1 202 555 0100', 'not a UK number'],
		['07700 9OO123', 'letters']
	])('refuses %s (%s)', (input) => {
		expect(check('phone', input)).toMatchObject({ ok: false, error: { field: 'phone' } });
	});
});

describe('email addresses', () => {
	it.each([
		['jo@example.com', 'jo@example.com', 'jo@example.com'],
		['  Jo.Bloggs@Example.CO.UK ', 'Jo.Bloggs@example.co.uk', 'jo.bloggs@example.co.uk'],
		['first+tag@sub.example.org', 'first+tag@sub.example.org', 'first+tag@sub.example.org']
	])('accepts %s', (input, value, normalised) => {
		expect(check('email', input)).toEqual({ ok: true, value: { value, normalised } });
	});

	it.each(['', 'jo', 'jo@', '@example.com', 'jo@example', 'jo bloggs@example.com', 'jo@@example.com', `${'a'.repeat(250)}@example.com`])(
		'refuses %j',
		(input) => {
			expect(check('email', input)).toMatchObject({ ok: false, error: { field: 'email' } });
		}
	);
});

describe('dates of birth', () => {
	it.each([
		['1980-02-29', '1980-02-29'],
		['29/02/1980', '1980-02-29'],
		['1/2/1990', '1990-02-01'],
		['03-03-2007', '2007-03-03'],
		['2025-03-03', '2025-03-03'],
		['1905-03-03', '1905-03-03']
	])('accepts %s as %s', (input, expected) => {
		expect(check('dateOfBirth', input)).toEqual({ ok: true, value: { value: expected, normalised: expected } });
	});

	it.each([
		['1981-02-29', 'not a leap year'],
		['31/04/1990', '30 days hath April'],
		['1990-13-01', 'month 13'],
		['2025-03-04', 'tomorrow'],
		['2030-01-01', 'in the future'],
		['1904-03-02', 'over 120'],
		['yesterday', 'not a date'],
		['1990/01/01', 'unknown format']
	])('refuses %s (%s)', (input) => {
		expect(check('dateOfBirth', input)).toMatchObject({ ok: false, error: { field: 'dateOfBirth' } });
	});

	it('refuses a date of birth under the minimum age a purpose sets, and accepts the 18th birthday itself', () => {
		expect(check('dateOfBirth', '2007-03-04', 18)).toMatchObject({ ok: false, error: { field: 'dateOfBirth', message: expect.stringContaining('18') } });
		expect(check('dateOfBirth', '2007-03-03', 18)).toMatchObject({ ok: true });
		expect(check('dateOfBirth', '2009-03-04', 16)).toMatchObject({ ok: false });
	});

	it('counts age in whole years, a 29 February birthday turning over on 1 March', () => {
		expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
		expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
		expect(plainDate('2024-02-29')).toBe('2024-02-29');
	});
});

describe('names', () => {
	it.each([
		['Zoë', 'Zoë', 'zoe'],
		["O'Brien", "O'Brien", 'obrien'],
		['O’Brien', "O'Brien", 'obrien'],
		['Smith-Jones', 'Smith-Jones', 'smith jones'],
		['  de  la Cruz ', 'de la Cruz', 'de la cruz'],
		['Siân', 'Siân', 'sian'],
		['Nguyễn', 'Nguyễn', 'nguyen'],
		['José María', 'José María', 'jose maria']
	])('accepts %s', (input, value, normalised) => {
		expect(check('familyName', input)).toEqual({ ok: true, value: { value, normalised } });
	});

	it.each(['', 'Sm1th', 'Smith!', '-Smith', "Smith'", 'Smith--Jones', 'a@b', 'A'.repeat(101)])('refuses %j', (input) => {
		expect(check('givenName', input)).toMatchObject({ ok: false, error: { field: 'givenName' } });
	});

	it('folds accents and punctuation for comparison', () => {
		expect(foldText('Zoë  O’Brien-Smith')).toBe('zoe obrien smith');
	});
});

describe('other catalogued fields', () => {
	it.each([
		['nationalInsuranceNumber', 'ab 12 34 56 c', 'AB123456C'],
		['nationalInsuranceNumber', 'JG103759A', 'JG103759A'],
		['sortCode', '309457', '30-94-57'],
		['bankAccountNumber', '1234 5678', '12345678'],
		['balance', '£1,200.5', '1200.50'],
		['arrears', '-30', '-30.00'],
		['title', 'dr.', 'Dr']
	])('accepts %s %s', (field, input, value) => {
		expect(check(field, input)).toMatchObject({ ok: true, value: { value } });
	});

	it.each([
		['nationalInsuranceNumber', 'BG123456C'],
		['nationalInsuranceNumber', 'AB123456E'],
		['nationalInsuranceNumber', 'QQ123456C'],
		['sortCode', '30945'],
		['bankAccountNumber', '1234567'],
		['balance', '12.345'],
		['title', 'Captain Sir'],
		['addressLine1', '<script>'],
		['tariff', '']
	])('refuses %s %j', (field, input) => {
		expect(check(field, input)).toMatchObject({ ok: false, error: { field } });
	});
});

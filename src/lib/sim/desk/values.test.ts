import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { e164 } from '../../core/collection';
import { shownDate, shownMoney, shownPhone, shownValue } from './values';

describe('a held value as a UK agent reads it', () => {
	it('shows a date of birth as people write it', () => {
		expect(shownValue('dateOfBirth', '1987-03-12')).toBe('12 March 1987');
		expect(shownValue('dateOfBirth', '1979-04-18')).toBe('18 April 1979');
	});

	it('shows phone numbers in the UK national form', () => {
		expect(shownValue('mobilePhone', '+447700900123')).toBe('07700 900123');
		expect(shownValue('phone', '+442079460000')).toBe('020 7946 0000');
		expect(shownValue('phone', '+441214960000')).toBe('0121 496 0000');
		expect(shownValue('phone', '+441134960000')).toBe('0113 496 0000');
		expect(shownValue('phone', '+441536123456')).toBe('01536 123456');
		expect(shownValue('phone', '+443069990400')).toBe('0306 999 0400');
	});

	it('shows a balance in pounds, in credit or owed, without losing which', () => {
		expect(shownValue('balance', '182.40')).toBe('£182.40 in credit');
		expect(shownValue('balance', '-64.18')).toBe('£64.18 owed');
		expect(shownValue('balance', '0.00')).toBe('£0.00');
		expect(shownValue('balance', '1234.5')).toBe('£1,234.50 in credit');
		expect(shownValue('arrears', '187.50')).toBe('£187.50');
	});

	it('shows a National Insurance number spaced as on the card', () => {
		expect(shownValue('nationalInsuranceNumber', 'AB123456C')).toBe('AB 12 34 56 C');
	});

	it('leaves other fields, and values not in the stored form, as they are', () => {
		expect(shownValue('postcode', 'NN15 7QA')).toBe('NN15 7QA');
		expect(shownValue('meterSerialNumber', '1987-03-12')).toBe('1987-03-12');
		expect(shownValue('balance', '£182.40 in credit')).toBe('£182.40 in credit');
		expect(shownValue('dateOfBirth', '1987-02-30')).toBe('1987-02-30');
		expect(shownValue('phone', '+1 202 555 0100')).toBe('+1 202 555 0100');
	});
});

const ukNumber = fc.oneof(
	fc.stringMatching(/^\+447[1-57-9]\d{8}$/),
	fc.stringMatching(/^\+442[03489]\d{8}$/),
	fc.stringMatching(/^\+441\d{8,9}$/),
	fc.stringMatching(/^\+443[0347]\d{8}$/)
);

describe('properties', () => {
	it('a phone shown is the same number, reads as a UK number starting 0, and showing it again changes nothing', () => {
		fc.assert(
			fc.property(ukNumber, (stored) => {
				const shown = shownPhone(stored);
				expect(shown).toMatch(/^0\d+(?: \d+)+$/);
				expect(e164(shown)).toBe(stored);
				expect(shownPhone(shown)).toBe(shown);
			})
		);
	});

	it('an amount shown keeps its sum and its sign', () => {
		fc.assert(
			fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), (pence) => {
				const stored = (pence / 100).toFixed(2);
				const shown = shownMoney(stored, true);
				expect(shown.replace(/[^\d.]/g, '')).toBe(Math.abs(pence / 100).toFixed(2));
				expect(shown.endsWith(' owed')).toBe(pence < 0);
				expect(shown.endsWith(' in credit')).toBe(pence > 0);
				expect(shownMoney(shown, true)).toBe(shown);
			})
		);
	});

	it('every real date shows as day, month name and year, and showing it again changes nothing', () => {
		fc.assert(
			fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
				const stored = date.toISOString().slice(0, 10);
				const shown = shownDate(stored);
				const [y, , d] = stored.split('-');
				expect(shown).toMatch(new RegExp(`^${Number(d)} [A-Z][a-z]+ ${y}$`));
				expect(shownDate(shown)).toBe(shown);
			})
		);
	});
});

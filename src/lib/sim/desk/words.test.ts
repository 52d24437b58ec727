import { describe, expect, it } from 'vitest';
import { fieldWords, words } from './words';

describe('plain words for codes', () => {
	it('spells out field names and codes', () => {
		expect(words('addressLine1')).toBe('Address line 1');
		expect(words('dateOfBirth')).toBe('Date of birth');
		expect(words('unauthorised-third-party')).toBe('Third party with no authority');
		expect(words('response-ready')).toBe('Response ready');
		expect(fieldWords('dateOfBirth')).toBe('date of birth');
	});
});

import { describe, expect, it } from 'vitest';
import { deskDate, deskDateTime, deskTime, londonInstant, londonLocalInput, words } from './words';

describe('the desk clock', () => {
	it('shows the scenario time in London, in winter and in summer', () => {
		expect(deskDateTime('2025-03-07T15:41:00.000Z')).toBe('Fri 7 Mar 2025, 15:41');
		expect(deskTime('2025-07-01T09:05:00.000Z')).toBe('10:05');
		expect(deskDate('2025-04-07')).toBe('7 Apr 2025');
	});

	it('reads a London wall time back as the instant it shows', () => {
		for (const iso of ['2025-03-07T15:40:00.000Z', '2025-07-01T09:00:00.000Z', '2025-10-26T00:30:00.000Z']) {
			expect(londonInstant(londonLocalInput(iso))).toBe(iso);
		}
		expect(londonInstant('2025-03-30T01:30')).toBeUndefined(); // the hour the clocks skip
		expect(londonInstant('not a time')).toBeUndefined();
	});
});

describe('plain words for codes', () => {
	it('spells out field names and codes', () => {
		expect(words('addressLine1')).toBe('Address line 1');
		expect(words('dateOfBirth')).toBe('Date of birth');
		expect(words('unauthorised-third-party')).toBe('Third party with no authority');
		expect(words('response-ready')).toBe('Response ready');
	});
});

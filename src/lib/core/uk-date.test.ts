import { describe, expect, it } from 'vitest';
import { ukDateOf, ukDayStart } from './uk-date';

describe('ukDayStart', () => {
	it('starts a winter day at midnight UTC (GMT)', () => {
		expect(ukDayStart('2026-01-15')).toBe('2026-01-15T00:00:00.000Z');
	});

	it('starts a summer day at 23:00 UTC the day before (BST)', () => {
		expect(ukDayStart('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
	});

	it('starts the days the clocks change at their own UK midnight', () => {
		// Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
		expect(ukDayStart('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
		expect(ukDayStart('2026-03-30')).toBe('2026-03-29T23:00:00.000Z');
		expect(ukDayStart('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
		expect(ukDayStart('2026-10-26')).toBe('2026-10-26T00:00:00.000Z');
	});

	it('gives an instant that falls on the same UK date, one millisecond after the previous day ends', () => {
		for (const date of ['2026-02-28', '2026-03-29', '2026-06-21', '2026-10-25', '2026-12-31']) {
			const start = ukDayStart(date);
			expect(ukDateOf(start)).toBe(date);
			expect(ukDateOf(new Date(Date.parse(start) - 1).toISOString())).not.toBe(date);
		}
	});

	it('refuses a string that is not a date', () => {
		expect(() => ukDayStart('2026-13-45')).toThrow(RangeError);
		expect(() => ukDayStart('2026-02-30')).toThrow(RangeError);
		expect(() => ukDayStart('yesterday')).toThrow(RangeError);
	});
});

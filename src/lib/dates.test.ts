import { describe, expect, it } from 'vitest';
import {
	formatClock,
	formatClockDay,
	formatDate,
	formatDateTime,
	formatDayTime,
	formatLongDate,
	formatLongWeekdayDate,
	formatWeekdayDateTime,
	ukInstant,
	ukLocalInput,
	ukNineAm,
	ukToday
} from './dates';

describe('ukToday', () => {
	it('is the UTC date in winter (GMT)', () => {
		expect(ukToday(new Date('2025-01-15T23:59:59Z'))).toBe('2025-01-15');
		expect(ukToday(new Date('2025-01-16T00:00:00Z'))).toBe('2025-01-16');
	});

	it('is already tomorrow at 23:30 UTC in British Summer Time', () => {
		expect(ukToday(new Date('2025-06-30T23:30:00Z'))).toBe('2025-07-01');
		expect(ukToday(new Date('2025-06-30T22:59:59Z'))).toBe('2025-06-30');
	});

	it('follows the clock changes: BST begins 01:00 UTC on 30 March 2025 and ends 01:00 UTC on 26 October 2025', () => {
		// 23:30 UTC the night before the spring change is still GMT: the same day.
		expect(ukToday(new Date('2025-03-29T23:30:00Z'))).toBe('2025-03-29');
		// 23:30 UTC on the day of the change is 00:30 BST the next day.
		expect(ukToday(new Date('2025-03-30T23:30:00Z'))).toBe('2025-03-31');
		// 23:30 UTC the night before the autumn change is 00:30 BST: the next day.
		expect(ukToday(new Date('2025-10-25T23:30:00Z'))).toBe('2025-10-26');
		// 23:30 UTC on the day of the change is back on GMT: the same day.
		expect(ukToday(new Date('2025-10-26T23:30:00Z'))).toBe('2025-10-26');
	});
});

describe('formatting instants on the UK clock', () => {
	it('shows a winter instant as GMT', () => {
		expect(formatDateTime('2025-11-24T14:13:00Z')).toBe('24 Nov 2025, 14:13');
		expect(formatClock('2025-11-24T14:13:00Z')).toBe('14:13');
	});

	it('shows a summer instant an hour ahead of UTC (BST)', () => {
		expect(formatDateTime('2025-07-04T14:13:00Z')).toBe('4 Jul 2025, 15:13');
		expect(formatWeekdayDateTime('2025-07-04T14:13:00Z')).toBe('Fri 4 Jul 2025, 15:13');
		expect(formatDayTime('2025-07-04T14:13:00Z')).toBe('4 Jul, 15:13');
	});

	it('moves midnight UTC in summer to 01:00 the same day, and 23:30 UTC to the next day', () => {
		expect(formatDateTime('2025-07-04T00:00:00Z')).toBe('4 Jul 2025, 01:00');
		expect(formatClockDay('2025-07-04T23:30:00Z')).toBe('Sat 5 Jul');
		expect(formatDate('2025-07-04T23:30:00Z')).toBe('5 Jul 2025');
	});

	it('shows the hour twice across the autumn change, first as BST then as GMT', () => {
		expect(formatClock('2025-10-26T00:30:00Z')).toBe('01:30');
		expect(formatClock('2025-10-26T01:30:00Z')).toBe('01:30');
		expect(formatClock('2025-10-26T02:30:00Z')).toBe('02:30');
	});

	it('accepts an instant with an offset', () => {
		expect(formatDateTime('2025-03-07T15:41:00+00:00')).toBe('7 Mar 2025, 15:41');
	});
});

describe('formatting plain dates', () => {
	it('shows a plain date as that calendar day, whatever the season', () => {
		expect(formatDate('2025-07-01')).toBe('1 Jul 2025');
		expect(formatDate('2025-01-01')).toBe('1 Jan 2025');
		expect(formatLongDate('1987-03-12')).toBe('12 March 1987');
		expect(formatLongWeekdayDate('2025-03-07')).toBe('Fri 7 March 2025');
	});

	it('shows an instant near midnight on its UK day, not its UTC day', () => {
		expect(formatLongDate('2025-06-30T23:30:00Z')).toBe('1 July 2025');
		expect(formatLongDate('2025-12-31T23:30:00Z')).toBe('31 December 2025');
	});
});

describe('a value that is not a date', () => {
	it('is shown as it was given', () => {
		for (const format of [formatDateTime, formatWeekdayDateTime, formatDayTime, formatClock, formatClockDay, formatDate, formatLongDate, formatLongWeekdayDate]) {
			expect(format('not a date')).toBe('not a date');
		}
	});
});

describe('datetime-local values on the UK clock', () => {
	it('round-trips a winter and a summer instant', () => {
		expect(ukLocalInput('2025-01-10T09:05:00.000Z')).toBe('2025-01-10T09:05');
		expect(ukInstant('2025-01-10T09:05')).toBe('2025-01-10T09:05:00.000Z');
		expect(ukLocalInput('2025-07-10T08:05:00.000Z')).toBe('2025-07-10T09:05');
		expect(ukInstant('2025-07-10T09:05')).toBe('2025-07-10T08:05:00.000Z');
	});

	it('refuses a wall time the spring change skips, and reads a repeated one as the earlier', () => {
		expect(ukInstant('2025-03-30T01:30')).toBeUndefined();
		expect(ukInstant('2025-10-26T01:30')).toBe('2025-10-26T00:30:00.000Z');
	});

	it('refuses what is not a datetime-local value', () => {
		expect(ukInstant('2025-02-30T10:00')).toBeUndefined();
		expect(ukInstant('10:00')).toBeUndefined();
		expect(ukLocalInput('2025-01-10')).toBe('');
		expect(ukLocalInput('nonsense')).toBe('');
	});
});

describe('ukNineAm', () => {
	it('is 09:00 UTC in winter and 08:00 UTC in summer, either side of the spring change', () => {
		expect(ukNineAm('2025-03-29')).toBe('2025-03-29T09:00:00.000Z');
		expect(ukNineAm('2025-03-30')).toBe('2025-03-30T08:00:00.000Z');
		expect(ukNineAm('2025-10-26')).toBe('2025-10-26T09:00:00.000Z');
	});
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	addClarificationPause,
	breachReportDueAt,
	isWorkingDay,
	responseDueDate,
	type Region
} from './deadlines';
import { holidaysInYear } from './holidays';

const REGIONS: Region[] = ['england-and-wales', 'scotland', 'northern-ireland'];
const MS_PER_DAY = 86_400_000;

const toDay = (date: string) => new Date(`${date}T00:00:00Z`).getTime() / MS_PER_DAY;
const fromDay = (day: number) => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => toDay(to) - toDay(from);

interface DueDateCase {
	behaviour: string;
	relevant: string;
	region: Region;
	extended?: boolean;
	due: string;
}

const cases: DueDateCase[] = [
	// The examples in DOMAIN.md §4.
	{
		behaviour: 'ends on the last day of February when the relevant date is 31 January',
		relevant: '2025-01-31', region: 'england-and-wales', due: '2025-02-28'
	},
	{
		behaviour: 'ends on 29 February in a leap year',
		relevant: '2024-01-31', region: 'england-and-wales', due: '2024-02-29'
	},
	{
		behaviour: 'ends on the same date number in the following month',
		relevant: '2025-09-03', region: 'england-and-wales', due: '2025-10-03'
	},
	{
		behaviour: 'moves a due date on Easter Sunday past Easter Monday in England and Wales',
		relevant: '2025-03-20', region: 'england-and-wales', due: '2025-04-22'
	},

	// Leap years and month ends.
	{
		behaviour: 'ends on 29 February 2028, a leap year',
		relevant: '2028-01-31', region: 'scotland', due: '2028-02-29'
	},
	{
		behaviour: 'treats 2100 as a common year and moves Sunday 28 February to Monday 1 March',
		relevant: '2100-01-31', region: 'england-and-wales', due: '2100-03-01'
	},
	{
		behaviour: 'ends on the last day of a 30-day month',
		relevant: '2024-03-31', region: 'northern-ireland', due: '2024-04-30'
	},
	{
		behaviour: 'ends on 30 June when the relevant date is 31 May',
		relevant: '2023-05-31', region: 'scotland', due: '2023-06-30'
	},
	{
		behaviour: 'ends on 30 September when the relevant date is 31 August',
		relevant: '2025-08-31', region: 'england-and-wales', due: '2025-09-30'
	},
	{
		behaviour: 'moves a month-end due date on a Sunday to the Monday in England and Wales',
		relevant: '2025-10-31', region: 'england-and-wales', due: '2025-12-01'
	},
	{
		behaviour: "moves a month-end Sunday past the St Andrew's Day substitute in Scotland",
		relevant: '2025-10-31', region: 'scotland', due: '2025-12-02'
	},
	{
		behaviour: 'crosses into the next year',
		relevant: '2025-12-29', region: 'england-and-wales', due: '2026-01-29'
	},
	{
		behaviour: 'moves a due date on a Saturday to the Monday',
		relevant: '2025-05-07', region: 'england-and-wales', due: '2025-06-09'
	},

	// Easter, and Scotland's lack of Easter Monday.
	{
		behaviour: 'keeps a due date on Easter Monday in Scotland',
		relevant: '2025-03-21', region: 'scotland', due: '2025-04-21'
	},
	{
		behaviour: 'moves a due date falling on Easter Monday to the Tuesday in England and Wales',
		relevant: '2025-03-21', region: 'england-and-wales', due: '2025-04-22'
	},
	{
		behaviour: 'moves a due date falling on Easter Monday to the Tuesday in Northern Ireland',
		relevant: '2026-03-06', region: 'northern-ireland', due: '2026-04-07'
	},
	{
		behaviour: 'moves a due date on Good Friday to the Tuesday after Easter in England and Wales',
		relevant: '2025-03-18', region: 'england-and-wales', due: '2025-04-22'
	},
	{
		behaviour: 'moves a due date on Good Friday only to Easter Monday in Scotland',
		relevant: '2025-03-18', region: 'scotland', due: '2025-04-21'
	},
	{
		behaviour: 'moves a due date on Good Friday 2024 into April in England and Wales',
		relevant: '2024-02-29', region: 'england-and-wales', due: '2024-04-02'
	},
	{
		behaviour: 'moves a due date on Good Friday 2024 to Easter Monday in Scotland',
		relevant: '2024-02-29', region: 'scotland', due: '2024-04-01'
	},

	// Christmas and New Year substitute days.
	{
		behaviour: 'moves a due date on a Saturday Christmas past both substitute days',
		relevant: '2021-11-25', region: 'england-and-wales', due: '2021-12-29'
	},
	{
		behaviour: 'moves a due date on a Saturday New Year past the Monday substitute day',
		relevant: '2021-12-01', region: 'england-and-wales', due: '2022-01-04'
	},
	{
		behaviour: 'moves a due date on a Saturday New Year past both Scottish substitute days',
		relevant: '2021-12-01', region: 'scotland', due: '2022-01-05'
	},
	{
		behaviour: 'moves a due date on a Saturday New Year to the Tuesday in Northern Ireland',
		relevant: '2021-12-01', region: 'northern-ireland', due: '2022-01-04'
	},
	{
		behaviour: 'moves a due date on the Boxing Day substitute of 2027 to the Wednesday',
		relevant: '2027-11-27', region: 'england-and-wales', due: '2027-12-29'
	},
	{
		behaviour: 'moves a due date on New Year 2028 past the Scottish substitute days',
		relevant: '2027-12-01', region: 'scotland', due: '2028-01-05'
	},
	{
		behaviour: 'moves a due date on New Year 2028 to Tuesday 4 January in England and Wales',
		relevant: '2027-12-01', region: 'england-and-wales', due: '2028-01-04'
	},
	{
		behaviour: 'moves a due date on Monday 2 January 2023 past the substitute day in England and Wales',
		relevant: '2022-12-02', region: 'england-and-wales', due: '2023-01-03'
	},
	{
		behaviour: 'moves a due date on Monday 2 January 2023 past 3 January in Scotland',
		relevant: '2022-12-02', region: 'scotland', due: '2023-01-04'
	},
	{
		behaviour: 'moves a due date on Boxing Day 2022 past the Christmas substitute day',
		relevant: '2022-11-26', region: 'england-and-wales', due: '2022-12-28'
	},
	{
		behaviour: 'moves a due date on the millennium New Year to Wednesday 5 January 2000 in Scotland',
		relevant: '1999-12-01', region: 'scotland', due: '2000-01-05'
	},

	// Regional holidays.
	{
		behaviour: "moves a due date on St Patrick's Day to the next day in Northern Ireland",
		relevant: '2025-02-17', region: 'northern-ireland', due: '2025-03-18'
	},
	{
		behaviour: "keeps a due date on St Patrick's Day in England and Wales",
		relevant: '2025-02-17', region: 'england-and-wales', due: '2025-03-17'
	},
	{
		behaviour: "moves a due date on the St Patrick's Day substitute in Northern Ireland",
		relevant: '2024-02-18', region: 'northern-ireland', due: '2024-03-19'
	},
	{
		behaviour: 'moves a due date on the Boyne substitute day to the Tuesday in Northern Ireland',
		relevant: '2025-06-12', region: 'northern-ireland', due: '2025-07-15'
	},
	{
		behaviour: 'moves a due date on Saturday 12 July only to the Monday in England and Wales',
		relevant: '2025-06-12', region: 'england-and-wales', due: '2025-07-14'
	},
	{
		behaviour: 'moves a due date on the first Monday in August in Scotland only',
		relevant: '2025-07-04', region: 'scotland', due: '2025-08-05'
	},
	{
		behaviour: 'keeps a due date on the first Monday in August in England and Wales',
		relevant: '2025-07-04', region: 'england-and-wales', due: '2025-08-04'
	},
	{
		behaviour: 'keeps a due date on the last Monday in August in Scotland',
		relevant: '2025-07-25', region: 'scotland', due: '2025-08-25'
	},
	{
		behaviour: "moves a due date on St Andrew's Day in Scotland",
		relevant: '2026-10-30', region: 'scotland', due: '2026-12-01'
	},
	{
		behaviour: 'moves a due date on the spring bank holiday',
		relevant: '2025-04-26', region: 'northern-ireland', due: '2025-05-27'
	},

	// One-off holidays and moved ones.
	{
		behaviour: 'moves a due date on the 2023 coronation holiday',
		relevant: '2023-04-08', region: 'scotland', due: '2023-05-09'
	},
	{
		behaviour: 'moves a due date on the moved 2022 spring holiday past the Platinum Jubilee',
		relevant: '2022-05-02', region: 'england-and-wales', due: '2022-06-06'
	},
	{
		behaviour: 'keeps a due date on the last Monday of May 2022, when the holiday had moved',
		relevant: '2022-04-30', region: 'england-and-wales', due: '2022-05-30'
	},
	{
		behaviour: 'moves a due date on the 2022 state funeral',
		relevant: '2022-08-19', region: 'northern-ireland', due: '2022-09-20'
	},
	{
		behaviour: 'moves a due date on Friday 8 May 2020 to the Monday',
		relevant: '2020-04-08', region: 'england-and-wales', due: '2020-05-11'
	},
	{
		behaviour: 'keeps a due date on Monday 4 May 2020, when the holiday had moved',
		relevant: '2020-04-04', region: 'england-and-wales', due: '2020-05-04'
	},
	{
		behaviour: 'moves a due date on the 2011 royal wedding past the early May holiday',
		relevant: '2011-03-29', region: 'england-and-wales', due: '2011-05-03'
	},

	// Extensions: relevant date + 3 months, same rules.
	{
		behaviour: 'extends to the last day of April from 31 January',
		relevant: '2025-01-31', region: 'england-and-wales', extended: true, due: '2025-04-30'
	},
	{
		behaviour: 'extends to the last day of February across a year end',
		relevant: '2024-11-30', region: 'scotland', extended: true, due: '2025-02-28'
	},
	{
		behaviour: 'extends to 29 February in a leap year',
		relevant: '2023-11-29', region: 'england-and-wales', extended: true, due: '2024-02-29'
	},
	{
		behaviour: 'extends to the same date number three months on',
		relevant: '2025-09-03', region: 'northern-ireland', extended: true, due: '2025-12-03'
	},
	{
		behaviour: 'extends past Christmas and Boxing Day',
		relevant: '2024-09-25', region: 'england-and-wales', extended: true, due: '2024-12-27'
	},
	{
		behaviour: 'extends past Good Friday and Easter Monday in England and Wales',
		relevant: '2025-01-18', region: 'england-and-wales', extended: true, due: '2025-04-22'
	},
	{
		behaviour: 'extends past Good Friday only in Scotland',
		relevant: '2025-01-18', region: 'scotland', extended: true, due: '2025-04-21'
	}
];

describe('responseDueDate', () => {
	it.each(cases)('$behaviour ($relevant → $due, $region)', ({ relevant, region, extended, due }) => {
		expect(responseDueDate(relevant, { region, extended: extended ?? false })).toBe(due);
	});

	it('treats extended: false as the one-month rule', () => {
		expect(responseDueDate('2025-01-31', { region: 'scotland', extended: false })).toBe('2025-02-28');
	});

	it('refuses a date that is not a real YYYY-MM-DD date, naming it', () => {
		const bad = ['2025-02-30', '2025-13-01', '2025-00-10', '2025-1-31', '31/01/2025', '2025-01-31T10:00:00Z', ''];
		for (const value of bad) {
			expect(() => responseDueDate(value, { region: 'england-and-wales' })).toThrow(RangeError);
		}
		expect(() => responseDueDate('2100-02-29', { region: 'england-and-wales' })).toThrow(/"2100-02-29"/);
	});

	it('refuses an unknown region', () => {
		expect(() => responseDueDate('2025-01-31', { region: 'wales' as Region })).toThrow(RangeError);
	});
});

describe('addClarificationPause', () => {
	it('gives the ordinary due date when there was no pause', () => {
		expect(addClarificationPause('2025-01-31', 0, { region: 'england-and-wales' })).toBe('2025-02-28');
	});

	it('counts from the relevant date moved on by the paused days', () => {
		// 10 + 5 = 15 January; 15 February 2025 is a Saturday.
		expect(addClarificationPause('2025-01-10', 5, { region: 'england-and-wales' })).toBe('2025-02-17');
	});

	it('applies the month-end and holiday rules to the moved relevant date, not to the old due date', () => {
		// 18 March + 2 = 20 March → 20 April (Easter Sunday) → Tuesday 22 April; adding two days to the
		// unpaused due date (22 April) would have given 24 April.
		expect(addClarificationPause('2025-03-18', 2, { region: 'england-and-wales' })).toBe('2025-04-22');
		expect(addClarificationPause('2025-01-31', 1, { region: 'scotland' })).toBe('2025-03-03');
	});

	it('lets the month-end rule absorb a short pause, as for any request received 28–31 January', () => {
		expect(addClarificationPause('2025-01-28', 3, { region: 'england-and-wales' })).toBe('2025-02-28');
		expect(addClarificationPause('2025-01-28', 4, { region: 'england-and-wales' })).toBe('2025-03-03');
	});

	it('applies to an extended deadline too', () => {
		const options = { region: 'england-and-wales', extended: true } as const;
		expect(addClarificationPause('2025-01-28', 3, options)).toBe('2025-04-30');
	});

	it('refuses a pause that is negative or not a whole number of days', () => {
		expect(() => addClarificationPause('2025-01-10', -1, { region: 'scotland' })).toThrow(RangeError);
		expect(() => addClarificationPause('2025-01-10', 1.5, { region: 'scotland' })).toThrow(/1\.5/);
		expect(() => addClarificationPause('2025-01-32', 1, { region: 'scotland' })).toThrow(/2025-01-32/);
	});
});

describe('isWorkingDay', () => {
	it('is false at weekends and on holidays, true on other days', () => {
		expect(isWorkingDay('2025-06-07', 'england-and-wales')).toBe(false); // Saturday
		expect(isWorkingDay('2025-06-08', 'scotland')).toBe(false); // Sunday
		expect(isWorkingDay('2025-12-25', 'northern-ireland')).toBe(false);
		expect(isWorkingDay('2025-06-09', 'england-and-wales')).toBe(true);
	});

	it('follows the region: Easter Monday is a working day in Scotland only', () => {
		expect(isWorkingDay('2025-04-21', 'scotland')).toBe(true);
		expect(isWorkingDay('2025-04-21', 'england-and-wales')).toBe(false);
		expect(isWorkingDay('2025-04-21', 'northern-ireland')).toBe(false);
	});

	it('refuses an invalid date or region even at a weekend', () => {
		expect(() => isWorkingDay('2025-02-29', 'scotland')).toThrow(/2025-02-29/);
		expect(() => isWorkingDay('2025-06-07', 'mars' as Region)).toThrow(RangeError);
	});
});

describe('breachReportDueAt', () => {
	it('gives Monday 16:00 for a Friday 16:00 awareness in summer time (Monday 15:00Z)', () => {
		expect(breachReportDueAt('2025-06-06T16:00:00+01:00')).toBe('2025-06-09T15:00:00.000Z');
	});

	it('gives Monday 16:00 for a Friday 16:00 awareness in winter (GMT)', () => {
		expect(breachReportDueAt('2025-01-10T16:00:00Z')).toBe('2025-01-13T16:00:00.000Z');
		expect(breachReportDueAt('2025-01-10T16:00:00+00:00')).toBe('2025-01-13T16:00:00.000Z');
	});

	it('counts 72 real hours across the October clock change, so the report is due at 15:00 GMT', () => {
		// Clocks went back at 02:00 BST on Sunday 26 October 2025.
		expect(breachReportDueAt('2025-10-24T16:00:00+01:00')).toBe('2025-10-27T15:00:00.000Z');
	});

	it('counts 72 real hours across the March clock change, so the report is due at 17:00 BST', () => {
		// Clocks went forward at 01:00 GMT on Sunday 30 March 2025.
		expect(breachReportDueAt('2025-03-28T16:00:00Z')).toBe('2025-03-31T16:00:00.000Z');
	});

	it('makes no working-day adjustment for a bank holiday weekend', () => {
		expect(breachReportDueAt('2025-04-18T09:30:00+01:00')).toBe('2025-04-21T08:30:00.000Z');
	});

	it('accepts minutes-only times, fractions and other offsets', () => {
		expect(breachReportDueAt('2025-06-06T16:00+01:00')).toBe('2025-06-09T15:00:00.000Z');
		expect(breachReportDueAt('2025-06-06T16:00:00.250+01:00')).toBe('2025-06-09T15:00:00.250Z');
		expect(breachReportDueAt('2025-06-06T10:00:00-05:00')).toBe('2025-06-09T15:00:00.000Z');
		expect(breachReportDueAt('2025-12-31T23:30:00-01:00')).toBe('2026-01-04T00:30:00.000Z');
	});

	it('refuses a date-time without an offset, since it would depend on the server time zone', () => {
		expect(() => breachReportDueAt('2025-06-06T16:00:00')).toThrow(/"2025-06-06T16:00:00"/);
	});

	it('refuses malformed or impossible date-times, naming them', () => {
		const bad = [
			'2025-02-30T10:00:00Z',
			'2025-06-06T24:00:00Z',
			'2025-06-06T16:60:00Z',
			'2025-06-06T16:00:00+25:00',
			'2025-06-06 16:00:00Z',
			'2025-06-06',
			'yesterday',
			''
		];
		for (const value of bad) {
			expect(() => breachReportDueAt(value)).toThrow(RangeError);
		}
		expect(() => breachReportDueAt('2025-02-30T10:00:00Z')).toThrow(/2025-02-30T10:00:00Z/);
	});
});

describe('properties', () => {
	// Plain dates from 1978 (when the holiday pattern became today's) to the end of 2199.
	const plainDate = fc.integer({ min: toDay('1978-01-01'), max: toDay('2199-12-31') }).map(fromDay);
	const region = fc.constantFrom(...REGIONS);

	it('always gives a working day after the relevant date', () => {
		fc.assert(
			fc.property(plainDate, region, fc.boolean(), (relevant, r, extended) => {
				const due = responseDueDate(relevant, { region: r, extended });
				expect(isWorkingDay(due, r)).toBe(true);
				expect(due > relevant).toBe(true);
			}),
			{ numRuns: 500 }
		);
	});

	// 28 days is 31 January → 28 February. The most is 35, not 34: 18 March 2025 → Good Friday
	// 18 April → Tuesday 22 April, and in Scotland 1 December 2021 → Saturday 1 January → 5 January.
	it('gives a normal due date between 28 and 35 days after the relevant date', () => {
		fc.assert(
			fc.property(plainDate, region, (relevant, r) => {
				const days = daysBetween(relevant, responseDueDate(relevant, { region: r }));
				expect(days).toBeGreaterThanOrEqual(28);
				expect(days).toBeLessThanOrEqual(35);
			}),
			{ numRuns: 500 }
		);
		expect(daysBetween('2025-03-18', responseDueDate('2025-03-18', { region: 'england-and-wales' }))).toBe(35);
	});

	it('gives the first working day on or after the same date number next month or its last day', () => {
		fc.assert(
			fc.property(plainDate, region, (relevant, r) => {
				const [y, m, d] = relevant.split('-').map(Number) as [number, number, number];
				const lastDayNextMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
				const nominal = new Date(Date.UTC(y, m, Math.min(d, lastDayNextMonth))).toISOString().slice(0, 10);
				const due = responseDueDate(relevant, { region: r });
				for (let day = toDay(nominal); day < toDay(due); day += 1) {
					expect(isWorkingDay(fromDay(day), r)).toBe(false);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('never gives an extended due date before the normal one', () => {
		fc.assert(
			fc.property(plainDate, region, (relevant, r) => {
				const normal = responseDueDate(relevant, { region: r });
				const extended = responseDueDate(relevant, { region: r, extended: true });
				expect(extended > normal).toBe(true);
				expect(daysBetween(relevant, extended)).toBeGreaterThanOrEqual(89);
				expect(daysBetween(relevant, extended)).toBeLessThanOrEqual(96);
			}),
			{ numRuns: 500 }
		);
	});

	it('never moves a due date earlier because of a clarification pause', () => {
		fc.assert(
			fc.property(plainDate, region, fc.integer({ min: 0, max: 60 }), (relevant, r, paused) => {
				const due = responseDueDate(relevant, { region: r });
				expect(addClarificationPause(relevant, paused, { region: r }) >= due).toBe(true);
			})
		);
	});

	it('agrees with holidaysInYear: a working day is a weekday not in the list', () => {
		fc.assert(
			fc.property(plainDate, region, (date, r) => {
				const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
				const listed = holidaysInYear(Number(date.slice(0, 4)), r).some((h) => h.date === date);
				expect(isWorkingDay(date, r)).toBe(dow !== 0 && dow !== 6 && !listed);
			}),
			{ numRuns: 1000 }
		);
	});

	it('treats every listed holiday as a non-working day', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1978, max: 2199 }), region, (y, r) => {
				for (const { date } of holidaysInYear(y, r)) expect(isWorkingDay(date, r)).toBe(false);
			})
		);
	});

	it('always reports a breach exactly 72 hours after awareness, whatever the offset', () => {
		const offset = fc.integer({ min: -12 * 60, max: 14 * 60 }).map((minutes) => {
			const sign = minutes < 0 ? '-' : '+';
			const abs = Math.abs(minutes);
			return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
		});
		const instant = fc.integer({ min: Date.UTC(1978, 0, 1), max: Date.UTC(2199, 11, 31) });
		fc.assert(
			fc.property(instant, offset, (ms, off) => {
				const sign = off.startsWith('-') ? -1 : 1;
				const offsetMs = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6))) * 60_000;
				const local = new Date(ms + offsetMs).toISOString().slice(0, 23);
				expect(new Date(breachReportDueAt(`${local}${off}`)).getTime() - ms).toBe(72 * 3_600_000);
			}),
			{ numRuns: 500 }
		);
	});
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { holidaysInYear, isPublicHoliday, type Region } from './holidays';

const REGIONS: Region[] = ['england-and-wales', 'scotland', 'northern-ireland'];

const datesIn = (year: number, region: Region) => holidaysInYear(year, region).map((h) => h.date);

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

// GOV.UK "UK bank holidays" (gov.uk/bank-holidays), as published for each year.
const OFFICIAL: Record<Region, Record<number, string[]>> = {
	'england-and-wales': {
		2023: [
			'2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29',
			'2023-08-28', '2023-12-25', '2023-12-26'
		],
		2024: [
			'2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26',
			'2024-12-25', '2024-12-26'
		],
		2025: [
			'2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25',
			'2025-12-25', '2025-12-26'
		],
		2026: [
			'2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31',
			'2026-12-25', '2026-12-28'
		]
	},
	scotland: {
		2023: [
			'2023-01-02', '2023-01-03', '2023-04-07', '2023-05-01', '2023-05-08', '2023-05-29',
			'2023-08-07', '2023-11-30', '2023-12-25', '2023-12-26'
		],
		2024: [
			'2024-01-01', '2024-01-02', '2024-03-29', '2024-05-06', '2024-05-27', '2024-08-05',
			'2024-12-02', '2024-12-25', '2024-12-26'
		],
		2025: [
			'2025-01-01', '2025-01-02', '2025-04-18', '2025-05-05', '2025-05-26', '2025-08-04',
			'2025-12-01', '2025-12-25', '2025-12-26'
		],
		2026: [
			'2026-01-01', '2026-01-02', '2026-04-03', '2026-05-04', '2026-05-25', '2026-08-03',
			'2026-11-30', '2026-12-25', '2026-12-28'
		]
	},
	'northern-ireland': {
		2023: [
			'2023-01-02', '2023-03-17', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08',
			'2023-05-29', '2023-07-12', '2023-08-28', '2023-12-25', '2023-12-26'
		],
		2024: [
			'2024-01-01', '2024-03-18', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27',
			'2024-07-12', '2024-08-26', '2024-12-25', '2024-12-26'
		],
		2025: [
			'2025-01-01', '2025-03-17', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26',
			'2025-07-14', '2025-08-25', '2025-12-25', '2025-12-26'
		],
		2026: [
			'2026-01-01', '2026-03-17', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25',
			'2026-07-13', '2026-08-31', '2026-12-25', '2026-12-28'
		]
	}
};

describe('holidaysInYear against the GOV.UK lists', () => {
	for (const region of REGIONS) {
		for (const year of [2023, 2024, 2025, 2026]) {
			it(`gives the published ${year} bank holidays for ${region}`, () => {
				expect(datesIn(year, region)).toEqual(OFFICIAL[region][year]);
			});
		}
	}

	it('lists the 2022 jubilee and state funeral changes in England and Wales', () => {
		expect(holidaysInYear(2022, 'england-and-wales')).toEqual([
			{ date: '2022-01-03', name: "New Year's Day (substitute day)" },
			{ date: '2022-04-15', name: 'Good Friday' },
			{ date: '2022-04-18', name: 'Easter Monday' },
			{ date: '2022-05-02', name: 'Early May bank holiday' },
			{ date: '2022-06-02', name: 'Spring bank holiday' },
			{ date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
			{ date: '2022-08-29', name: 'Summer bank holiday' },
			{ date: '2022-09-19', name: 'Bank holiday for the State Funeral of Queen Elizabeth II' },
			{ date: '2022-12-26', name: 'Boxing Day' },
			{ date: '2022-12-27', name: 'Christmas Day (substitute day)' }
		]);
	});

	it('gives Scotland 3 and 4 January when New Year falls on a weekend, as in 2022', () => {
		expect(datesIn(2022, 'scotland')).toEqual([
			'2022-01-03',
			'2022-01-04',
			'2022-04-15',
			'2022-05-02',
			'2022-06-02',
			'2022-06-03',
			'2022-08-01',
			'2022-09-19',
			'2022-11-30',
			'2022-12-26',
			'2022-12-27'
		]);
	});

	it('gives Northern Ireland the 2022 changes as well as its own holidays', () => {
		expect(datesIn(2022, 'northern-ireland')).toEqual([
			'2022-01-03',
			'2022-03-17',
			'2022-04-15',
			'2022-04-18',
			'2022-05-02',
			'2022-06-02',
			'2022-06-03',
			'2022-07-12',
			'2022-08-29',
			'2022-09-19',
			'2022-12-26',
			'2022-12-27'
		]);
	});

	it('moves the 2012 spring bank holiday to 4 June and adds the Diamond Jubilee on 5 June', () => {
		expect(datesIn(2012, 'england-and-wales')).toEqual([
			'2012-01-02',
			'2012-04-06',
			'2012-04-09',
			'2012-05-07',
			'2012-06-04',
			'2012-06-05',
			'2012-08-27',
			'2012-12-25',
			'2012-12-26'
		]);
		expect(datesIn(2012, 'scotland')).toEqual([
			'2012-01-02',
			'2012-01-03',
			'2012-04-06',
			'2012-05-07',
			'2012-06-04',
			'2012-06-05',
			'2012-08-06',
			'2012-11-30',
			'2012-12-25',
			'2012-12-26'
		]);
	});

	it('moves the 2020 early May bank holiday to Friday 8 May for VE day', () => {
		expect(datesIn(2020, 'england-and-wales')).toEqual([
			'2020-01-01',
			'2020-04-10',
			'2020-04-13',
			'2020-05-08',
			'2020-05-25',
			'2020-08-31',
			'2020-12-25',
			'2020-12-28'
		]);
	});

	it('moves the 1995 early May bank holiday to 8 May for VE day', () => {
		const dates = datesIn(1995, 'england-and-wales');
		expect(dates).toContain('1995-05-08');
		expect(dates).not.toContain('1995-05-01');
	});

	it('adds the 2011 royal wedding and the 1981 one', () => {
		expect(datesIn(2011, 'england-and-wales')).toEqual([
			'2011-01-03',
			'2011-04-22',
			'2011-04-25',
			'2011-04-29',
			'2011-05-02',
			'2011-05-30',
			'2011-08-29',
			'2011-12-26',
			'2011-12-27'
		]);
		expect(isPublicHoliday('1981-07-29', 'scotland')).toBe(true);
	});

	it('moves the 2002 spring bank holiday to 3 June and adds the Golden Jubilee on 4 June', () => {
		expect(datesIn(2002, 'england-and-wales')).toEqual([
			'2002-01-01',
			'2002-03-29',
			'2002-04-01',
			'2002-05-06',
			'2002-06-03',
			'2002-06-04',
			'2002-08-26',
			'2002-12-25',
			'2002-12-26'
		]);
	});

	it('adds 31 December 1999 for the millennium beside the Christmas substitutes', () => {
		expect(datesIn(1999, 'england-and-wales')).toEqual([
			'1999-01-01',
			'1999-04-02',
			'1999-04-05',
			'1999-05-03',
			'1999-05-31',
			'1999-08-30',
			'1999-12-27',
			'1999-12-28',
			'1999-12-31'
		]);
	});

	it('adds the 2023 coronation on Monday 8 May in every region', () => {
		for (const region of REGIONS) expect(isPublicHoliday('2023-05-08', region)).toBe(true);
	});
});

describe('substitute days', () => {
	it('moves Christmas on a Saturday to Monday 27 and Boxing Day to Tuesday 28', () => {
		expect(holidaysInYear(2021, 'england-and-wales').slice(-2)).toEqual([
			{ date: '2021-12-27', name: 'Christmas Day (substitute day)' },
			{ date: '2021-12-28', name: 'Boxing Day (substitute day)' }
		]);
		expect(datesIn(2027, 'england-and-wales').slice(-2)).toEqual(['2027-12-27', '2027-12-28']);
	});

	it('keeps Boxing Day on Monday 26 and moves Christmas on a Sunday to Tuesday 27', () => {
		expect(holidaysInYear(2016, 'england-and-wales').slice(-2)).toEqual([
			{ date: '2016-12-26', name: 'Boxing Day' },
			{ date: '2016-12-27', name: 'Christmas Day (substitute day)' }
		]);
	});

	it('moves New Year on a Sunday to Monday 2 January in England and Wales', () => {
		expect(holidaysInYear(2023, 'england-and-wales')[0]).toEqual({
			date: '2023-01-02',
			name: "New Year's Day (substitute day)"
		});
	});

	it('keeps 2 January on the Monday in Scotland and moves a Sunday New Year to 3 January', () => {
		expect(holidaysInYear(2017, 'scotland').slice(0, 2)).toEqual([
			{ date: '2017-01-02', name: '2nd January' },
			{ date: '2017-01-03', name: "New Year's Day (substitute day)" }
		]);
	});

	it('moves a Saturday 2 January to Monday 4 January in Scotland', () => {
		expect(datesIn(2016, 'scotland').slice(0, 2)).toEqual(['2016-01-01', '2016-01-04']);
	});

	it('moves New Year in 2028 (a Saturday) to the 3rd, and in Scotland 2 January to the 4th', () => {
		expect(datesIn(2028, 'england-and-wales')[0]).toBe('2028-01-03');
		expect(datesIn(2028, 'scotland').slice(0, 2)).toEqual(['2028-01-03', '2028-01-04']);
	});

	it("moves St Andrew's Day on a weekend to the Monday", () => {
		expect(holidaysInYear(2013, 'scotland')).toContainEqual({
			date: '2013-12-02',
			name: "St Andrew's Day (substitute day)"
		});
	});

	it('moves the Battle of the Boyne on a Sunday to the Monday in Northern Ireland', () => {
		expect(isPublicHoliday('2026-07-13', 'northern-ireland')).toBe(true);
		expect(isPublicHoliday('2026-07-13', 'england-and-wales')).toBe(false);
	});
});

describe('regional differences', () => {
	it('gives Easter Monday in England and Wales and Northern Ireland but not Scotland', () => {
		expect(isPublicHoliday('2025-04-21', 'england-and-wales')).toBe(true);
		expect(isPublicHoliday('2025-04-21', 'northern-ireland')).toBe(true);
		expect(isPublicHoliday('2025-04-21', 'scotland')).toBe(false);
		expect(isPublicHoliday('2025-04-18', 'scotland')).toBe(true);
	});

	it('puts the summer bank holiday on the first Monday in August in Scotland and the last elsewhere', () => {
		expect(isPublicHoliday('2025-08-04', 'scotland')).toBe(true);
		expect(isPublicHoliday('2025-08-04', 'england-and-wales')).toBe(false);
		expect(isPublicHoliday('2025-08-25', 'scotland')).toBe(false);
		expect(isPublicHoliday('2025-08-25', 'northern-ireland')).toBe(true);
	});

	it("has St Andrew's Day only from 2007, when the Scottish Act created it", () => {
		expect(isPublicHoliday('2007-11-30', 'scotland')).toBe(true);
		expect(isPublicHoliday('2006-11-30', 'scotland')).toBe(false);
	});

	it("gives St Patrick's Day and the Boyne only in Northern Ireland", () => {
		expect(isPublicHoliday('2025-03-17', 'northern-ireland')).toBe(true);
		expect(isPublicHoliday('2025-03-17', 'scotland')).toBe(false);
		expect(isPublicHoliday('2024-07-12', 'northern-ireland')).toBe(true);
		expect(isPublicHoliday('2024-07-12', 'england-and-wales')).toBe(false);
	});
});

describe('Easter', () => {
	// Easter Sundays from published tables, including the earliest (22 March) and latest (25 April) possible.
	const easterSundays = [
		'1818-03-22',
		'2000-04-23',
		'2008-03-23',
		'2011-04-24',
		'2019-04-21',
		'2038-04-25',
		'2285-03-22'
	];
	const shift = (date: string, days: number) =>
		new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);

	for (const sunday of easterSundays) {
		it(`puts Good Friday and Easter Monday around Easter Sunday ${sunday}`, () => {
			const year = Number(sunday.slice(0, 4));
			const holidays = holidaysInYear(year, 'england-and-wales');
			expect(holidays).toContainEqual({ date: shift(sunday, -2), name: 'Good Friday' });
			expect(holidays).toContainEqual({ date: shift(sunday, 1), name: 'Easter Monday' });
		});
	}
});

describe('invalid input', () => {
	it('refuses a year that is not a whole number from 1 to 9999', () => {
		expect(() => holidaysInYear(2025.5, 'scotland')).toThrow(RangeError);
		expect(() => holidaysInYear(0, 'scotland')).toThrow(/0/);
		expect(() => holidaysInYear(Number.NaN, 'scotland')).toThrow(RangeError);
	});

	it('refuses an unknown region, naming it', () => {
		expect(() => holidaysInYear(2025, 'wales' as Region)).toThrow(/"wales"/);
		expect(() => isPublicHoliday('2025-12-25', 'ireland' as Region)).toThrow(RangeError);
	});

	it('refuses a date that is not a real YYYY-MM-DD date, naming it', () => {
		for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '25-12-2025', '', '2025-12-25T00:00:00Z']) {
			expect(() => isPublicHoliday(bad, 'england-and-wales')).toThrow(RangeError);
		}
		expect(() => isPublicHoliday('2025-02-29', 'england-and-wales')).toThrow(/2025-02-29/);
	});
});

describe('properties over the years 1978–2199', () => {
	const year = fc.integer({ min: 1978, max: 2199 });
	const region = fc.constantFrom(...REGIONS);
	const yearsWithOneOffs = new Set([1981, 1995, 1999, 2002, 2011, 2012, 2020, 2022, 2023]);

	it('lists holidays in date order, once each, inside the year and never on a weekend', () => {
		fc.assert(
			fc.property(year, region, (y, r) => {
				const dates = datesIn(y, r);
				for (const [i, date] of dates.entries()) {
					expect(date.startsWith(`${y}-`)).toBe(true);
					expect([0, 6]).not.toContain(weekdayOf(date));
					if (i > 0) expect(date > (dates[i - 1] ?? '')).toBe(true);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('gives 8 holidays in England and Wales, 9 in Scotland, 10 in Northern Ireland in an ordinary year', () => {
		const expected: Record<Region, number> = { 'england-and-wales': 8, scotland: 9, 'northern-ireland': 10 };
		// From 2007, when St Andrew's Day became Scotland's ninth.
		const ordinaryYear = fc.integer({ min: 2007, max: 2199 }).filter((y) => !yearsWithOneOffs.has(y));
		fc.assert(
			fc.property(
				ordinaryYear,
				region,
				(y, r) => {
					expect(holidaysInYear(y, r)).toHaveLength(expected[r]);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('always has Good Friday two days before an Easter Monday in England and Wales', () => {
		fc.assert(
			fc.property(year, (y) => {
				const holidays = holidaysInYear(y, 'england-and-wales');
				const goodFriday = holidays.find((h) => h.name === 'Good Friday')?.date ?? '';
				const easterMonday = holidays.find((h) => h.name === 'Easter Monday')?.date ?? '';
				const gap = new Date(`${easterMonday}T00:00:00Z`).getTime() - new Date(`${goodFriday}T00:00:00Z`).getTime();
				expect(weekdayOf(goodFriday)).toBe(5);
				expect(gap).toBe(3 * 86_400_000);
				expect(goodFriday >= `${y}-03-20` && easterMonday <= `${y}-04-26`).toBe(true);
			})
		);
	});

	it('agrees with isPublicHoliday for every listed date', () => {
		fc.assert(
			fc.property(year, region, (y, r) => {
				for (const { date } of holidaysInYear(y, r)) expect(isPublicHoliday(date, r)).toBe(true);
			})
		);
	});
});

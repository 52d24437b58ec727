/**
 * UK public (bank) holidays for each holiday region, computed for any year so that no deadline
 * depends on a network call or on a list someone forgot to update.
 *
 * Sources: Banking and Financial Dealings Act 1971 Sch 1 and the royal proclamations made under
 * it; St Andrew's Day Bank Holiday (Scotland) Act 2007; GOV.UK "UK bank holidays" for substitute
 * days and one-off changes. The lists are meant to be right from 1978, when the early May bank
 * holiday made the current pattern complete. Earlier years get the same pattern projected
 * backwards, which is not how they were (no early May holiday, and before 1971 Whit Monday and the
 * first Monday in August), so a date before 1978 is only as good as that projection.
 */
import { MS_PER_DAY, dayNumber, dayNumberOf, formatDay, pad, weekday } from './plain-date';

/** The three holiday regions of the UK; the organisation's region is one of its settings. */
export type Region = 'england-and-wales' | 'scotland' | 'northern-ireland';

export interface PublicHoliday {
	/** The day the holiday is taken, YYYY-MM-DD: a substitute day where the holiday fell on a weekend. */
	date: string;
	name: string;
}

const REGIONS: readonly Region[] = ['england-and-wales', 'scotland', 'northern-ireland'];
const EW_AND_NI: readonly Region[] = ['england-and-wales', 'northern-ireland'];

const JANUARY = 1;
const MARCH = 3;
const MAY = 5;
const JULY = 7;
const AUGUST = 8;
const NOVEMBER = 11;
const DECEMBER = 12;
const MONDAY = 1;

/** Names of the computed holidays, so that a declared change can say which one it moves. */
type HolidayKey =
	| 'new-year'
	| 'second-january'
	| 'st-patrick'
	| 'good-friday'
	| 'easter-monday'
	| 'early-may'
	| 'spring'
	| 'boyne'
	| 'summer'
	| 'st-andrew'
	| 'christmas'
	| 'boxing-day';

interface HolidayRule {
	key: HolidayKey;
	name: string;
	regions: readonly Region[];
	/** First year the holiday existed, where that is within the years this module claims to get right. */
	since?: number;
	/** The holiday's own date in the year, as a day number (it may fall on a weekend). */
	day(year: number): number;
}

// Banking and Financial Dealings Act 1971 Sch 1, and the holidays proclaimed under it every year
// (among them New Year's Day in England and Wales, the early May holiday and the Boyne).
const RULES: readonly HolidayRule[] = [
	{ key: 'new-year', name: "New Year's Day", regions: REGIONS, day: (y) => dayNumber(y, JANUARY, 1) },
	{ key: 'second-january', name: '2nd January', regions: ['scotland'], day: (y) => dayNumber(y, JANUARY, 2) },
	{
		key: 'st-patrick',
		name: "St Patrick's Day",
		regions: ['northern-ireland'],
		day: (y) => dayNumber(y, MARCH, 17)
	},
	{ key: 'good-friday', name: 'Good Friday', regions: REGIONS, day: (y) => easterSunday(y) - 2 },
	// Easter Monday is not a bank holiday in Scotland (1971 Act Sch 1 para 2).
	{ key: 'easter-monday', name: 'Easter Monday', regions: EW_AND_NI, day: (y) => easterSunday(y) + 1 },
	{ key: 'early-may', name: 'Early May bank holiday', regions: REGIONS, day: (y) => firstMonday(y, MAY) },
	{ key: 'spring', name: 'Spring bank holiday', regions: REGIONS, day: (y) => lastMonday(y, MAY) },
	{
		key: 'boyne',
		name: "Battle of the Boyne (Orangemen's Day)",
		regions: ['northern-ireland'],
		day: (y) => dayNumber(y, JULY, 12)
	},
	// The summer bank holiday is the first Monday in August in Scotland, the last elsewhere.
	{ key: 'summer', name: 'Summer bank holiday', regions: EW_AND_NI, day: (y) => lastMonday(y, AUGUST) },
	{ key: 'summer', name: 'Summer bank holiday', regions: ['scotland'], day: (y) => firstMonday(y, AUGUST) },
	{
		key: 'st-andrew',
		name: "St Andrew's Day",
		regions: ['scotland'],
		since: 2007, // St Andrew's Day Bank Holiday (Scotland) Act 2007
		day: (y) => dayNumber(y, NOVEMBER, 30)
	},
	{ key: 'christmas', name: 'Christmas Day', regions: REGIONS, day: (y) => dayNumber(y, DECEMBER, 25) },
	{ key: 'boxing-day', name: 'Boxing Day', regions: REGIONS, day: (y) => dayNumber(y, DECEMBER, 26) }
];

interface DeclaredChange {
	date: string;
	name: string;
	/** The computed holiday this one moves; absent for an extra holiday. */
	replaces?: HolidayKey;
}

// One-off changes proclaimed for particular years (GOV.UK bank holidays; London Gazette). Every
// one so far has applied in all three regions, so the table has no region column.
const DECLARED_CHANGES: readonly DeclaredChange[] = [
	{ date: '1981-07-29', name: 'Royal wedding of the Prince of Wales and Lady Diana Spencer' },
	{ date: '1995-05-08', name: 'Early May bank holiday (VE day)', replaces: 'early-may' },
	{ date: '1999-12-31', name: 'Millennium celebrations' },
	{ date: '2002-06-03', name: 'Spring bank holiday', replaces: 'spring' },
	{ date: '2002-06-04', name: "Queen's Golden Jubilee" },
	{ date: '2011-04-29', name: 'Royal wedding of Prince William and Catherine Middleton' },
	{ date: '2012-06-04', name: 'Spring bank holiday', replaces: 'spring' },
	{ date: '2012-06-05', name: "Queen's Diamond Jubilee" },
	{ date: '2020-05-08', name: 'Early May bank holiday (VE day)', replaces: 'early-may' },
	{ date: '2022-06-02', name: 'Spring bank holiday', replaces: 'spring' },
	{ date: '2022-06-03', name: 'Platinum Jubilee bank holiday' },
	{ date: '2022-09-19', name: 'Bank holiday for the State Funeral of Queen Elizabeth II' },
	{ date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' }
];

interface Observance {
	day: number;
	name: string;
}

/**
 * The public holidays of a region in a year, sorted by date, each on the day it is taken: a holiday
 * falling on a Saturday or Sunday is listed on its substitute day instead, as GOV.UK lists them.
 */
export function holidaysInYear(year: number, region: Region): PublicHoliday[] {
	if (!Number.isInteger(year) || year < 1 || year > 9999) {
		throw new RangeError(`Invalid year ${String(year)}: expected a whole number from 1 to 9999`);
	}
	assertRegion(region);

	const declaredThisYear = DECLARED_CHANGES.filter((change) => change.date.startsWith(`${pad(year, 4)}-`));
	const moved = new Set(declaredThisYear.flatMap((change) => (change.replaces ? [change.replaces] : [])));

	const applies = (rule: HolidayRule) =>
		rule.regions.includes(region) && (rule.since === undefined || year >= rule.since) && !moved.has(rule.key);
	const observances: Observance[] = [
		...RULES.filter(applies).map((rule) => ({ day: rule.day(year), name: rule.name })),
		...declaredThisYear.map((change) => ({ day: dayNumberOf(change.date), name: change.name }))
	];

	// A holiday on a weekend is taken on the next weekday that is not already a holiday, working
	// through them in date order: Christmas on a Saturday → Monday 27, Boxing Day → Tuesday 28; in
	// Scotland, 1 January on a Sunday → Tuesday 3, because 2 January (Monday) is a holiday itself.
	const holidays = observances.filter((o) => !isWeekend(o.day));
	const taken = new Set(holidays.map((o) => o.day));
	for (const observance of observances.filter((o) => isWeekend(o.day)).sort((a, b) => a.day - b.day)) {
		let substitute = observance.day + 1;
		while (isWeekend(substitute) || taken.has(substitute)) substitute += 1;
		taken.add(substitute);
		holidays.push({ day: substitute, name: `${observance.name} (substitute day)` });
	}

	return holidays.sort((a, b) => a.day - b.day).map((h) => ({ date: formatDay(h.day), name: h.name }));
}

/** Whether the date (YYYY-MM-DD) is a public holiday, or a substitute day for one, in the region. */
export function isPublicHoliday(date: string, region: Region): boolean {
	const day = dayNumberOf(date);
	const year = new Date(day * MS_PER_DAY).getUTCFullYear();
	return holidaysInYear(year, region).some((holiday) => holiday.date === date);
}

function assertRegion(region: string): asserts region is Region {
	if (!(REGIONS as readonly string[]).includes(region)) {
		throw new RangeError(`Invalid region ${JSON.stringify(region)}: expected one of ${REGIONS.join(', ')}`);
	}
}

/**
 * Easter Sunday by the Gregorian computus (the anonymous algorithm published by Meeus), as a day
 * number; Good Friday and Easter Monday follow from it.
 */
function easterSunday(year: number): number {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return dayNumber(year, month, day);
}

function firstMonday(year: number, month: number): number {
	const first = dayNumber(year, month, 1);
	return first + ((MONDAY - weekday(first) + 7) % 7);
}

function lastMonday(year: number, month: number): number {
	const last = dayNumber(year, month + 1, 0);
	return last - ((weekday(last) - MONDAY + 7) % 7);
}

function isWeekend(day: number): boolean {
	const dow = weekday(day);
	return dow === 0 || dow === 6;
}


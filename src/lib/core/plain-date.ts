/**
 * Plain dates (YYYY-MM-DD, no time or zone) as day numbers: days since 1970-01-01 computed in UTC,
 * so that adding a day is adding one and the server's local time zone never enters. Deadlines and
 * the bank-holiday calendar count in these.
 */

export const MS_PER_DAY = 86_400_000;

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The year, month and day of a real date written YYYY-MM-DD; a RangeError for anything else. */
export function parsePlainDate(value: string): { year: number; month: number; day: number } {
	const match = typeof value === 'string' ? PLAIN_DATE.exec(value) : null;
	const year = Number(match?.[1]);
	const month = Number(match?.[2]);
	const day = Number(match?.[3]);
	if (match === null || year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
		throw new RangeError(`Invalid date ${JSON.stringify(value)}: expected a real date as YYYY-MM-DD`);
	}
	return { year, month, day };
}

/** The day number of a date written YYYY-MM-DD. */
export function dayNumberOf(value: string): number {
	const { year, month, day } = parsePlainDate(value);
	return dayNumber(year, month, day);
}

export function dayNumber(year: number, month: number, day: number): number {
	const date = new Date(0);
	// setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999; day 0 is the last
	// day of the month before, which daysInMonth and the last-Monday holidays rely on.
	date.setUTCFullYear(year, month - 1, day);
	return Math.round(date.getTime() / MS_PER_DAY);
}

export function daysInMonth(year: number, month: number): number {
	return dayNumber(year, month + 1, 0) - dayNumber(year, month, 0);
}

/** The date of a day number, written YYYY-MM-DD. */
export function formatDay(day: number): string {
	const date = new Date(day * MS_PER_DAY);
	return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** 0 = Sunday … 6 = Saturday; 1 January 1970 was a Thursday. */
export function weekday(day: number): number {
	return (((day + 4) % 7) + 7) % 7;
}

export function pad(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

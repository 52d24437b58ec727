/**
 * The organisation's calendar: the UK date of an instant. A request received at 00:30 on 1 April
 * British Summer Time was received on 1 April, although it is still 31 March in UTC; deadlines and
 * authority dates are counted in these dates, never in the server's local time zone.
 */
const UK_DATE = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'Europe/London',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

const MS_PER_DAY = 86_400_000;

/** YYYY-MM-DD in Europe/London of an ISO 8601 instant. */
export function ukDateOf(instant: string): string {
	const ms = Date.parse(instant);
	if (Number.isNaN(ms)) throw new RangeError(`Invalid instant ${JSON.stringify(instant)}`);
	return UK_DATE.format(new Date(ms));
}

/** Whole calendar days from one YYYY-MM-DD to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** An ISO 8601 instant with offset, normalised to UTC with milliseconds (as ctx.clock gives). */
export function toUtcInstant(instant: string): string {
	return new Date(Date.parse(instant)).toISOString();
}

/**
 * The instant a UK calendar day (YYYY-MM-DD) begins, in UTC: midnight GMT in winter, 23:00 UTC the
 * day before in British Summer Time. Clocks change at 01:00 UTC, so midnight itself is never skipped
 * or repeated and there is always exactly one such instant.
 */
export function ukDayStart(date: string): string {
	const midnightUtc = Date.parse(`${date}T00:00:00Z`);
	// Date.parse accepts 30 February (as 2 March): a real date reads back unchanged.
	if (Number.isNaN(midnightUtc) || new Date(midnightUtc).toISOString().slice(0, 10) !== date) throw new RangeError(`Invalid date ${JSON.stringify(date)}`);
	const summerMidnight = midnightUtc - 3_600_000;
	return new Date(UK_DATE.format(new Date(summerMidnight)) === date ? summerMidnight : midnightUtc).toISOString();
}

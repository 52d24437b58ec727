/**
 * The deadlines the core enforces: when a rights request must be answered, and when a breach must
 * be reported to the ICO (DOMAIN.md §4 and §6).
 *
 * These are called by code that has already validated its input, so a malformed date is a bug and
 * throws a RangeError naming the value, rather than returning a typed error.
 */
import { isPublicHoliday, type Region } from './holidays';
import { MS_PER_DAY, dayNumber, dayNumberOf, daysInMonth, formatDay, parsePlainDate, weekday } from './plain-date';

export type { Region } from './holidays';

const MS_PER_MINUTE = 60_000;
// UK GDPR Art 33(1): "not later than 72 hours after having become aware of it"
const BREACH_REPORT_WINDOW_MS = 72 * 60 * MS_PER_MINUTE;

/**
 * The date by which a rights request must be answered, counted from its relevant time: the latest
 * of receiving the request, ID reasonably asked for, and any fee allowed.
 */
export function responseDueDate(
	relevantDate: string,
	options: { region: Region; extended?: boolean }
): string {
	const { year, month, day } = parsePlainDate(relevantDate);
	// UK GDPR Art 12(3): one month, extendable by two further months for complex or numerous requests
	const months = options.extended === true ? 3 : 1;
	const monthIndex = month - 1 + months;
	const dueYear = year + Math.floor(monthIndex / 12);
	const dueMonth = (monthIndex % 12) + 1;
	if (dueYear > 9999) {
		throw new RangeError(`The due date for ${JSON.stringify(relevantDate)} falls after 9999-12-31`);
	}
	// ICO right of access: the day of receipt counts as day one, so the period ends on the same date
	// number in the month it ends in, or on that month's last day where there is no such date
	let due = dayNumber(dueYear, dueMonth, Math.min(day, daysInMonth(dueYear, dueMonth)));
	// ICO right of access: a deadline on a weekend or public holiday moves to the next working day
	while (!isWorkingDay(formatDay(due), options.region)) due += 1;
	return formatDay(due);
}

/**
 * The response due date when the clock stopped while the organisation waited for clarification
 * it reasonably needed (ICO right of access: the time limit is paused until clarification arrives).
 *
 * Interpretation (DOMAIN.md §4 leaves it open): `pausedDays` is the number of calendar days from the
 * day clarification was asked for to the day it arrived (arrival date minus asking date; several
 * pauses are summed), and the request is treated as if its relevant time were that many days later:
 * effective relevant date = relevant date + paused days, then the usual rule. So the month-end and
 * holiday rules apply to the moved date, and a pause can be absorbed by them: 28 January 2025
 * paused 3 days counts from 31 January and is still due on 28 February, as every request received
 * from 28 to 31 January is; and 18 March 2025 paused 2 days is due on 22 April, as is the unpaused
 * one (Easter). Adding the paused days to the due date instead would give 3 March and 24 April.
 */
export function addClarificationPause(
	relevantDate: string,
	pausedDays: number,
	options: { region: Region; extended?: boolean }
): string {
	if (!Number.isInteger(pausedDays) || pausedDays < 0) {
		throw new RangeError(
			`Invalid clarification pause ${String(pausedDays)}: expected a whole number of days, 0 or more`
		);
	}
	const effectiveRelevantDate = formatDay(dayNumberOf(relevantDate) + pausedDays);
	return responseDueDate(effectiveRelevantDate, options);
}

/**
 * When a reportable breach must reach the ICO: 72 elapsed hours after the organisation became aware
 * of it, with no working-day adjustment, so Friday 16:00 → Monday 16:00. Counting elapsed time on
 * the instant means a window spanning a clock change still lasts 72 real hours.
 *
 * @param awareAt ISO 8601 date-time with an explicit offset (Z or ±HH:MM); without one the moment
 *   would depend on the server's time zone, so it is refused.
 * @returns ISO 8601 in UTC, e.g. 2025-06-09T15:00:00.000Z
 */
export function breachReportDueAt(awareAt: string): string {
	return new Date(parseInstant(awareAt) + BREACH_REPORT_WINDOW_MS).toISOString();
}

/** Whether the date is neither a weekend day nor a public holiday (or substitute day) of the region. */
export function isWorkingDay(date: string, region: Region): boolean {
	const dow = weekday(dayNumberOf(date));
	// Checked even at weekends so that an unknown region is always refused.
	const holiday = isPublicHoliday(date, region);
	return dow !== 0 && dow !== 6 && !holiday;
}

// RFC 3339 profile of ISO 8601: seconds and fraction optional, offset (Z or ±HH:MM) required.
const LOCAL_DATE_TIME = /^(?<date>\d{4}-\d{2}-\d{2})T(?<h>\d{2}):(?<m>\d{2})(?::(?<s>\d{2})(?:\.(?<fraction>\d+))?)?/;
const OFFSET = /(?:Z|(?<sign>[+-])(?<offsetH>\d{2}):?(?<offsetM>\d{2}))$/;
const INSTANT = new RegExp(LOCAL_DATE_TIME.source + OFFSET.source);

/** Milliseconds since the epoch for an ISO 8601 date-time with offset, checked field by field. */
function parseInstant(value: string): number {
	const invalid = () =>
		new RangeError(
			`Invalid date-time ${JSON.stringify(value)}: expected ISO 8601 with an offset, e.g. 2025-06-06T16:00+01:00`
		);
	const fields = (typeof value === 'string' ? INSTANT.exec(value) : null)?.groups;
	if (fields === undefined) throw invalid();
	let day: number;
	try {
		day = dayNumberOf(fields.date ?? '');
	} catch {
		throw invalid();
	}
	const hours = Number(fields.h);
	const minutes = Number(fields.m);
	const seconds = Number(fields.s ?? 0);
	const offsetHours = Number(fields.offsetH ?? 0);
	const offsetMinutes = Number(fields.offsetM ?? 0);
	if (hours > 23 || minutes > 59 || seconds > 59 || offsetHours > 23 || offsetMinutes > 59) throw invalid();
	const offset = (fields.sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
	// Sub-millisecond digits are dropped: a Date holds milliseconds.
	const ms = Number((fields.fraction ?? '').slice(0, 3).padEnd(3, '0'));
	return day * MS_PER_DAY + ((hours * 60 + minutes - offset) * 60 + seconds) * 1000 + ms;
}

/**
 * Dates as the app shows them. Every instant is stored in UTC; the centre and every scenario's
 * organisation are in the UK, so instants are shown on the UK clock (GMT or BST), the same on the
 * server and in the browser whatever either machine's own zone. A plain YYYY-MM-DD value is a
 * calendar day, not an instant: it is shown as that day, never shifted by a zone.
 *
 * Each shape is assembled from Intl's parts rather than taken from its formatted string, so the
 * server and the browser (different ICU versions punctuate differently) render the same text.
 * A value that is not a date is shown as it was given.
 */
import { ukDateOf } from '$lib/core/uk-date';

const UK = 'Europe/London';
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Formatters by their options: making one costs far more than using it, and a page formats hundreds of times. */
const formatters = new Map<string, Intl.DateTimeFormat>();

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

/** The parts of an instant (UK clock) or of a plain date (that calendar day); {} when it is neither. */
function parts(value: string, options: Intl.DateTimeFormatOptions): Parts {
	const plain = PLAIN_DATE.test(value);
	const date = new Date(plain ? `${value}T12:00:00Z` : value);
	if (Number.isNaN(date.getTime())) return {};
	const timeZone = plain ? 'UTC' : UK;
	const key = `${timeZone} ${JSON.stringify(options)}`;
	let format = formatters.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
		formatters.set(key, format);
	}
	const out: Parts = {};
	for (const p of format.formatToParts(date)) out[p.type] = p.value;
	return out;
}

const CLOCK = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/** Today's date in the UK (YYYY-MM-DD): due dates, deadlines and dates witnessed are UK calendar dates. */
export function ukToday(now: Date = new Date()): string {
	return ukDateOf(now.toISOString());
}

/** A real moment: "24 Nov 2025, 14:13". */
export function formatDateTime(iso: string): string {
	const p = parts(iso, { day: 'numeric', month: 'short', year: 'numeric', ...CLOCK });
	return p.hour === undefined ? iso : `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** A moment with its weekday, as the desk's record system stamps it: "Fri 7 Mar 2025, 15:41". */
export function formatWeekdayDateTime(iso: string): string {
	const p = parts(iso, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', ...CLOCK });
	return p.hour === undefined ? iso : `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** A moment within a known year (a transcript line): "7 Mar, 15:41". */
export function formatDayTime(iso: string): string {
	const p = parts(iso, { day: 'numeric', month: 'short', ...CLOCK });
	return p.hour === undefined ? iso : `${p.day} ${p.month}, ${p.hour}:${p.minute}`;
}

/** A time on the scenario clock: "15:46". */
export function formatClock(iso: string): string {
	const p = parts(iso, CLOCK);
	return p.hour === undefined ? iso : `${p.hour}:${p.minute}`;
}

/** A day on the scenario clock: "Fri 7 Mar". */
export function formatClockDay(iso: string): string {
	const p = parts(iso, { weekday: 'short', day: 'numeric', month: 'short' });
	return p.day === undefined ? iso : `${p.weekday} ${p.day} ${p.month}`;
}

/** A day, from an instant or a plain date: "7 Mar 2025". */
export function formatDate(value: string): string {
	const p = parts(value, { day: 'numeric', month: 'short', year: 'numeric' });
	return p.day === undefined ? value : `${p.day} ${p.month} ${p.year}`;
}

/** A day written out, from an instant or a plain date: "7 March 2025". */
export function formatLongDate(value: string): string {
	const p = parts(value, { day: 'numeric', month: 'long', year: 'numeric' });
	return p.day === undefined ? value : `${p.day} ${p.month} ${p.year}`;
}

/** A day written out with its weekday (a due date): "Fri 7 March 2025". */
export function formatLongWeekdayDate(value: string): string {
	const p = parts(value, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric' });
	return p.day === undefined ? value : `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** The value a datetime-local input shows for an instant, on the UK clock: "2025-03-07T15:41"; '' when it is not one. */
export function ukLocalInput(iso: string): string {
	if (PLAIN_DATE.test(iso)) return '';
	const p = parts(iso, { year: 'numeric', month: '2-digit', day: '2-digit', ...CLOCK });
	return p.year === undefined ? '' : `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * A datetime-local value ("2025-03-07T15:41", UK wall time) as a UTC ISO instant, or undefined when
 * it is not one. A wall time the spring change skips (01:30 on the last Sunday of March) is not one;
 * one the autumn change repeats reads as the earlier, summer-time moment.
 */
export function ukInstant(local: string): string | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
	if (!m) return undefined;
	const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
	const asUtc = Date.UTC(y, mo - 1, d, h, mi);
	if (Number.isNaN(asUtc)) return undefined;
	for (const offsetHours of [1, 0]) {
		const instant = new Date(asUtc - offsetHours * 3_600_000).toISOString();
		if (ukLocalInput(instant) === local.trim()) return instant;
	}
	return undefined;
}

/** 09:00 UK time on a calendar day, as a UTC instant: a seed file's plain dates mean the start of the working day. */
export function ukNineAm(date: string): string {
	const winter = `${date}T09:00:00.000Z`;
	// British Summer Time: 09:00 in London is 08:00 UTC (clocks change at 01:00 UTC, never near 08:00 or 09:00).
	return formatClock(winter) === '09:00' ? winter : `${date}T08:00:00.000Z`;
}

/**
 * How the learner's pages show instants. Every instant is stored in UTC; the centre and every
 * scenario's organisation are in the UK, so both clocks are shown in UK time (GMT or BST), the same
 * on the server and in the browser, whatever either machine's own time zone.
 */
const UK = 'Europe/London';

const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: UK, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const date = new Intl.DateTimeFormat('en-GB', { timeZone: UK, weekday: 'short', day: 'numeric', month: 'short' });
const time = new Intl.DateTimeFormat('en-GB', { timeZone: UK, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A real moment: "24 Nov 2025, 14:13". */
export function formatDateTime(iso: string): string {
	return dateTime.format(new Date(iso));
}

/** A time on the scenario clock: "15:46". */
export function formatClock(iso: string): string {
	return time.format(new Date(iso));
}

/** A day on the scenario clock: "Fri 7 Mar". */
export function formatClockDay(iso: string): string {
	return date.format(new Date(iso));
}

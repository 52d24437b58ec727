/**
 * The scenario clock: a simulated "now" that starts where the file says and moves only as the
 * attempt goes on, so that deadlines and "within 72 hours" rules are reproducible.
 *
 * Durations are written as words: "1 minute", "90 minutes", "2 hours", "2 days later", "1 week".
 * A day is 24 hours of the clock (UTC instants), so "2 days later" from 15:40 on a Friday is 15:40
 * on the Sunday whatever the daylight-saving change in between.
 */

const DURATION = /^([1-9]\d{0,4}) (minute|minutes|hour|hours|day|days|week|weeks)( later)?$/;

const UNIT_MS: Record<string, number> = {
	minute: 60_000,
	hour: 3_600_000,
	day: 86_400_000,
	week: 604_800_000
};

export const DURATION_HINT = 'expected a duration like "1 minute", "2 hours" or "2 days later"';

export function isDuration(text: string): boolean {
	return DURATION.test(text);
}

/** The length of a duration in milliseconds; throws on text that is not one (check with isDuration). */
export function durationMs(text: string): number {
	const match = DURATION.exec(text);
	if (!match) throw new Error(`durationMs: "${text}" is not a duration`);
	const unit = match[2]!.replace(/s$/, '');
	return Number(match[1]) * UNIT_MS[unit]!;
}

/** The instant `ms` after `iso`, as an ISO 8601 UTC string (the form the core's clock returns). */
export function addMs(iso: string, ms: number): string {
	return new Date(Date.parse(iso) + ms).toISOString();
}

/**
 * Words and times for the simulation screen: the record system's codes in plain English, and the
 * scenario clock as the desk shows it (Europe/London, whatever the server's or browser's zone).
 */

const ZONE = 'Europe/London';

/** Formatters by their options: making one costs far more than using it, and a page formats hundreds of times. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(iso: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return {};
	const key = JSON.stringify(options);
	let format = formatters.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: ZONE });
		formatters.set(key, format);
	}
	const out: Record<string, string> = {};
	for (const p of format.formatToParts(date)) out[p.type] = p.value;
	return out;
}

/** "Fri 7 Mar 2025, 15:41" */
export function deskDateTime(iso: string): string {
	const p = parts(iso, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	return p.day === undefined ? iso : `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** "15:41" */
export function deskTime(iso: string): string {
	const p = parts(iso, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	return p.hour === undefined ? iso : `${p.hour}:${p.minute}`;
}

/** "7 Mar 2025" from an instant or a plain YYYY-MM-DD date (a plain date is a calendar day, not an instant). */
export function deskDate(value: string): string {
	const plain = /^\d{4}-\d{2}-\d{2}$/.test(value);
	const p = parts(plain ? `${value}T12:00:00Z` : value, { day: 'numeric', month: 'short', year: 'numeric' });
	return p.day === undefined ? value : `${p.day} ${p.month} ${p.year}`;
}

/** The value a datetime-local input shows for an instant, in London time: "2025-03-07T15:41". */
export function londonLocalInput(iso: string): string {
	const p = parts(iso, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	return p.year === undefined ? '' : `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * A datetime-local value ("2025-03-07T15:41", London wall time) as an ISO instant with its offset,
 * or undefined when it is not one. Around a clock change the earlier reading wins.
 */
export function londonInstant(local: string): string | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
	if (!m) return undefined;
	const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
	const asUtc = Date.UTC(y, mo - 1, d, h, mi);
	if (Number.isNaN(asUtc)) return undefined;
	for (const offsetHours of [1, 0]) {
		const instant = new Date(asUtc - offsetHours * 3_600_000).toISOString();
		if (londonLocalInput(instant) === local.trim()) return instant;
	}
	return undefined;
}

/** Codes whose plain words are not just the code spelled out. */
const WORDS: Record<string, string> = {
	'data-subject': 'The customer (data subject)',
	'authorised-third-party': 'Authorised third party (on file)',
	'unauthorised-third-party': 'Third party with no authority',
	colleague: 'A colleague',
	police: 'Police',
	regulator: 'Regulator',
	unknown: 'Not known',
	'in-person': 'In person',
	'web-chat': 'Web chat',
	'web-form': 'Web form',
	'social-media': 'Social media',
	internal: 'Internal',
	'knowledge-based': 'Knowledge-based (the person answers questions)',
	'callback-to-number-on-file': 'Call back to the number on file',
	'email-to-address-on-file': 'Email to the address on file',
	'identity-document': 'Identity document seen',
	passphrase: 'Passphrase',
	'official-credentials': 'Official credentials (checked independently)',
	'receive-information': 'Receive information',
	'make-changes': 'Make changes',
	'make-requests': 'Make requests',
	'verbal-documented': 'Verbal, documented',
	verbal: 'Verbal',
	'crime-and-taxation': 'Crime and taxation exemption (DPA 2018 Sch 2 para 2)',
	'legal-proceedings': 'Legal proceedings exemption (DPA 2018 Sch 2 para 5(2))',
	'legal-obligation': 'Required by law',
	'accuracy-contested': 'Accuracy contested (Art 18(1)(a))',
	'unlawful-processing': 'Unlawful processing (Art 18(1)(b))',
	'legal-claims': 'Needed for legal claims',
	'objection-pending': 'Objection pending (Art 18(1)(d))',
	'high-risk': 'High risk',
	unlikely: 'Unlikely to result in a risk',
	risk: 'A risk',
	unassessed: 'Not assessed',
	'awaiting-id': 'Awaiting ID',
	'awaiting-clarification': 'Awaiting clarification',
	'awaiting-fee': 'Awaiting fee',
	'in-progress': 'In progress',
	'response-ready': 'Response ready',
	'partly-refused': 'Partly refused',
	access: 'Access (SAR)'
};

/** "addressLine1" → "Address line 1"; "unauthorised-third-party" → its words. */
export function words(code: string): string {
	const known = WORDS[code];
	if (known !== undefined) return known;
	const spaced = code
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/([A-Za-z])(\d)/g, '$1 $2')
		.replace(/[-_]/g, ' ')
		.toLowerCase();
	return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** A field name in a sentence: "date of birth". */
export function fieldWords(field: string): string {
	return words(field).toLowerCase().replace(/\bdpa\b/g, 'DPA');
}

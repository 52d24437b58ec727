/**
 * The record system's messages in the words a call-centre agent reads. The core's messages name
 * what they are about by code (a purpose's code, a field's key, a record's id), which is right for
 * code and the audit trail; the desk shows them to a learner, so each code is put into words here,
 * at the point it is shown: by what the desk's own forms call it (the purpose's name, the field's
 * label, the customer's reference and name), or else spelled out. The core's codes and fields stay
 * as they are for code; stored transcripts are not rewritten, only shown in words.
 */
import type { DeskOptions, DeskResult, Option } from './forms';
import { fieldWords, words } from './words';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * A token of the record system's own vocabulary that a learner should never read: a kebab-case code
 * ("supply-and-billing"), a camelCase field name ("dateOfBirth", "addressLine1") or an id (a UUID).
 */
export const CODE_LIKE = new RegExp(`(?<![\\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\\w-])|\\b[a-z]+[A-Z][A-Za-z0-9]*\\b|\\b${UUID}\\b`, 'g');

/**
 * English words written with a hyphen, which look like kebab-case codes but are words. (A name that
 * starts with a capital, "Anti-money-laundering checks", is not taken for a code.)
 */
const HYPHENATED_WORDS = new Set(['knowledge-based', 'one-time', 'read-only', 'e-mail', 'follow-up', 'set-up', 'non-urgent']);

/** The code-like tokens left in a text a learner reads: empty when it is all words. */
export function codesIn(text: string): string[] {
	return [...text.matchAll(CODE_LIKE)]
		.map((m) => m[0])
		.filter((token) => !HYPHENATED_WORDS.has(token));
}

/** What the desk calls each code and id it knows, from the options its forms offer. */
export function deskNames(desk: DeskOptions): ReadonlyMap<string, string> {
	const names = new Map<string, string>();
	const add = (options: readonly Option[], say: (o: Option) => string = (o) => o.label) => {
		for (const o of options) if (o.value !== '' && !names.has(o.value)) names.set(o.value, say(o));
	};
	add(desk.purposes, (o) => `“${o.label}”`);
	add(desk.customers);
	add(desk.thirdParties);
	add(desk.verifications, (o) => `the check of ${o.label}`);
	add(desk.requests, (o) => `the request (${o.label})`);
	add(desk.directory);
	for (const field of desk.catalogue) if (!names.has(field.key)) names.set(field.key, fieldWords(field.key));
	add(desk.recordFields, (o) => fieldWords(o.value));
	for (const list of Object.values(desk.enums)) add(list, (o) => lowerFirst(o.label));
	return names;
}

const IS_ID = new RegExp(`^${UUID}$`);

/** Record kinds the core names with an id ("No customer <id>"): an id the desk does not know is not spelled out. */
const NOT_FOUND = new RegExp(
	`\\bNo (customer|authorised third party|verification attempt|request|breach|interaction|workspace|disclosure) ["“]?(${UUID})["”]?`,
	'gi'
);

/** Where the core's messages name a purpose by its code. */
const PURPOSE_AT = /\b([Cc]onsent for|[Pp]urpose) (["“]?)([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(["”]?)/g;

/**
 * A message of the record system with every code it names in words: "No live consent for marketing
 * by email" becomes "No live consent for “Marketing” by email", "Enter dateOfBirth" "Enter date of birth".
 */
export function inPlainWords(text: string, names: ReadonlyMap<string, string>): string {
	const unknownIds = text.replace(NOT_FOUND, (whole, kind: string, id: string) => (names.has(id) ? whole : `No such ${kind.toLowerCase()} is on the system`));
	// A purpose's code may be one plain word ("marketing"): where the core names a purpose, its name is put in.
	const purposes = unknownIds.replace(PURPOSE_AT, (whole, before: string, open: string, code: string, close: string) => {
		const known = names.get(code);
		if (known === undefined || !/^“.*”$/.test(known)) return whole;
		return open !== '' && close !== '' ? `${before} ${open}${known.slice(1, -1)}${close}` : `${before} ${known}`;
	});
	return purposes.replace(CODE_LIKE, (token, offset: number, whole: string) => {
		if (codesIn(token).length === 0) return token;
		const quoted = /["“]$/.test(whole.slice(0, offset)) && /^["”]/.test(whole.slice(offset + token.length));
		const known = names.get(token);
		let said: string;
		if (known !== undefined) said = quoted ? known.replace(/^“(.*)”$/, '$1') : known;
		else if (IS_ID.test(token)) said = 'the record chosen';
		else if (/[A-Z]/.test(token)) said = fieldWords(token);
		else said = lowerFirst(words(token));
		// The first word of a sentence keeps its capital.
		return /(^|[.!?:]\s+)$/.test(whole.slice(0, offset)) ? upperFirst(said) : said;
	});
}

function lowerFirst(text: string): string {
	// "ID", "SMS", "DPA": a word in capitals stays so.
	return /^[A-Z]{2}/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

function upperFirst(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What an action answered, as the desk shows it: its messages in words, its codes and fields kept for code. */
export function plainResult(result: DeskResult | null | undefined, names: ReadonlyMap<string, string>): DeskResult | null | undefined {
	if (!result) return result;
	const say = (text: string) => inPlainWords(text, names);
	return {
		...result,
		...(result.message === undefined ? {} : { message: say(result.message) }),
		...(result.said === undefined ? {} : { said: say(result.said) }),
		...(result.problems === undefined ? {} : { problems: result.problems.map((p) => ({ ...p, message: say(p.message) })) }),
		...(result.error === undefined
			? {}
			: {
					error: {
						...result.error,
						message: say(result.error.message),
						...(result.error.issues === undefined ? {} : { issues: result.error.issues.map((i) => ({ ...i, message: say(i.message) })) })
					}
				})
	};
}

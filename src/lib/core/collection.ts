/**
 * Validation at the point of collection (UK GDPR Art 5(1)(d): accuracy starts when data is taken
 * down). The field catalogue names the fields the core knows, their data category and how a value
 * is checked and normalised: one form to store, one comparable form for search and verification.
 */
import { z } from 'zod';
import type { DATA_CATEGORIES } from './schema';

export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** How a value of a field is checked. */
export type FieldKind =
	| 'person-name'
	| 'title'
	| 'date-of-birth'
	| 'national-insurance-number'
	| 'address-line'
	| 'postcode'
	| 'email'
	| 'phone'
	| 'sort-code'
	| 'bank-account-number'
	| 'money'
	| 'text';

/** The fields the core knows. A purpose may name other fields if it gives their category. */
export const FIELD_CATALOGUE = {
	title: { category: 'identity', kind: 'title' },
	givenName: { category: 'identity', kind: 'person-name' },
	middleNames: { category: 'identity', kind: 'person-name' },
	familyName: { category: 'identity', kind: 'person-name' },
	preferredName: { category: 'identity', kind: 'person-name' },
	dateOfBirth: { category: 'identity', kind: 'date-of-birth' },
	nationalInsuranceNumber: { category: 'identity', kind: 'national-insurance-number' },
	addressLine1: { category: 'contact', kind: 'address-line' },
	addressLine2: { category: 'contact', kind: 'address-line' },
	town: { category: 'contact', kind: 'address-line' },
	county: { category: 'contact', kind: 'address-line' },
	postcode: { category: 'contact', kind: 'postcode' },
	email: { category: 'contact', kind: 'email' },
	phone: { category: 'contact', kind: 'phone' },
	mobilePhone: { category: 'contact', kind: 'phone' },
	accountStatus: { category: 'account', kind: 'text' },
	tariff: { category: 'account', kind: 'text' },
	paymentMethod: { category: 'account', kind: 'text' },
	sortCode: { category: 'financial', kind: 'sort-code' },
	bankAccountNumber: { category: 'financial', kind: 'bank-account-number' },
	balance: { category: 'financial', kind: 'money' },
	arrears: { category: 'financial', kind: 'money' },
	contactPreference: { category: 'preferences', kind: 'text' },
	preferredLanguage: { category: 'preferences', kind: 'text' }
} as const satisfies Record<string, { category: DataCategory; kind: FieldKind }>;

export type CataloguedField = keyof typeof FIELD_CATALOGUE;

export function isCataloguedField(field: string): field is CataloguedField {
	return Object.hasOwn(FIELD_CATALOGUE, field);
}

/** A value as stored and in comparable form. */
export interface CheckedValue {
	value: string;
	normalised: string;
}

/** What a check needs to know beyond the value. */
export interface CheckOptions {
	/** Today (YYYY-MM-DD) by the context's clock: dates of birth are checked against it. */
	today: string;
	/** The highest minimum age of the purposes the value is collected for. */
	minimumAge?: number;
}

/** Lower case without accents or punctuation other than spaces: "Zoë O’Brien" → "zoe obrien". */
export function foldText(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[’'.,]/g, '')
		.replace(/[-\s]+/g, ' ')
		.trim();
}

const tidy = (text: string) => text.normalize('NFC').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();

// Letters in any script (with accents), single spaces, apostrophes and hyphens between letters.
const NAME_PATTERN = /^\p{L}\p{M}*(?:\p{L}\p{M}*)*(?:(?: |'|-|' )\p{L}\p{M}*(?:\p{L}\p{M}*)*)*$/u;
const NAME_MAX = 100;

const personName = z
	.string()
	.transform(tidy)
	.pipe(
		z
			.string()
			.min(1, 'Enter a name')
			.max(NAME_MAX, `A name can be at most ${NAME_MAX} characters`)
			.regex(NAME_PATTERN, 'A name can only contain letters, spaces, hyphens and apostrophes')
	)
	.transform((value) => ({ value, normalised: foldText(value) }));

const TITLES = ['Mr', 'Mrs', 'Miss', 'Ms', 'Mx', 'Dr', 'Prof', 'Rev', 'Sir', 'Dame', 'Lord', 'Lady'];
const title = z
	.string()
	.transform((text) => tidy(text).replace(/\.$/, ''))
	.pipe(z.string().refine((value) => TITLES.some((t) => t.toLowerCase() === value.toLowerCase()), `Choose a title: ${TITLES.join(', ')}`))
	.transform((raw) => {
		const value = TITLES.find((t) => t.toLowerCase() === raw.toLowerCase())!;
		return { value, normalised: value.toLowerCase() };
	});

// Royal Mail postcode format: outward code A9, A99, AA9, AA99, A9A or AA9A with the letters each
// position allows, then an inward code 9AA; plus the special GIR 0AA. British Forces (BFPO) and
// overseas territories' codes are not UK addresses in this sense and are refused.
const POSTCODE_PATTERN =
	/^(?:GIR0AA|(?:[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y]))\d[ABD-HJLNP-UW-Z]{2})$/;

const postcode = z
	.string()
	.transform((text) => text.toUpperCase().replace(/\s+/g, ''))
	.pipe(z.string().min(1, 'Enter a postcode').regex(POSTCODE_PATTERN, 'Enter a real UK postcode, like SW1A 1AA'))
	.transform((compact) => ({ value: `${compact.slice(0, -3)} ${compact.slice(-3)}`, normalised: compact }));

/** "SW1A1AA", "sw1a 1aa" → "SW1A1AA" when the text is a UK postcode; undefined otherwise. */
export function compactPostcode(text: string): string | undefined {
	const parsed = postcode.safeParse(text);
	return parsed.success ? parsed.data.normalised : undefined;
}

const email = z
	.string()
	.trim()
	.pipe(z.string().min(1, 'Enter an email address').max(254, 'An email address can be at most 254 characters').pipe(z.email('Enter an email address like name@example.com')))
	.transform((text) => {
		const at = text.lastIndexOf('@');
		const value = text.slice(0, at) + text.slice(at).toLowerCase();
		return { value, normalised: value.toLowerCase() };
	});

/**
 * A UK number's national significant number (the digits after +44 or the trunk 0), or undefined.
 * Ofcom's numbering plan: geographic 01 (9 or 10 digits) and 02 (020, 023, 024, 028, 029),
 * non-geographic 03 at geographic rates, mobiles 071-075 and 077-079, and 07624 (Isle of Man).
 * Personal numbers (070), pagers (076), premium (09) and the like are not a customer's phone.
 */
function ukNationalNumber(text: string): string | undefined {
	const compact = text.replace(/\(0\)/g, '').replace(/[\s\-().]/g, '');
	let national: string;
	if (/^\+44\d+$/.test(compact)) national = compact.slice(3).replace(/^0/, '');
	else if (/^0044\d+$/.test(compact)) national = compact.slice(4).replace(/^0/, '');
	else if (/^0\d+$/.test(compact)) national = compact.slice(1);
	else return undefined;
	return /^(?:1\d{8,9}|2[03489]\d{8}|3[0347]\d{8}|7(?:[1-57-9]\d{8}|624\d{6}))$/.test(national) ? national : undefined;
}

/** A UK phone number in any common format → E.164 ("+447700900123"), or undefined. */
export function e164(text: string): string | undefined {
	const national = ukNationalNumber(text);
	return national === undefined ? undefined : `+44${national}`;
}

const phone = z
	.string()
	.trim()
	.pipe(z.string().min(1, 'Enter a phone number'))
	.transform((text, check) => {
		const number = e164(text);
		if (number === undefined) {
			check.addIssue({ code: 'custom', message: 'Enter a UK landline or mobile number, like 020 7946 0000 or 07700 900000' });
			return z.NEVER;
		}
		return { value: number, normalised: number };
	});

/** A date as YYYY-MM-DD from "1980-02-29" or "29/02/1980", when it is a real date. */
export function plainDate(text: string): string | undefined {
	const trimmed = text.trim();
	const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
	const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
	const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : [];
	if (y === undefined || m === undefined || d === undefined) return undefined;
	const year = Number(y);
	const month = Number(m);
	const day = Number(d);
	if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
	return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** Whole years between a date of birth and today (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, today: string): number {
	const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
	const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
	return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

const OLDEST_AGE = 120;

function dateOfBirth(options: CheckOptions) {
	return z
		.string()
		.transform((text, check) => {
			const date = plainDate(text);
			if (date === undefined) {
				check.addIssue({ code: 'custom', message: 'Enter a real date of birth, like 1980-02-29 or 29/02/1980' });
				return z.NEVER;
			}
			if (date > options.today) {
				check.addIssue({ code: 'custom', message: 'A date of birth cannot be in the future' });
				return z.NEVER;
			}
			const age = ageOn(date, options.today);
			if (age > OLDEST_AGE) {
				check.addIssue({ code: 'custom', message: `A date of birth must give an age of ${OLDEST_AGE} or under` });
				return z.NEVER;
			}
			if (options.minimumAge !== undefined && age < options.minimumAge) {
				check.addIssue({ code: 'custom', message: `The person must be at least ${options.minimumAge} for this purpose` });
				return z.NEVER;
			}
			return { value: date, normalised: date };
		});
}

// HMRC: two prefix letters (not D, F, I, Q, U, V; second not O; not BG, GB, KN, NK, NT, TN, ZZ),
// six digits, suffix A-D.
const NINO_PATTERN = /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/;
const nationalInsuranceNumber = z
	.string()
	.transform((text) => text.toUpperCase().replace(/\s+/g, ''))
	.pipe(z.string().regex(NINO_PATTERN, 'Enter a National Insurance number like AB 12 34 56 C'))
	.transform((value) => ({ value, normalised: value }));

const addressLine = z
	.string()
	.transform(tidy)
	.pipe(
		z
			.string()
			.min(1, 'Enter the address line')
			.max(100, 'An address line can be at most 100 characters')
			.regex(/^[\p{L}\p{M}\d][\p{L}\p{M}\d ,.'&/-]*$/u, 'An address line can only contain letters, digits, spaces and , . \' & / -')
	)
	.transform((value) => ({ value, normalised: foldText(value) }));

const sortCode = z
	.string()
	.transform((text) => text.replace(/[\s-]/g, ''))
	.pipe(z.string().regex(/^\d{6}$/, 'Enter a sort code of six digits, like 30-94-57'))
	.transform((digits) => ({ value: `${digits.slice(0, 2)}-${digits.slice(2, 4)}-${digits.slice(4)}`, normalised: digits }));

const bankAccountNumber = z
	.string()
	.transform((text) => text.replace(/\s/g, ''))
	.pipe(z.string().regex(/^\d{8}$/, 'Enter an account number of eight digits'))
	.transform((value) => ({ value, normalised: value }));

const money = z
	.string()
	.transform((text) => text.trim().replace(/^£/, '').replace(/,/g, ''))
	.pipe(z.string().regex(/^-?\d{1,9}(?:\.\d{1,2})?$/, 'Enter an amount in pounds, like 120.50'))
	.transform((text) => {
		const value = Number(text).toFixed(2);
		return { value, normalised: value };
	});

const freeText = z
	.string()
	.transform(tidy)
	.pipe(
		z
			.string()
			.min(1, 'Enter a value')
			.max(2000, 'A value can be at most 2000 characters')
			.regex(/^[^\p{Cc}]*$/u, 'A value cannot contain control characters')
	)
	.transform((value) => ({ value, normalised: foldText(value) }));

function schemaFor(kind: FieldKind, options: CheckOptions): z.ZodType<CheckedValue, string> {
	switch (kind) {
		case 'person-name':
			return personName;
		case 'title':
			return title;
		case 'date-of-birth':
			return dateOfBirth(options);
		case 'national-insurance-number':
			return nationalInsuranceNumber;
		case 'address-line':
			return addressLine;
		case 'postcode':
			return postcode;
		case 'email':
			return email;
		case 'phone':
			return phone;
		case 'sort-code':
			return sortCode;
		case 'bank-account-number':
			return bankAccountNumber;
		case 'money':
			return money;
		case 'text':
			return freeText;
	}
}

export function fieldKind(field: string): FieldKind {
	return isCataloguedField(field) ? FIELD_CATALOGUE[field].kind : 'text';
}

/**
 * Checks one value of a field as offered at collection or correction. A failure names the field
 * and says what a good value looks like.
 */
export function checkFieldValue(
	field: string,
	raw: string,
	options: CheckOptions
): { ok: true; value: CheckedValue } | { ok: false; error: { code: string; field: string; message: string } } {
	const parsed = schemaFor(fieldKind(field), options).safeParse(raw);
	if (parsed.success) return { ok: true, value: parsed.data };
	return { ok: false, error: { code: 'invalid', field, message: parsed.error.issues[0]?.message ?? 'Enter a valid value' } };
}

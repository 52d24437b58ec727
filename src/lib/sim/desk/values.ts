/**
 * A held value as a UK agent reads it on the record system. The core stores one canonical form
 * (collection.ts: dates of birth as YYYY-MM-DD, phones in E.164, money as a plain amount) so that
 * values can be checked and compared; the screen shows the form people say and write:
 * "12 March 1987", "07700 900123", "£182.40 in credit". Only the display changes: what is stored,
 * searched and verified stays canonical. A value not in its canonical form is shown as it is.
 */
import { FIELD_CATALOGUE, e164, isCataloguedField, plainDate } from '../../core/collection';

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "1987-03-12" → "12 March 1987". */
export function shownDate(value: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || plainDate(value) !== value) return value;
	return LONG_DATE.format(new Date(`${value}T00:00:00Z`));
}

/**
 * A UK number as it is written at home (Ofcom's groupings): "+447700900123" → "07700 900123",
 * "+442079460000" → "020 7946 0000", "+441214960000" → "0121 496 0000", "+441536123456" →
 * "01536 123456", "+443001234567" → "0300 123 4567". Anything not a UK number is left as it is.
 */
export function shownPhone(value: string): string {
	const number = e164(value);
	if (number === undefined) return value;
	const n = `0${number.slice(3)}`;
	if (n.startsWith('07')) return `${n.slice(0, 5)} ${n.slice(5)}`;
	if (n.startsWith('02')) return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
	// 03 numbers, and the big cities' 011x and 01x1 codes: four, three and four digits.
	if (n.startsWith('03') || n[2] === '1' || n[3] === '1') return `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`;
	return `${n.slice(0, 5)} ${n.slice(5)}`;
}

const POUNDS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/**
 * An amount in pounds. A balance is stored negative when the customer owes (seeding.ts takes a
 * seed's "£64.18 owed" as -64.18), so it reads "in credit" or "owed"; other amounts (arrears) are
 * plain sums.
 */
export function shownMoney(value: string, balance: boolean): string {
	if (!/^-?\d+(?:\.\d{1,2})?$/.test(value)) return value;
	const amount = Number(value);
	const sum = POUNDS.format(Math.abs(amount));
	if (!balance) return amount < 0 ? `-${sum}` : sum;
	return amount > 0 ? `${sum} in credit` : amount < 0 ? `${sum} owed` : sum;
}

/** "AB123456C" → "AB 12 34 56 C", as printed on the card. */
export function shownNationalInsuranceNumber(value: string): string {
	const m = /^([A-Z]{2})(\d{2})(\d{2})(\d{2})([A-D])$/.exec(value);
	return m ? m.slice(1).join(' ') : value;
}

/** The value of a field as the record system shows it. */
export function shownValue(field: string, value: string): string {
	if (!isCataloguedField(field)) return value;
	switch (FIELD_CATALOGUE[field].kind) {
		case 'date-of-birth':
			return shownDate(value);
		case 'phone':
			return shownPhone(value);
		case 'money':
			return shownMoney(value, field === 'balance');
		case 'national-insurance-number':
			return shownNationalInsuranceNumber(value);
		default:
			return value;
	}
}

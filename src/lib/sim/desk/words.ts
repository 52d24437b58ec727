/**
 * Words for the simulation screen: the record system's codes in plain English. (Its times and dates
 * are the app's: $lib/dates, on the UK clock.)
 */

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
	sms: 'SMS',
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
	access: 'Access (SAR)',
	// Why a third party's authority does not cover what they ask (core/third-parties.ts).
	'other-customer': 'It is for another customer',
	'not-yet-valid': 'Not valid yet',
	'action-not-in-scope': 'An action outside its scope',
	'category-not-in-scope': 'Details outside its scope',
	'lpa-type-not-in-scope': 'The LPA is of another type'
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

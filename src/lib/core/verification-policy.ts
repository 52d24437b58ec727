/**
 * The identity verification policy: what counts as a proportionate check (DOMAIN.md §3; UK GDPR
 * Art 5(1)(f), Art 32; ICO right of access, "can we ask for ID?": proportionate, no more than needed).
 *
 * Items, not fields: fields that describe the same fact count once. A name (given, family, title…)
 * is one item; an address (lines, town, postcode) is one item. So "name and postcode" is two items,
 * both findable by anyone (electoral roll, social media, post through the door), and is never enough.
 *
 * Knowledge-based (the requester states what is on the record; the agent never prompts with it):
 * at least 3 matched items, at least 1 of them not publicly findable (date of birth, phone, email,
 * account reference or figures, bank details, passphrase…), and no mismatched item: a wrong answer
 * is a warning sign, and proportionality does not average it away. Items the agent read out never
 * count: reading data out is a disclosure, not a verification.
 *
 * Other methods: a callback to the number on file or an email to the address on file proves
 * control of that contact (the contact item must match) plus one more item; an identity document
 * seen, or a person in person with one, must match the name and one more item; an authorised third
 * party must give their own name as on file plus 2 items of the customer's record, 1 not publicly
 * findable; an official (police, regulator) is verified only through an independent route (e.g. a
 * call back through the force's published switchboard), recorded as `credentialsConfirmedVia`.
 *
 * A successful verification supports disclosures for `validForMinutes` (one contact), or for the
 * whole of the rights request it was made for.
 */

/** Fields that together describe one fact, counted as one item. */
export const ITEM_GROUPS: Readonly<Record<string, readonly string[]>> = {
	name: ['title', 'givenName', 'middleNames', 'familyName', 'preferredName'],
	address: ['addressLine1', 'addressLine2', 'town', 'county', 'postcode']
};

/** Items anyone could find out about a person: never enough on their own. */
export const PUBLICLY_FINDABLE_ITEMS: readonly string[] = ['name', 'address'];

export const VERIFICATION_POLICY = {
	knowledgeBased: { minItems: 3, minNotPubliclyFindable: 1, maxMismatches: 0 },
	/** Callback or email to the contact on file: that contact, plus this many other items. */
	contactOnFile: { otherItems: 1, maxMismatches: 0 },
	/** Identity document or in person: the name plus this many other items. */
	document: { otherItems: 1, maxMismatches: 0 },
	/** An authorised third party: their own name as on file, plus the customer's items below. */
	thirdParty: { minItems: 2, minNotPubliclyFindable: 1, maxMismatches: 0 },
	/** Minutes a successful verification supports disclosures in the same contact. */
	validForMinutes: 30
} as const;

/** The requester-supplied key for an authorised third party's own name. */
export const THIRD_PARTY_NAME_ITEM = 'thirdPartyName';

/** The item a field belongs to: its group, or the field itself. */
export function itemOf(field: string): string {
	for (const [item, fields] of Object.entries(ITEM_GROUPS)) if (fields.includes(field)) return item;
	return field;
}

export type VerificationOutcome = 'verified' | 'failed' | 'incomplete';

export interface ItemComparison {
	/** Field names the requester supplied (read-out ones excluded). */
	supplied: string[];
	matched: string[];
	mismatched: string[];
}

/** Applies the policy for a method to what matched. */
export function verificationOutcome(
	method: string,
	requesterType: string,
	comparison: ItemComparison,
	extra: { credentialsConfirmed: boolean; thirdPartyNameMatched: boolean | null; contactField: string | null }
): VerificationOutcome {
	const matchedItems = new Set(comparison.matched.filter((f) => f !== THIRD_PARTY_NAME_ITEM).map(itemOf));
	const mismatches = comparison.mismatched.length + (extra.thirdPartyNameMatched === false ? 1 : 0);
	const notPublic = [...matchedItems].filter((i) => !PUBLICLY_FINDABLE_ITEMS.includes(i)).length;

	if (method === 'official-credentials') {
		if (requesterType !== 'police' && requesterType !== 'regulator') return 'failed';
		return extra.credentialsConfirmed ? 'verified' : 'incomplete';
	}
	if (requesterType === 'authorised-third-party') {
		const rule = VERIFICATION_POLICY.thirdParty;
		if (mismatches > rule.maxMismatches) return 'failed';
		return extra.thirdPartyNameMatched === true && matchedItems.size >= rule.minItems && notPublic >= rule.minNotPubliclyFindable
			? 'verified'
			: 'incomplete';
	}
	if (method === 'callback-to-number-on-file' || method === 'email-to-address-on-file') {
		const rule = VERIFICATION_POLICY.contactOnFile;
		if (mismatches > rule.maxMismatches) return 'failed';
		const contact = extra.contactField;
		return contact !== null && matchedItems.has(itemOf(contact)) && matchedItems.size >= 1 + rule.otherItems ? 'verified' : 'incomplete';
	}
	if (method === 'identity-document' || method === 'in-person') {
		const rule = VERIFICATION_POLICY.document;
		if (mismatches > rule.maxMismatches) return 'failed';
		return matchedItems.has('name') && matchedItems.size >= 1 + rule.otherItems ? 'verified' : 'incomplete';
	}
	// knowledge-based and passphrase
	const rule = VERIFICATION_POLICY.knowledgeBased;
	if (mismatches > rule.maxMismatches) return 'failed';
	return matchedItems.size >= rule.minItems && notPublic >= rule.minNotPubliclyFindable ? 'verified' : 'incomplete';
}

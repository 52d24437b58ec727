/**
 * The customer field names scenario files may use, with the data category each belongs to.
 *
 * The names and categories agree with the core's field catalogue (core/collection.ts) wherever
 * both know a field; the fields only scenarios use (recentPayments, supplyStartDate, ...) are
 * given to the core as a purpose's `fieldCategories` when a sandbox is seeded, which is how the
 * core learns any field it does not catalogue. A scenario may add more of its own the same way:
 * a seeded purpose's `fieldCategories` makes a field known to that file.
 */
import { DATA_CATEGORIES } from '../core/schema/purpose';
import { SPECIAL_CATEGORIES } from '../core/schema/customer';

type DataCategory = (typeof DATA_CATEGORIES)[number];
type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number];
/** Where a field's values live: an ordinary category, a special category (Art 9) or criminal-offence data (Art 10). */
export const FIELD_CATEGORIES = [...DATA_CATEGORIES, ...SPECIAL_CATEGORIES, 'criminal-offence'] as const;
export type FieldCategory = (typeof FIELD_CATEGORIES)[number];

/** Ordinary customer fields (UK GDPR Art 6 data), by name. */
export const CUSTOMER_FIELDS = {
	title: 'identity',
	givenName: 'identity',
	middleNames: 'identity',
	familyName: 'identity',
	preferredName: 'identity',
	dateOfBirth: 'identity',
	nationalInsuranceNumber: 'identity',

	addressLine1: 'contact',
	addressLine2: 'contact',
	town: 'contact',
	county: 'contact',
	postcode: 'contact',
	email: 'contact',
	phone: 'contact',
	mobilePhone: 'contact',

	accountStatus: 'account',
	tariff: 'account',
	paymentMethod: 'account',
	supplyStartDate: 'account',
	meterSerialNumber: 'account',

	balance: 'financial',
	arrears: 'financial',
	recentPayments: 'financial',
	directDebitAmount: 'financial',
	directDebitDay: 'financial',
	sortCode: 'financial',
	bankAccountNumber: 'financial',

	contactPreference: 'preferences',
	preferredLanguage: 'preferences',
	marketingPreference: 'preferences',
	communicationFormat: 'preferences'
} as const satisfies Record<string, DataCategory>;

/** Special category fields (UK GDPR Art 9(1)): kept apart from ordinary fields by the core. */
export const SPECIAL_CATEGORY_FIELDS = {
	healthCondition: 'health',
	vulnerabilityNote: 'vulnerability'
} as const satisfies Record<string, SpecialCategory>;

/** The category of a catalogued field, or undefined if the catalogue does not know it. */
export function cataloguedCategory(field: string): FieldCategory | undefined {
	if (Object.hasOwn(CUSTOMER_FIELDS, field)) return CUSTOMER_FIELDS[field as keyof typeof CUSTOMER_FIELDS];
	if (Object.hasOwn(SPECIAL_CATEGORY_FIELDS, field)) return SPECIAL_CATEGORY_FIELDS[field as keyof typeof SPECIAL_CATEGORY_FIELDS];
	return undefined;
}

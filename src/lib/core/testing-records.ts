/**
 * A standard set of retention rules and purposes for tests and fixtures: what a small UK utility
 * company's record of processing might hold. Use it after createTestContext.
 */
import { mapInOrder } from './in-order';
import type { CoreContext } from './context';
import { definePurpose, type Purpose, type PurposeInput } from './purposes';
import { defineRetentionRule, type RetentionRuleInput } from './retention';

export const STANDARD_RETENTION_RULES: RetentionRuleInput[] = [
	{
		code: 'account-records',
		description: 'Account and billing records',
		periodMonths: 72,
		trigger: 'relationship-ended',
		action: 'erase',
		authority: 'Limitation Act 1980 s5: six years for claims in contract'
	},
	{
		code: 'aml-records',
		description: 'Customer due diligence records',
		periodMonths: 60,
		trigger: 'relationship-ended',
		action: 'erase',
		authority: 'MLR 2017 reg 40: five years after the business relationship ends'
	},
	{ code: 'marketing', description: 'Marketing contact details', periodMonths: 24, trigger: 'collected', action: 'erase' },
	{ code: 'enquiries', description: 'Enquiry records', periodMonths: 12, trigger: 'last-contact', action: 'anonymise' }
];

export const STANDARD_PURPOSES: PurposeInput[] = [
	{
		code: 'account-servicing',
		name: 'Account servicing',
		description: 'Supplying energy and billing the customer under their contract',
		lawfulBasis: 'contract',
		fields: [
			'title',
			'givenName',
			'middleNames',
			'familyName',
			'dateOfBirth',
			'addressLine1',
			'addressLine2',
			'town',
			'postcode',
			'email',
			'phone',
			'tariff',
			'paymentMethod',
			'balance',
			'arrears'
		],
		requiredFields: ['givenName', 'familyName', 'addressLine1', 'postcode'],
		minimumAge: 18,
		recipientCategories: ['payment processors', 'debt collection agencies'],
		retentionRuleCode: 'account-records'
	},
	{
		code: 'identity-checks',
		name: 'Identity and anti-money-laundering checks',
		description: 'Verifying identity at sign-up as money laundering law requires',
		lawfulBasis: 'legal-obligation',
		basisDetail: 'MLR 2017 reg 28',
		fields: ['givenName', 'familyName', 'dateOfBirth', 'nationalInsuranceNumber'],
		minimumAge: 18,
		recipientCategories: ['credit reference agencies'],
		retentionRuleCode: 'aml-records'
	},
	{
		code: 'marketing',
		name: 'Marketing',
		description: 'Offers of our other services',
		lawfulBasis: 'consent',
		directMarketing: true,
		fields: ['email', 'mobilePhone', 'contactPreference'],
		recipientCategories: ['mailing house'],
		transfers: 'Email platform in the United States under the UK Extension to the EU-US Data Privacy Framework',
		retentionRuleCode: 'marketing'
	},
	{
		code: 'vulnerability-support',
		name: 'Support for customers in vulnerable circumstances',
		description: 'Priority services for customers who need extra help',
		lawfulBasis: 'legal-obligation',
		basisDetail: 'Gas and electricity supply licence conditions (Priority Services Register)',
		fields: ['vulnerabilityNote', 'healthCondition'],
		fieldCategories: { vulnerabilityNote: 'vulnerability', healthCondition: 'health' },
		recipientCategories: ['network operators'],
		retentionRuleCode: 'account-records'
	},
	{
		code: 'fraud-prevention',
		name: 'Fraud prevention',
		description: 'Preventing and detecting fraud against the organisation',
		lawfulBasis: 'legitimate-interests',
		basisDetail: 'LIA-2024-03',
		fields: ['fraudMarker'],
		fieldCategories: { fraudMarker: 'criminal-offence' },
		recipientCategories: ['fraud prevention agencies'],
		retentionRuleCode: 'account-records'
	}
];

/** Defines the standard retention rules and purposes; throws if any is refused (a broken fixture). */
export async function defineStandardPurposes(ctx: CoreContext): Promise<Purpose[]> {
	for (const rule of STANDARD_RETENTION_RULES) {
		const defined = await defineRetentionRule(ctx, rule);
		if (!defined.ok) throw new Error(`defineStandardPurposes: ${defined.error.message}`);
	}
	return await mapInOrder(STANDARD_PURPOSES, async (input) => {
		const defined = await definePurpose(ctx, input);
		if (!defined.ok) throw new Error(`defineStandardPurposes: ${defined.error.message}`);
		return defined.value;
	});
}

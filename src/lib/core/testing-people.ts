/**
 * People for tests of verification, disclosure and rights requests: an organisation with the
 * standard purposes (testing-records.ts) and a customer recorded through recordCustomer, the way a
 * real sign-up would, with the values spelled out so tests can say what the requester knows.
 */
import { recordCustomer, type RecordedCustomer } from './customers';
import type { CoreContext } from './context';
import { createTestContext, type TestContext, type TestContextOptions } from './testing';
import { defineStandardPurposes } from './testing-records';

/** Margaret Okonkwo, an account holder: the values as she would say them. */
export const MARGARET = {
	title: 'Mrs',
	givenName: 'Margaret',
	familyName: 'Okonkwo',
	dateOfBirth: '1961-04-12',
	addressLine1: '12 High Street',
	town: 'Reading',
	postcode: 'RG1 2AB',
	email: 'margaret.okonkwo@example.com',
	phone: '07700 900123',
	tariff: 'Standard Variable',
	balance: '142.50',
	arrears: '38.20'
} as const;

/** A test context with the standard retention rules and purposes defined. */
export function createOrganisation(options: TestContextOptions = {}): TestContext {
	const t = createTestContext(options);
	defineStandardPurposes(t.ctx);
	return t;
}

/**
 * Records a customer for account servicing (and identity checks, so the identity fields fall under
 * the money-laundering retention rule, as at a real sign-up); throws if refused (a broken fixture).
 */
export function recordPerson(
	ctx: CoreContext,
	fields: Record<string, string> = MARGARET,
	purposeCodes: string[] = ['identity-checks', 'account-servicing']
): RecordedCustomer {
	const recorded = recordCustomer(ctx, { purposeCodes, fields });
	if (!recorded.ok) throw new Error(`recordPerson: ${recorded.error.message}`);
	return recorded.value;
}

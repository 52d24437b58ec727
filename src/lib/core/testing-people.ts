/**
 * People for tests of verification, disclosure and rights requests: an organisation with the
 * standard purposes (testing-records.ts) and a customer recorded through recordCustomer, the way a
 * real sign-up would, with the values spelled out so tests can say what the requester knows.
 */
import { recordCustomer, type RecordedCustomer } from './customers';
import type { CoreContext } from './context';
import { beginRequest, logRequest, type LogRequestInput, type RightsRequest } from './requests';
import { createTestContext, unwrap, type TestContext, type TestContextOptions } from './testing';
import { defineStandardPurposes } from './testing-records';
import { verifyIdentity, type VerifyIdentityInput } from './verification';

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

/** What Margaret says to prove who she is: enough for knowledge-based verification. */
export const MARGARET_KNOWS = {
	givenName: MARGARET.givenName,
	familyName: MARGARET.familyName,
	postcode: MARGARET.postcode,
	dateOfBirth: MARGARET.dateOfBirth
};

/** Ada Lovelace, a customer with identity data under the money-laundering rule: for tests of changes to a record. */
export const ADA = {
	givenName: 'Ada',
	familyName: 'Lovelace',
	dateOfBirth: '1985-12-10',
	addressLine1: '12 High Street',
	postcode: 'SW1A 1AA',
	nationalInsuranceNumber: 'AB123456C'
} as const;

/** A test context with the standard retention rules and purposes defined. */
export async function createOrganisation(options: TestContextOptions = {}): Promise<TestContext> {
	const t = await createTestContext(options);
	await defineStandardPurposes(t.ctx);
	return t;
}

/**
 * Records a customer for account servicing (and identity checks, so the identity fields fall under
 * the money-laundering retention rule, as at a real sign-up); throws if refused (a broken fixture).
 */
export async function recordPerson(
	ctx: CoreContext,
	fields: Record<string, string> = MARGARET,
	purposeCodes: string[] = ['identity-checks', 'account-servicing']
): Promise<RecordedCustomer> {
	const recorded = await recordCustomer(ctx, { purposeCodes, fields });
	if (!recorded.ok) throw new Error(`recordPerson: ${recorded.error.message}`);
	return recorded.value;
}

/** An organisation with the standard purposes and Margaret recorded: where most tests of requests start. */
export async function organisationWithMargaret(options: TestContextOptions = {}): Promise<{ t: TestContext; customer: RecordedCustomer }> {
	const t = await createOrganisation(options);
	return { t, customer: await recordPerson(t.ctx) };
}

/** An organisation in the given policy mode with Ada recorded for account servicing and identity checks. */
export async function organisationWithAda(policyMode: 'record' | 'enforce' = 'record'): Promise<{ t: TestContext; id: string }> {
	const t = await createOrganisation({ workspace: { policyMode } });
	return { t, id: (await recordPerson(t.ctx, ADA, ['account-servicing', 'identity-checks'])).id };
}

/**
 * Logs a rights request, verifies the requester as Margaret (unless `verification` is false; its
 * fields override the knowledge-based check's) and begins work on it.
 */
export async function startRequest(ctx: CoreContext, request: LogRequestInput, verification: Partial<VerifyIdentityInput> | false = {}): Promise<RightsRequest> {
	const logged = unwrap(await logRequest(ctx, request));
	if (verification !== false) {
		unwrap(await verifyIdentity(ctx, { customerId: request.customerId!, requesterType: 'data-subject', method: 'knowledge-based', supplied: MARGARET_KNOWS, requestId: logged.id, ...verification }));
	}
	return unwrap(await beginRequest(ctx, { requestId: logged.id }));
}

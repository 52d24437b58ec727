import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbQuery } from './database';
import { auditEntries, verifyAuditChain } from './audit';
import { breachRegister } from './breaches';
import { disclosuresOf } from './disclosure';
import { findings } from './policy';
import { logRequest, getRequest } from './requests';
import { authoriseThirdParty } from './third-parties';
import { MARGARET, organisationWithMargaret } from './testing-people';
import type { TestContext } from './testing';
import { verifyIdentity, type VerifyIdentityInput } from './verification';
import { VERIFICATION_POLICY, itemOf, verificationOutcome } from './verification-policy';
import { closeTestContextsAfterEach } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;
const caller = (customerId: string, supplied: Record<string, string>, extra: Partial<VerifyIdentityInput> = {}): VerifyIdentityInput => ({
	customerId,
	requesterType: 'data-subject',
	method: 'knowledge-based',
	supplied,
	...extra
});
const verified = async (t: TestContext, input: VerifyIdentityInput) => {
	const r = await verifyIdentity(t.ctx, input);
	if (!r.ok) throw new Error(r.error.message);
	return r.value;
};

describe('identity verification (DOMAIN.md §3)', () => {
	it('verifies a caller who states their name, postcode and date of birth', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' }));
		expect(r.attempt).toMatchObject({ outcome: 'verified', itemsMatched: ['givenName', 'familyName', 'postcode', 'dateOfBirth'], itemsMismatched: [] });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'identity.verified', details: { verificationId: r.attempt.id } });
	});

	it('does not verify on name and postcode alone, both findable by anyone', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB' }));
		expect(r.attempt.outcome).toBe('incomplete');
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)?.action).toBe('identity.verification.attempted');
	});

	it('counts the lines of an address as one item, so name, street and postcode are not enough', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', addressLine1: '12 High Street', town: 'Reading', postcode: 'RG1 2AB' }));
		expect(r.attempt.outcome).toBe('incomplete');
		expect(itemOf('postcode')).toBe(itemOf('addressLine1'));
	});

	it('counts an email address on file as an item not publicly findable', () => {
		expect(verificationOutcome('knowledge-based', 'data-subject', { supplied: [], matched: ['givenName', 'postcode', 'email'], mismatched: [] }, { credentialsConfirmed: false, thirdPartyNameMatched: null, contactField: null })).toBe(
			'verified'
		);
		expect(VERIFICATION_POLICY.knowledgeBased).toEqual({ minItems: 3, minNotPubliclyFindable: 1, maxMismatches: 0 });
	});

	it('fails a caller who gives a wrong date of birth even when the rest matches', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1962-04-12', phone: '07700900123' }));
		expect(r.attempt).toMatchObject({ outcome: 'failed', itemsMismatched: ['dateOfBirth'] });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'identity.verification.failed', details: { itemsMismatched: ['dateOfBirth'] } });
	});

	it('compares what the caller says normalised as the record is', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { givenName: 'MARGARET', familyName: 'okonkwo', postcode: 'rg12ab', dateOfBirth: '12/04/1961', phone: '+44 7700 900123' }));
		expect(r.attempt).toMatchObject({ outcome: 'verified', itemsMismatched: [] });
	});

	it('treats a supplied item the record does not hold as neither a match nor a mismatch', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', mobilePhone: '07700 900999' }));
		expect(r.attempt).toMatchObject({ itemsSupplied: ['givenName', 'familyName', 'mobilePhone'], itemsMatched: ['givenName', 'familyName'], itemsMismatched: [] });
	});

	it('never stores what the requester supplied, only the names of the items', async () => {
		const { t, customer } = await setUp();
		await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-05-30' }));
		const dump = JSON.stringify(await dbQuery(t.ctx.db, sql`select * from verification_attempt`)) + JSON.stringify(await auditEntries(t.ctx.db, t.ctx.workspaceId));
		expect(dump).not.toContain('1961-05-30');
		expect(dump).not.toContain('Okonkwo');
	});

	it('treats an address read out by the agent as a disclosure, not a verification', async () => {
		const { t, customer } = await setUp();
		// "Is your address still 12 High Street, RG1 2AB?" — "Yes." Then the caller gives name and date of birth.
		const r = await verified(
			t,
			caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', dateOfBirth: '1961-04-12', addressLine1: '12 High Street', postcode: 'RG1 2AB' }, {
				readOut: ['addressLine1', 'postcode'],
				requesterName: 'caller claiming to be the account holder'
			})
		);
		expect(r.attempt).toMatchObject({ outcome: 'incomplete', itemsReadOut: ['addressLine1', 'postcode'], itemsMatched: ['givenName', 'familyName', 'dateOfBirth'] });
		expect(r.readOut?.disclosure).toMatchObject({ manner: 'read-out', authorised: false, route: 'none', fields: ['addressLine1', 'postcode'] });
		const actions = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action);
		expect(actions).toContain('data.read.out');
		expect(actions).toContain('disclosure.made');
	});

	it('opens a breach for data read out to a caller not yet verified, in record mode', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { givenName: 'Margaret' }, { readOut: ['dateOfBirth'] }));
		expect(r.readOut?.breach).toMatchObject({ sourceDisclosureId: r.readOut?.disclosure.id, affectedCustomerIds: [customer.id] });
		expect(await breachRegister(t.ctx)).toHaveLength(1);
		expect((await findings(t.ctx)).map((f) => f.code)).toEqual(['disclosure.unverified']);
	});

	it('refuses to let an agent read data out to an unverified caller in enforce mode', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await verifyIdentity(t.ctx, caller(customer.id, { givenName: 'Margaret' }, { readOut: ['addressLine1'] }));
		expect(r).toMatchObject({ ok: false, error: { code: 'disclosure.unverified' } });
		expect(await disclosuresOf(t.ctx, customer.id)).toHaveLength(0);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).slice(-2).map((e) => e.action)).toEqual(['policy.refused', 'disclosure.refused']);
	});

	it('lets an agent read details back to a caller verified earlier in the same contact', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const first = await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' }, { interactionId: undefined }));
		t.clock.advance(60_000);
		const again = await verified(t, caller(customer.id, {}, { readOut: ['email'] }));
		expect(again.readOut?.disclosure).toMatchObject({ authorised: true, route: 'verified-data-subject', verificationAttemptId: first.attempt.id });
	});

	it('verifies a callback to the number on file with the caller’s name', async () => {
		const { t, customer } = await setUp();
		expect((await verified(t, caller(customer.id, { phone: '07700 900123', givenName: 'Margaret', familyName: 'Okonkwo' }, { method: 'callback-to-number-on-file' }))).attempt.outcome).toBe('verified');
		expect((await verified(t, caller(customer.id, { phone: '07700 900999', givenName: 'Margaret' }, { method: 'callback-to-number-on-file' }))).attempt.outcome).toBe('failed');
	});

	it('verifies an identity document that matches the name and one more item', async () => {
		const { t, customer } = await setUp();
		expect((await verified(t, caller(customer.id, { givenName: 'Margaret', familyName: 'Okonkwo', dateOfBirth: '1961-04-12' }, { method: 'identity-document' }))).attempt.outcome).toBe('verified');
		expect((await verified(t, caller(customer.id, { dateOfBirth: '1961-04-12', postcode: 'RG1 2AB' }, { method: 'identity-document' }))).attempt.outcome).toBe('incomplete');
	});

	it('verifies a police officer only through an independent route', async () => {
		const { t, customer } = await setUp();
		const police = { requesterType: 'police' as const, method: 'official-credentials' as const, requesterName: 'PC 4471 Hale' };
		expect((await verified(t, caller(customer.id, { warrantNumber: '4471', force: 'Thames Valley Police' }, police))).attempt.outcome).toBe('incomplete');
		const r = await verified(t, caller(customer.id, { warrantNumber: '4471', force: 'Thames Valley Police' }, { ...police, credentialsConfirmedVia: 'called back through the force control room on its published number' }));
		expect(r.attempt).toMatchObject({ outcome: 'verified', itemsMatched: ['warrantNumber', 'force'] });
		expect(JSON.stringify(r.attempt)).not.toContain('4471');
	});

	it('does not accept official credentials from someone who is not an official', async () => {
		const { t, customer } = await setUp();
		const r = await verified(t, caller(customer.id, { warrantNumber: '1' }, { method: 'official-credentials', credentialsConfirmedVia: 'said so' }));
		expect(r.attempt.outcome).toBe('failed');
	});

	it('verifies an authorised third party by their own name on file and the customer’s details', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, {
			customerId: customer.id,
			name: 'David Okonkwo',
			relationship: 'son',
			authorityType: 'lasting-power-of-attorney',
			lpaType: 'property-and-financial-affairs',
			evidenceRef: 'LPA 1',
			scopeCategories: ['all'],
			scopeActions: ['receive-information'],
			validFrom: '2025-01-01'
		});
		if (!tp.ok) throw new Error();
		const as = { requesterType: 'authorised-third-party' as const, thirdPartyId: tp.value.id };
		expect((await verified(t, caller(customer.id, { thirdPartyName: 'David Okonkwo', familyName: 'Okonkwo', dateOfBirth: '1961-04-12' }, as))).attempt.outcome).toBe('verified');
		expect((await verified(t, caller(customer.id, { thirdPartyName: 'Dave Smith', familyName: 'Okonkwo', dateOfBirth: '1961-04-12' }, as))).attempt.outcome).toBe('failed');
		expect(await verifyIdentity(t.ctx, caller(customer.id, {}, { requesterType: 'authorised-third-party' }))).toMatchObject({ ok: false, error: { field: 'thirdPartyId' } });
	});

	it('makes a successful verification for a request that request’s identity check', async () => {
		const { t, customer } = await setUp();
		const req = await logRequest(t.ctx, { kind: 'access', channel: 'phone', verbal: true, description: 'Wants a copy of everything', customerId: customer.id });
		if (!req.ok) throw new Error();
		const r = await verified(t, caller(customer.id, { givenName: MARGARET.givenName, familyName: MARGARET.familyName, postcode: MARGARET.postcode, dateOfBirth: MARGARET.dateOfBirth }, { requestId: req.value.id }));
		expect((await getRequest(t.ctx, req.value.id))?.verificationAttemptId).toBe(r.attempt.id);
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});

	it('refuses to read out a field the record does not hold', async () => {
		const { t, customer } = await setUp();
		expect(await verifyIdentity(t.ctx, caller(customer.id, {}, { readOut: ['mobilePhone'] }))).toMatchObject({ ok: false, error: { code: 'verification.read-out-not-held' } });
	});
});

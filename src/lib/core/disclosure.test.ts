import { describe, expect, it } from 'vitest';
import { auditEntries, verifyAuditChain } from './audit';
import { getBreach } from './breaches';
import { disclose, disclosuresOf, type DiscloseInput } from './disclosure';
import { findings } from './policy';
import { restrictField } from './restriction';
import { authoriseThirdParty, revokeThirdPartyAuthority } from './third-parties';
import { organisationWithMargaret, recordPerson } from './testing-people';
import type { TestContext } from './testing';
import { verifyIdentity, type VerifyIdentityInput } from './verification';
import { closeTestContextsAfterEach } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;
async function verify(t: TestContext, input: VerifyIdentityInput): Promise<string> {
	const r = await verifyIdentity(t.ctx, input);
	if (!r.ok || r.value.attempt.outcome !== 'verified') throw new Error('fixture: verification did not succeed');
	return r.value.attempt.id;
}
const verifyMargaret = async (t: TestContext, customerId: string) =>
	await verify(t, { customerId, requesterType: 'data-subject', method: 'knowledge-based', supplied: { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' } });
const toSpouse = (customerId: string): DiscloseInput => ({
	customerId,
	recipient: { type: 'unauthorised-third-party', name: 'caller saying she is the account holder’s wife' },
	fields: ['balance'],
	channel: 'phone'
});
const sonWithLpa = async (t: TestContext, customerId: string, scope: Parameters<typeof authoriseThirdParty>[1]['scopeCategories'] = ['account', 'financial']) => {
	const tp = await authoriseThirdParty(t.ctx, {
		customerId,
		name: 'David Okonkwo',
		relationship: 'son',
		authorityType: 'lasting-power-of-attorney',
		lpaType: 'property-and-financial-affairs',
		evidenceRef: 'OPG 7000-1234',
		scopeCategories: scope,
		scopeActions: ['receive-information'],
		validFrom: '2025-01-01'
	});
	if (!tp.ok) throw new Error(tp.error.message);
	return tp.value;
};
const verifySon = async (t: TestContext, customerId: string, thirdPartyId: string) =>
	await verify(t, { customerId, requesterType: 'authorised-third-party', thirdPartyId, method: 'knowledge-based', supplied: { thirdPartyName: 'David Okonkwo', familyName: 'Okonkwo', dateOfBirth: '1961-04-12' } });

describe('disclosure to the data subject', () => {
	it('discloses the balance to the data subject once verified', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const verificationId = await verifyMargaret(t, customer.id);
		const r = await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'data-subject' }, fields: ['balance'], channel: 'phone', verificationId });
		expect(r).toMatchObject({
			ok: true,
			value: {
				breach: null,
				disclosure: { authorised: true, route: 'verified-data-subject', recipientName: 'data subject', recipientVerifiedHow: expect.stringContaining('knowledge-based'), categories: ['financial'] }
			}
		});
	});

	it('refuses a disclosure to a caller claiming to be the data subject without verification in enforce mode', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'data-subject' }, fields: ['balance'], channel: 'phone' })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.unverified' }
		});
	});

	it('does not accept a verification that failed, or one of another customer', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const other = await recordPerson(t.ctx, { givenName: 'Peter', familyName: 'Quince', addressLine1: '1 Mill Lane', postcode: 'OX1 1AA', dateOfBirth: '1970-01-01' }, ['account-servicing']);
		const failed = await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: { dateOfBirth: '1970-01-01' } });
		if (!failed.ok) throw new Error();
		const peter = await verify(t, { customerId: other.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: { givenName: 'Peter', familyName: 'Quince', postcode: 'OX1 1AA', dateOfBirth: '1970-01-01' } });
		for (const verificationId of [failed.value.attempt.id, peter]) {
			expect(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'data-subject' }, fields: ['balance'], channel: 'phone', verificationId })).toMatchObject({
				ok: false,
				error: { code: 'disclosure.unverified' }
			});
		}
	});

	it('does not accept a verification older than the policy allows for a new disclosure', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const verificationId = await verifyMargaret(t, customer.id);
		t.clock.advance(31 * 60_000);
		expect(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'data-subject' }, fields: ['balance'], channel: 'phone', verificationId })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.unverified', message: expect.stringContaining('30 minutes') }
		});
	});
});

describe('disclosure to third parties', () => {
	it('refuses a disclosure to a spouse with no authority on file in enforce mode', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await disclose(t.ctx, toSpouse(customer.id));
		expect(r).toMatchObject({ ok: false, error: { code: 'disclosure.no-authority' } });
		expect(await disclosuresOf(t.ctx, customer.id)).toHaveLength(0);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'disclosure.refused', fields: ['balance'], details: { reason: 'disclosure.no-authority' } });
	});

	it('records a disclosure to a spouse as unauthorised and opens a breach entry in record mode', async () => {
		const { t, customer } = await setUp();
		const r = await disclose(t.ctx, toSpouse(customer.id));
		if (!r.ok) throw new Error(r.error.message);
		const { disclosure, breach } = r.value;
		expect(disclosure).toMatchObject({ authorised: false, route: 'none', recipientType: 'unauthorised-third-party', breachId: breach?.id });
		expect(breach).toMatchObject({ sourceDisclosureId: disclosure.id, affectedCustomerIds: [customer.id], dataCategories: ['financial'], awareAt: disclosure.disclosedAt });
		expect(breach?.description).toContain('Art 4(12)');
		expect(breach?.description).toContain('DPA 2018 s170');
		// Written for people: the recipient and the problem in words, no id, no internal code.
		expect(breach?.description).toContain('to an unauthorised third party without lawful authority: no authority is on file for an unauthorised third party to receive this (');
		expect(breach?.description).not.toContain(disclosure.id);
		expect(breach?.description).not.toMatch(/disclosure\.[a-z-]+|[a-z][A-Z]/);
		expect((await getBreach(t.ctx, breach!.id))?.sourceDisclosureId).toBe(disclosure.id);
		expect((await disclosuresOf(t.ctx, customer.id))[0]?.breachId).toBe(breach!.id);
		expect((await findings(t.ctx)).map((f) => f.code)).toEqual(['disclosure.no-authority']);
		const actions = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.action);
		expect(actions.slice(-3)).toEqual(['finding.recorded', 'breach.registered', 'disclosure.made']);
	});

	it('discloses to an authorised third party whose verified authority covers the data today', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const tp = await sonWithLpa(t, customer.id);
		const verificationId = await verifySon(t, customer.id, tp.id);
		const r = await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'authorised-third-party', thirdPartyId: tp.id }, fields: ['balance', 'tariff'], channel: 'phone', verificationId });
		expect(r).toMatchObject({
			ok: true,
			value: { disclosure: { route: 'authorised-third-party', recipientName: 'David Okonkwo', authorityEvidence: 'lasting-power-of-attorney: OPG 7000-1234', basisOrExemption: expect.stringContaining('authority') } }
		});
	});

	it('refuses an authorised third party data outside the scope of their authority', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const tp = await sonWithLpa(t, customer.id, ['account']);
		const verificationId = await verifySon(t, customer.id, tp.id);
		expect(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'authorised-third-party', thirdPartyId: tp.id }, fields: ['balance'], channel: 'phone', verificationId })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.no-authority', message: expect.stringContaining('category not in scope') }
		});
	});

	it('refuses an authorised third party who has not been verified as that person', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const tp = await sonWithLpa(t, customer.id);
		expect(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'authorised-third-party', thirdPartyId: tp.id }, fields: ['balance'], channel: 'phone' })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.unverified' }
		});
	});

	it('refuses a third party whose authority has been revoked', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const tp = await sonWithLpa(t, customer.id);
		const verificationId = await verifySon(t, customer.id, tp.id);
		await revokeThirdPartyAuthority(t.ctx, { thirdPartyId: tp.id, reason: 'withdrawn-by-customer' });
		expect(await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'authorised-third-party', thirdPartyId: tp.id }, fields: ['balance'], channel: 'phone', verificationId })).toMatchObject({
			ok: false,
			error: { message: expect.stringContaining('revoked') }
		});
	});
});

describe('disclosure to colleagues (need to know)', () => {
	const colleague = (customerId: string, role: string, fields: string[], purposeCode?: string): DiscloseInput => ({
		customerId,
		recipient: { type: 'colleague', name: 'J. Patel', role },
		fields,
		purposeCode,
		channel: 'internal'
	});

	it('does not treat colleagues as automatically authorised: a purpose is needed', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, colleague(customer.id, 'debt collection agencies', ['phone']))).toMatchObject({ ok: false, error: { code: 'disclosure.no-purpose' } });
	});

	it('supplies a colleague what their role and stated purpose need', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await disclose(t.ctx, colleague(customer.id, 'debt collection agencies', ['phone', 'arrears'], 'account-servicing'));
		expect(r).toMatchObject({ ok: true, value: { disclosure: { route: 'colleague-need-to-know', recipientRole: 'debt collection agencies', basisOrExemption: 'contract (purpose account-servicing)' } } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-2)).toMatchObject({ action: 'disclosure.need.checked', details: { outcome: 'needed' } });
	});

	it('refuses a colleague a field their stated purpose does not need', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, colleague(customer.id, 'mailing house', ['email', 'balance'], 'marketing'))).toMatchObject({
			ok: false,
			error: { code: 'disclosure.not-needed', message: expect.stringContaining('balance') }
		});
	});

	it('refuses a colleague whose role is not one the purpose discloses to', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, colleague(customer.id, 'marketing team', ['phone'], 'account-servicing'))).toMatchObject({ ok: false, error: { code: 'disclosure.role-not-entitled' } });
	});

	it('supplies only what matches the request, refusing fields not asked for', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, { ...colleague(customer.id, 'debt collection agencies', ['phone', 'email'], 'account-servicing'), fieldsRequested: ['phone'] })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.beyond-request' }
		});
	});
});

describe('disclosure under an exemption or a legal obligation', () => {
	async function verifiedOfficer(t: TestContext, customerId: string): Promise<string> {
		return await verify(t, {
			customerId,
			requesterType: 'police',
			method: 'official-credentials',
			supplied: { warrantNumber: '4471', force: 'Thames Valley Police' },
			credentialsConfirmedVia: 'called back through the force control room'
		});
	}
	const toPolice = (customerId: string, verificationId?: string): DiscloseInput => ({
		customerId,
		recipient: { type: 'police', name: 'PC 4471 Hale', organisation: 'Thames Valley Police' },
		fields: ['addressLine1', 'postcode'],
		fieldsRequested: ['addressLine1', 'postcode'],
		basisOrExemption: 'crime-and-taxation',
		prejudiceTest: 'The officer is tracing a suspect in a burglary; not disclosing would be likely to prejudice the apprehension of an offender.',
		authorityEvidence: 'Data protection request form TVP/2025/0412, signed by an inspector',
		channel: 'email',
		approvedBy: 'dpo-1',
		verificationId
	});

	it('discloses an address to a verified police officer under the crime exemption with a recorded prejudice test', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await disclose(t.ctx, toPolice(customer.id, await verifiedOfficer(t, customer.id)));
		expect(r).toMatchObject({
			ok: true,
			value: { disclosure: { route: 'exemption', basisOrExemption: expect.stringContaining('DPA 2018 Sch 2 Pt 1 para 2'), approvedBy: 'dpo-1', prejudiceTest: expect.stringContaining('prejudice') } }
		});
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-2)).toMatchObject({ action: 'disclosure.exemption.assessed', details: { exemption: 'crime-and-taxation', outcome: 'applies' } });
	});

	it('refuses the crime exemption to an officer who has not been verified', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, toPolice(customer.id))).toMatchObject({ ok: false, error: { code: 'disclosure.unverified' } });
	});

	it('refuses the crime exemption without a recorded prejudice test', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, { ...toPolice(customer.id, await verifiedOfficer(t, customer.id)), prejudiceTest: 'police asked' })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.prejudice-test-missing' }
		});
	});

	it('refuses more than the minimum the officer asked for', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, { ...toPolice(customer.id, await verifiedOfficer(t, customer.id)), fields: ['addressLine1', 'postcode', 'phone'] })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.beyond-request' }
		});
	});

	it('refuses the crime exemption without the written request it answers', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, { ...toPolice(customer.id, await verifiedOfficer(t, customer.id)), authorityEvidence: '' })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.request-not-in-writing' }
		});
	});

	it('discloses where the law requires it, with the requirement recorded', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await disclose(t.ctx, {
			customerId: customer.id,
			recipient: { type: 'regulator', name: 'HMRC', organisation: 'HM Revenue & Customs' },
			fields: ['balance'],
			basisOrExemption: 'legal-obligation',
			authorityEvidence: 'Schedule 36 Finance Act 2008 third-party information notice 123',
			channel: 'letter'
		});
		expect(r).toMatchObject({ ok: true, value: { disclosure: { route: 'legal-obligation', basisOrExemption: expect.stringContaining('Art 6(1)(c)') } } });
		expect(
			await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'regulator', name: 'HMRC' }, fields: ['balance'], basisOrExemption: 'legal-obligation', channel: 'letter' })
		).toMatchObject({ ok: false, error: { code: 'disclosure.obligation-not-evidenced' } });
	});
});

describe('restricted data and the disclosure log', () => {
	it('does not disclose restricted data to a third party without an Art 18(2) ground', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const tp = await sonWithLpa(t, customer.id);
		const verificationId = await verifySon(t, customer.id, tp.id);
		await restrictField(t.ctx, { customerId: customer.id, fields: ['arrears'], ground: 'accuracy-contested', reason: 'Disputed' });
		const input: DiscloseInput = { customerId: customer.id, recipient: { type: 'authorised-third-party', thirdPartyId: tp.id }, fields: ['arrears'], channel: 'phone', verificationId };
		expect(await disclose(t.ctx, input)).toMatchObject({ ok: false, error: { code: 'disclosure.restricted' } });
		expect(await disclose(t.ctx, { ...input, restrictionGround: 'data-subject-consent' })).toMatchObject({ ok: true });
	});

	it('still gives the person their own restricted data', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		await restrictField(t.ctx, { customerId: customer.id, fields: ['arrears'], ground: 'accuracy-contested', reason: 'Disputed' });
		const verificationId = await verifyMargaret(t, customer.id);
		expect((await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'data-subject' }, fields: ['arrears'], channel: 'phone', verificationId })).ok).toBe(true);
	});

	it('logs every disclosure with recipient, how verified, evidence, fields, purpose, basis, channel, who disclosed and approved, and request', async () => {
		const { t, customer } = await setUp();
		const verificationId = await verifyMargaret(t, customer.id);
		await disclose(t.as({ id: 'agent-2', role: 'agent' }), {
			customerId: customer.id,
			recipient: { type: 'data-subject' },
			fields: ['balance', 'arrears'],
			purposeCode: 'account-servicing',
			channel: 'phone',
			approvedBy: 'team-leader-1',
			verificationId
		});
		await disclose(t.ctx, toSpouse(customer.id));
		const log = await disclosuresOf(t.ctx, customer.id);
		expect(log).toHaveLength(2);
		expect(log[0]).toMatchObject({
			recipientType: 'data-subject',
			recipientVerifiedHow: expect.stringContaining('dateOfBirth'),
			fields: ['balance', 'arrears'],
			purposeCode: 'account-servicing',
			basisOrExemption: 'the data subject’s own data',
			channel: 'phone',
			disclosedBy: 'agent-2',
			approvedBy: 'team-leader-1',
			verificationAttemptId: verificationId
		});
		expect(log[1]).toMatchObject({ authorised: false, basisOrExemption: 'none' });
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});

	it('names the fields disclosed in the audit log, never their values', async () => {
		const { t, customer } = await setUp();
		await disclose(t.ctx, toSpouse(customer.id));
		const made = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).find((e) => e.action === 'disclosure.made')!;
		expect(made).toMatchObject({ fields: ['balance'], details: { authorised: false, recipientType: 'unauthorised-third-party' } });
		expect(JSON.stringify(await auditEntries(t.ctx.db, t.ctx.workspaceId))).not.toContain('142.50');
	});

	it('refuses to disclose a field the record does not hold', async () => {
		const { t, customer } = await setUp();
		expect(await disclose(t.ctx, { ...toSpouse(customer.id), fields: ['mobilePhone'] })).toMatchObject({ ok: false, error: { code: 'disclosure.field-not-held' } });
	});
});

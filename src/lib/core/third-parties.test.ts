import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { THIRD_PARTY_ACTIONS } from './schema';
import {
	AUTHORITY_SCOPES,
	authoriseThirdParty,
	authorityCovers,
	checkAuthority,
	revokeThirdPartyAuthority,
	thirdPartiesOf,
	type AuthoriseThirdPartyInput
} from './third-parties';
import { organisationWithMargaret, recordPerson } from './testing-people';
import { closeTestContextsAfterEach } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;

const son = (customerId: string): AuthoriseThirdPartyInput => ({
	customerId,
	name: 'David Okonkwo',
	relationship: 'son',
	authorityType: 'lasting-power-of-attorney',
	lpaType: 'property-and-financial-affairs',
	evidenceRef: 'OPG LPA registration 7000-1234-5678',
	scopeCategories: ['account', 'financial', 'contact'],
	scopeActions: ['receive-information', 'make-changes'],
	validFrom: '2025-01-01'
});

describe('authorised third parties', () => {
	it('records a third party’s authority with its evidence and scope, and audits it without the name', async () => {
		const { t, customer } = await setUp();
		const r = await authoriseThirdParty(t.ctx, son(customer.id));
		expect(r).toMatchObject({ ok: true, value: { relationship: 'son', authorityType: 'lasting-power-of-attorney', validTo: null, revokedAt: null } });
		const last = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(last).toMatchObject({ action: 'third-party.authorised', subject: customer.id, details: { authorityType: 'lasting-power-of-attorney' } });
		expect(JSON.stringify(last)).not.toContain('David');
	});

	it('refuses an authority that ends before it starts', async () => {
		const { t, customer } = await setUp();
		expect(await authoriseThirdParty(t.ctx, { ...son(customer.id), validFrom: '2025-06-01', validTo: '2025-05-01' })).toMatchObject({ ok: false, error: { field: 'validTo' } });
	});

	it('refuses an authority without evidence of it', async () => {
		const { t, customer } = await setUp();
		expect(await authoriseThirdParty(t.ctx, { ...son(customer.id), evidenceRef: ' ' })).toMatchObject({ ok: false, error: { field: 'evidenceRef' } });
	});

	it('finds a spouse with no authority on file not authorised', async () => {
		const { t, customer } = await setUp();
		const r = await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: 'claimed-spouse', categories: ['financial'], action: 'receive-information' });
		expect(r).toMatchObject({ ok: true, value: { authorised: false, gaps: ['not-on-file'] } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'third-party.authority.checked', details: { found: false, inScope: false } });
	});

	it('finds an authority covering the categories and action valid today', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, son(customer.id));
		if (!tp.ok) throw new Error();
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['financial', 'account'], action: 'receive-information' })).toMatchObject({
			ok: true,
			value: { authorised: true, gaps: [] }
		});
	});

	it('finds a category outside the authority’s scope not covered', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, { ...son(customer.id), scopeCategories: ['account'] });
		if (!tp.ok) throw new Error();
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['account', 'financial'], action: 'receive-information' })).toMatchObject({
			ok: true,
			value: { authorised: false, gaps: ['category-not-in-scope'], uncoveredCategories: ['financial'] }
		});
	});

	it('does not let an authority to receive information make requests', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, { ...son(customer.id), scopeActions: ['receive-information'] });
		if (!tp.ok) throw new Error();
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['account'], action: 'make-requests' })).toMatchObject({
			ok: true,
			value: { authorised: false, gaps: ['action-not-in-scope'] }
		});
	});

	it('treats an authority as covering only its dates, inclusive', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, { ...son(customer.id), validFrom: '2025-03-01', validTo: '2025-03-31' });
		if (!tp.ok) throw new Error();
		const on = async (date: string) => await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['account'], action: 'receive-information', on: date });
		expect(await on('2025-02-28')).toMatchObject({ value: { authorised: false, gaps: ['not-yet-valid'] } });
		expect(await on('2025-03-01')).toMatchObject({ value: { authorised: true } });
		expect(await on('2025-03-31')).toMatchObject({ value: { authorised: true } });
		expect(await on('2025-04-01')).toMatchObject({ value: { authorised: false, gaps: ['expired'] } });
	});

	it('does not let one customer’s third party act for another customer', async () => {
		const { t, customer } = await setUp();
		const other = await recordPerson(t.ctx, { givenName: 'Peter', familyName: 'Quince', addressLine1: '1 Mill Lane', postcode: 'OX1 1AA' }, ['account-servicing']);
		const tp = await authoriseThirdParty(t.ctx, son(customer.id));
		if (!tp.ok) throw new Error();
		expect(await checkAuthority(t.ctx, { customerId: other.id, thirdPartyId: tp.value.id, categories: ['account'], action: 'receive-information' })).toMatchObject({
			value: { authorised: false, gaps: ['other-customer'] }
		});
	});

	it('ends an authority when it is revoked, keeping the row', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, son(customer.id));
		if (!tp.ok) throw new Error();
		expect(await revokeThirdPartyAuthority(t.ctx, { thirdPartyId: tp.value.id, reason: 'withdrawn-by-customer' })).toMatchObject({ ok: true, value: { revokedAt: t.clock.now() } });
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['account'], action: 'receive-information' })).toMatchObject({
			value: { authorised: false, gaps: ['revoked'] }
		});
		expect(await revokeThirdPartyAuthority(t.ctx, { thirdPartyId: tp.value.id, reason: 'withdrawn-by-customer' })).toMatchObject({ ok: false, error: { code: 'third-party.already-revoked' } });
		expect(await thirdPartiesOf(t.ctx, customer.id)).toHaveLength(1);
	});

	it('refuses a lasting power of attorney recorded without its type, and a type on any other authority', async () => {
		const { t, customer } = await setUp();
		const { lpaType: _lpaType, ...untyped } = son(customer.id);
		expect(await authoriseThirdParty(t.ctx, untyped)).toMatchObject({ ok: false, error: { field: 'lpaType' } });
		expect(await authoriseThirdParty(t.ctx, { ...son(customer.id), authorityType: 'written-authority' })).toMatchObject({ ok: false, error: { field: 'lpaType' } });
	});
});

describe('the type of a lasting power of attorney', () => {
	const welfare = (customerId: string): AuthoriseThirdPartyInput => ({ ...son(customerId), lpaType: 'health-and-welfare', scopeCategories: ['all'] });

	it('finds a health-and-welfare LPA no authority over the account or the money on it, whatever scope was recorded', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, welfare(customer.id));
		if (!tp.ok) throw new Error();
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['financial', 'contact'], action: 'receive-information' })).toMatchObject({
			value: { authorised: false, gaps: ['lpa-type-not-in-scope'], uncoveredCategories: ['financial'] }
		});
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'third-party.authority.checked',
			details: { inScope: false, lpaType: 'health-and-welfare', gaps: ['lpa-type-not-in-scope'] }
		});
	});

	it('finds a health-and-welfare LPA no authority to change the account, even its contact details', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, welfare(customer.id));
		if (!tp.ok) throw new Error();
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['contact'], action: 'make-changes' })).toMatchObject({
			value: { authorised: false, gaps: ['lpa-type-not-in-scope'], uncoveredCategories: [] }
		});
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['contact'], action: 'receive-information' })).toMatchObject({
			value: { authorised: true }
		});
	});

	it('finds a property-and-financial-affairs LPA covering the account and its money, but not health data', async () => {
		const { t, customer } = await setUp();
		const tp = await authoriseThirdParty(t.ctx, { ...son(customer.id), scopeCategories: ['all'] });
		if (!tp.ok) throw new Error();
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['financial', 'account'], action: 'make-changes' })).toMatchObject({
			value: { authorised: true, gaps: [] }
		});
		expect(await checkAuthority(t.ctx, { customerId: customer.id, thirdPartyId: tp.value.id, categories: ['health'], action: 'receive-information' })).toMatchObject({
			value: { authorised: false, gaps: ['lpa-type-not-in-scope'], uncoveredCategories: ['health'] }
		});
	});

	it('never lets the recorded scope widen what the LPA’s type allows', () => {
		fc.assert(
			fc.property(
				fc.subarray([...AUTHORITY_SCOPES], { minLength: 1 }),
				fc.subarray([...AUTHORITY_SCOPES.filter((c) => c !== 'all')], { minLength: 1 }),
				fc.constantFrom(...THIRD_PARTY_ACTIONS),
				(scope, asked, action) => {
					const row = {
						id: 'tp',
						workspaceId: 'w',
						customerId: 'c',
						name: 'David Okonkwo',
						relationship: 'son',
						authorityType: 'lasting-power-of-attorney' as const,
						lpaType: 'health-and-welfare' as const,
						evidenceRef: 'OPG',
						scopeCategories: scope,
						scopeActions: [...THIRD_PARTY_ACTIONS],
						validFrom: '2025-01-01',
						validTo: null,
						recordedBy: 'a',
						recordedAt: '2025-01-01T09:00:00.000Z',
						revokedAt: null
					};
					const check = authorityCovers(row, { customerId: 'c', thirdPartyId: 'tp', categories: asked, action, on: '2025-03-07' });
					const touchesAffairs = asked.includes('financial') || asked.includes('account') || action === 'make-changes';
					if (touchesAffairs) expect(check.authorised).toBe(false);
					for (const c of asked) if (c === 'financial' || c === 'account') expect(check.uncoveredCategories).toContain(c);
				}
			)
		);
	});
});

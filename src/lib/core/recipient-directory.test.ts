import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { disclose, type DiscloseInput } from './disclosure';
import { addDirectoryEntry, directoryEntries, notAllowedFor } from './recipient-directory';
import { MARGARET, organisationWithMargaret } from './testing-people';
import { closeTestContextsAfterEach } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;

const COLLECTIONS = { code: 'collections', name: 'Collections', kind: 'team' as const, receives: [{ purposeCode: 'account-servicing', fields: ['phone', 'arrears', 'balance'] }] };
const SALES = { code: 'home-services-sales', name: 'Home Services sales', kind: 'team' as const, receives: [] };

const toTeam = (customerId: string, directoryCode: string, fields: string[], purposeCode = 'account-servicing'): DiscloseInput => ({
	customerId,
	recipient: { type: 'colleague', name: 'J. Patel', directoryCode },
	fields,
	purposeCode,
	channel: 'internal'
});

describe('the directory of recipients', () => {
	it('adds a team with what it may receive for each purpose, and audits it without values', async () => {
		const { t } = await setUp();
		const added = await addDirectoryEntry(t.ctx, COLLECTIONS);
		expect(added).toMatchObject({ ok: true, value: { code: 'collections', kind: 'team', receives: [{ purposeCode: 'account-servicing', fields: ['phone', 'arrears', 'balance'] }] } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'directory.entry.added',
			fields: ['phone', 'arrears', 'balance'],
			details: { code: 'collections', kind: 'team', purposeCodes: ['account-servicing'] }
		});
		await addDirectoryEntry(t.ctx, { code: 'debt-agency', name: 'Acme Debt Recovery', kind: 'outside-body' });
		expect((await directoryEntries(t.ctx)).map((e) => e.code)).toEqual(['collections', 'debt-agency']);
	});

	it('refuses an entry for a purpose the organisation does not have, naming the path', async () => {
		const { t } = await setUp();
		expect(await addDirectoryEntry(t.ctx, { ...COLLECTIONS, receives: [{ purposeCode: 'debt-sales', fields: ['phone'] }] })).toMatchObject({
			ok: false,
			error: { code: 'purpose.not-found', field: 'receives.0.purposeCode' }
		});
	});

	it('Art 5(1)(c): refuses an entry that may receive a field its purpose does not need', async () => {
		const { t } = await setUp();
		expect(await addDirectoryEntry(t.ctx, { ...COLLECTIONS, receives: [{ purposeCode: 'marketing', fields: ['email', 'balance'] }] })).toMatchObject({
			ok: false,
			error: { code: 'invalid', field: 'receives.0.fields', message: expect.stringContaining('balance') }
		});
	});

	it('refuses a second entry with the same code', async () => {
		const { t } = await setUp();
		await addDirectoryEntry(t.ctx, COLLECTIONS);
		expect(await addDirectoryEntry(t.ctx, COLLECTIONS)).toMatchObject({ ok: false, error: { code: 'directory.exists', field: 'code' } });
	});
});

describe('disclosure to a directory entry', () => {
	it('supplies a team what the directory says it may receive for the purpose, logging the team as the role', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		await addDirectoryEntry(t.ctx, COLLECTIONS);
		const r = await disclose(t.ctx, toTeam(customer.id, 'collections', ['phone', 'arrears']));
		expect(r).toMatchObject({ ok: true, value: { disclosure: { route: 'colleague-need-to-know', authorised: true, recipientRole: 'Collections', authorityEvidence: 'directory entry collections; purpose account-servicing' } } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-2)).toMatchObject({ action: 'disclosure.need.checked', details: { directoryCode: 'collections', outcome: 'needed' } });
	});

	it('records a disclosure to a team the directory does not let receive the data as unauthorised, with a breach', async () => {
		const { t, customer } = await setUp();
		await addDirectoryEntry(t.ctx, SALES);
		const r = await disclose(t.ctx, toTeam(customer.id, 'home-services-sales', ['phone']));
		expect(r).toMatchObject({
			ok: true,
			value: {
				disclosure: { authorised: false, route: 'none', recipientRole: 'Home Services sales' },
				breach: { sourceDisclosureId: expect.any(String) },
				problems: [{ code: 'disclosure.recipient-not-entitled', message: 'Home Services sales may not receive customers’ data for the purpose “Account servicing”' }]
			}
		});
	});

	it('names the fields a team may not receive for the purpose', async () => {
		const { t, customer } = await setUp();
		await addDirectoryEntry(t.ctx, COLLECTIONS);
		const r = await disclose(t.ctx, toTeam(customer.id, 'collections', ['phone', 'dateOfBirth']));
		expect(r).toMatchObject({ ok: true, value: { disclosure: { authorised: false }, problems: [{ code: 'disclosure.recipient-not-entitled', message: 'Collections may not receive date of birth for the purpose “Account servicing”' }] } });
	});

	it('refuses an entry not in the directory, whatever role is typed', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await disclose(t.ctx, { ...toTeam(customer.id, 'collections-team', ['phone']), recipient: { type: 'colleague', role: 'debt collection agencies', directoryCode: 'collections-team' } });
		expect(r).toMatchObject({ ok: false, error: { code: 'disclosure.recipient-unknown' } });
	});

	it('decides for an outside body in the directory too, recording it as the organisation', async () => {
		const { t, customer } = await setUp();
		await addDirectoryEntry(t.ctx, { code: 'acme', name: 'Acme Debt Recovery', kind: 'outside-body', receives: [{ purposeCode: 'account-servicing', fields: ['arrears'] }] });
		const r = await disclose(t.ctx, { customerId: customer.id, recipient: { type: 'unknown', name: 'Acme agent', directoryCode: 'acme' }, fields: ['arrears'], purposeCode: 'account-servicing', channel: 'email' });
		expect(r).toMatchObject({ ok: true, value: { disclosure: { authorised: true, route: 'colleague-need-to-know', recipientOrganisation: 'Acme Debt Recovery' } } });
	});

	it('keeps the free-text role check in a workspace with no directory (scenarios written before it)', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		expect(await disclose(t.ctx, { ...toTeam(customer.id, 'x', ['phone']), recipient: { type: 'colleague', role: 'debt collection agencies' } })).toMatchObject({ ok: true });
	});

	it('entitles nobody outside the directory where there is one: a typed role matching a recipient category is not enough', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		await addDirectoryEntry(t.ctx, COLLECTIONS);
		expect(await disclose(t.ctx, { ...toTeam(customer.id, 'x', ['phone']), recipient: { type: 'colleague', role: 'debt collection agencies' } })).toMatchObject({
			ok: false,
			error: { code: 'disclosure.recipient-not-in-directory' }
		});
	});

	it('a disclosure to a directory entry is authorised iff the entry may receive every field disclosed for that purpose', async () => {
		const purposeFields = ['title', 'givenName', 'familyName', 'dateOfBirth', 'addressLine1', 'town', 'postcode', 'email', 'phone', 'tariff', 'balance', 'arrears'];
		const held = purposeFields.filter((f) => f in MARGARET);
		let run = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.subarray(held),
				fc.subarray(held, { minLength: 1 }),
				fc.boolean(),
				async (allowed, disclosed, forThisPurpose) => {
					const { t, customer } = await setUp({ seed: `dir-${run++}` });
					const receives = allowed.length === 0 ? [] : [{ purposeCode: forThisPurpose ? 'account-servicing' : 'identity-checks', fields: forThisPurpose ? allowed : allowed.filter((f) => ['givenName', 'familyName', 'dateOfBirth'].includes(f)) }];
					const entry = await addDirectoryEntry(t.ctx, { code: 'team', name: 'Team', kind: 'team', receives: receives.filter((r) => r.fields.length > 0) });
					if (!entry.ok) throw new Error(entry.error.message);
					const r = await disclose(t.ctx, toTeam(customer.id, 'team', disclosed));
					if (!r.ok) throw new Error(r.error.message);
					const mayReceiveAll = notAllowedFor(entry.value, 'account-servicing', disclosed).length === 0;
					expect(mayReceiveAll).toBe(forThisPurpose && disclosed.every((f) => allowed.includes(f)));
					expect(r.value.disclosure.authorised).toBe(mayReceiveAll);
					expect(r.value.breach !== null).toBe(!mayReceiveAll);
					t.close();
				}
			),
			{ numRuns: 60 }
		);
	});
});

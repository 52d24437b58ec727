import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { addOpgRegisterEntry, searchOpgRegister } from './opg-register';
import { writeTransaction } from './database';
import { createOrganisation, recordPerson } from './testing-people';
import { closeTestContextsAfterEach } from './testing';

closeTestContextsAfterEach();

async function setUp() {
	const t = await createOrganisation();
	const customer = await recordPerson(t.ctx);
	const add = async (entry: Parameters<typeof addOpgRegisterEntry>[1]) => {
		const r = await writeTransaction(t.ctx.db, async () => await addOpgRegisterEntry(t.ctx, entry));
		if (!r.ok) throw new Error(r.error.message);
		return r.value;
	};
	await add({ reference: '7000-4821-3366', donorName: 'Margaret Ellis', attorneyNames: ['Peter Ellis'], lpaType: 'property-and-financial-affairs', registeredOn: '2023-05-10', status: 'registered' });
	await add({ reference: '7000-1190-2044', donorName: 'Margaret Ellis', attorneyNames: ['Peter Ellis', 'Joan Ellis'], lpaType: 'health-and-welfare', registeredOn: '2023-05-10', status: 'registered' });
	await add({ reference: '7000-5555-0001', donorName: 'Arthur Pym', attorneyNames: ['Lucy Pym'], lpaType: 'property-and-financial-affairs', registeredOn: '2019-01-04', status: 'cancelled' });
	return { t, customer };
}

describe('the OPG register', () => {
	it('finds an LPA by its reference written with spaces or none, and says its type and status', async () => {
		const { t, customer } = await setUp();
		for (const reference of ['7000 4821 3366', '700048213366', '7000-4821-3366']) {
			expect(await searchOpgRegister(t.ctx, { reference, customerId: customer.id })).toMatchObject({
				ok: true,
				value: { entries: [{ donorName: 'Margaret Ellis', lpaType: 'property-and-financial-affairs', status: 'registered' }], attorneyListed: null }
			});
		}
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'authority.register.checked',
			subject: customer.id,
			details: { found: true, matches: 1, searchedBy: ['reference'], lpaType: 'property-and-financial-affairs', status: 'registered', attorneyListed: null }
		});
	});

	it('says whether the caller is an attorney of the LPA found, whatever their name’s case or accents', async () => {
		const { t } = await setUp();
		expect(await searchOpgRegister(t.ctx, { reference: '7000-4821-3366', attorneyName: 'peter ellis' })).toMatchObject({ value: { attorneyListed: true } });
		expect(await searchOpgRegister(t.ctx, { reference: '7000-4821-3366', attorneyName: 'Joan Ellis' })).toMatchObject({ value: { attorneyListed: false } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ details: { attorneyListed: false, searchedBy: ['reference', 'attorneyName'] } });
	});

	it('lists every LPA of a donor searched by name, without a single type or status', async () => {
		const { t } = await setUp();
		const r = await searchOpgRegister(t.ctx, { donorName: 'MARGARET ELLIS' });
		expect(r).toMatchObject({ ok: true, value: { entries: [{ lpaType: 'health-and-welfare' }, { lpaType: 'property-and-financial-affairs' }] } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ details: { found: true, matches: 2, lpaType: null, status: null } });
	});

	it('finds nothing for a reference that is not on the register, or a donor who does not match it', async () => {
		const { t } = await setUp();
		expect(await searchOpgRegister(t.ctx, { reference: '7000-0000-0000' })).toMatchObject({ ok: true, value: { entries: [] } });
		expect(await searchOpgRegister(t.ctx, { reference: '7000-4821-3366', donorName: 'Arthur Pym' })).toMatchObject({ ok: true, value: { entries: [] } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ details: { found: false, matches: 0, lpaType: null, status: null } });
	});

	it('shows a cancelled LPA as cancelled', async () => {
		const { t } = await setUp();
		expect(await searchOpgRegister(t.ctx, { reference: '7000 5555 0001' })).toMatchObject({ value: { entries: [{ status: 'cancelled' }] } });
	});

	it('refuses a search with neither a reference nor a donor’s name, naming the field', async () => {
		const { t } = await setUp();
		expect(await searchOpgRegister(t.ctx, { attorneyName: 'Peter Ellis' })).toMatchObject({ ok: false, error: { field: 'reference' } });
		expect(await searchOpgRegister(t.ctx, { reference: '7000-4821-3366', customerId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'customer.not-found', field: 'customerId' } });
	});

	it('keeps only one workspace’s register in its searches', async () => {
		const { t } = await setUp();
		const other = await createOrganisation();
		expect(await searchOpgRegister(other.ctx, { reference: '7000-4821-3366' })).toMatchObject({ ok: true, value: { entries: [] } });
		expect(await searchOpgRegister(t.ctx, { reference: '7000-4821-3366' })).toMatchObject({ ok: true, value: { entries: [{ donorName: 'Margaret Ellis' }] } });
	});

	it('refuses a registered entry without its registration date', async () => {
		const { t } = await setUp();
		expect(await writeTransaction(t.ctx.db, async () => await addOpgRegisterEntry(t.ctx, { reference: '7000-1', donorName: 'A', attorneyNames: ['B'], lpaType: 'health-and-welfare', status: 'registered' }))).toMatchObject({
			ok: false,
			error: { field: 'registeredOn' }
		});
	});
});

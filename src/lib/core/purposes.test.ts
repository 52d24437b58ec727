import { describe, expect, it } from 'vitest';
import { changePurpose, definePurpose, findPurpose, purposes, retirePurpose, type PurposeInput } from './purposes';
import { changeRetentionRule, defineRetentionRule, retainUntilDate } from './retention';
import { changeWorkspaceSettings } from './workspace';
import { closeTestContextsAfterEach, createTestContext, lastAudit, type TestContext } from './testing';

closeTestContextsAfterEach();

async function setUp(): Promise<TestContext> {
	const t = await createTestContext();
	await defineRetentionRule(t.ctx, { code: 'account-records', description: 'Account records', periodMonths: 72, trigger: 'relationship-ended', action: 'erase' });
	return t;
}

const billing: PurposeInput = {
	code: 'billing',
	name: 'Billing',
	description: 'Billing the customer',
	lawfulBasis: 'contract',
	fields: ['givenName', 'familyName', 'postcode', 'balance'],
	requiredFields: ['familyName'],
	retentionRuleCode: 'account-records'
};


describe('purposes (Art 5(1)(b), Art 6, Art 30)', () => {
	it('defines a purpose with one lawful basis, the fields it needs and categories derived from them', async () => {
		const t = await setUp();
		const defined = await definePurpose(t.ctx, billing);
		expect(defined).toMatchObject({ ok: true, value: { code: 'billing', lawfulBasis: 'contract', categories: ['identity', 'contact', 'financial'], active: true, minimumAge: null } });
		expect(await lastAudit(t)).toMatchObject({ action: 'purpose.defined', subjectType: 'purpose', fields: billing.fields, details: { code: 'billing', lawfulBasis: 'contract', retentionRule: 'account-records' } });
	});

	it('refuses a purpose without exactly one known Art 6 basis', async () => {
		const t = await setUp();
		expect(await definePurpose(t.ctx, { ...billing, lawfulBasis: 'because' as never })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'lawfulBasis' } });
		expect(await definePurpose(t.ctx, { ...billing, lawfulBasis: ['contract', 'consent'] as never })).toMatchObject({ ok: false, error: { field: 'lawfulBasis' } });
	});

	it('accepts recognised legitimate interests only when the workspace setting allows it', async () => {
		const t = await setUp();
		const rli = { ...billing, code: 'crime-reporting', lawfulBasis: 'recognised-legitimate-interests' as const };
		expect(await definePurpose(t.ctx, rli)).toMatchObject({ ok: false, error: { code: 'lawful-basis.not-allowed', field: 'lawfulBasis' } });
		await changeWorkspaceSettings(t.ctx, { settings: { recognisedLegitimateInterests: true } });
		expect((await definePurpose(t.ctx, rli)).ok).toBe(true);
	});

	it('refuses a required field the purpose does not need, and a field of unknown category', async () => {
		const t = await setUp();
		expect(await definePurpose(t.ctx, { ...billing, requiredFields: ['email'] })).toMatchObject({ ok: false, error: { field: 'requiredFields' } });
		expect(await definePurpose(t.ctx, { ...billing, fields: [...billing.fields, 'loyaltyTier'] })).toMatchObject({ ok: false, error: { field: 'fieldCategories' } });
		expect(await definePurpose(t.ctx, { ...billing, fields: [...billing.fields, 'loyaltyTier'], fieldCategories: { loyaltyTier: 'account' } })).toMatchObject({
			ok: true,
			value: { categories: ['identity', 'contact', 'account', 'financial'] }
		});
	});

	it('refuses a duplicate code and an unknown retention rule', async () => {
		const t = await setUp();
		await definePurpose(t.ctx, billing);
		expect(await definePurpose(t.ctx, billing)).toMatchObject({ ok: false, error: { code: 'purpose.exists' } });
		expect(await definePurpose(t.ctx, { ...billing, code: 'other', retentionRuleCode: 'forever' })).toMatchObject({ ok: false, error: { code: 'retention-rule.not-found' } });
	});

	it('changes what a purpose needs and audits the names of what changed', async () => {
		const t = await setUp();
		await definePurpose(t.ctx, billing);
		const changed = await changePurpose(t.ctx, { code: 'billing', fields: [...billing.fields, 'email'], minimumAge: 18 });
		expect(changed).toMatchObject({ ok: true, value: { fields: [...billing.fields, 'email'], minimumAge: 18, lawfulBasis: 'contract' } });
		expect(await lastAudit(t)).toMatchObject({ action: 'purpose.changed', details: { changed: ['fields', 'minimumAge'] } });
	});

	it('refuses to swap a purpose’s lawful basis', async () => {
		const t = await setUp();
		await definePurpose(t.ctx, billing);
		expect(await changePurpose(t.ctx, { code: 'billing', lawfulBasis: 'legitimate-interests' })).toMatchObject({ ok: false, error: { code: 'purpose.basis-swap', field: 'lawfulBasis' } });
		expect((await changePurpose(t.ctx, { code: 'billing', lawfulBasis: 'contract', description: 'Billing and payments' })).ok).toBe(true);
	});

	it('retires a purpose with a reason, keeping it in the record', async () => {
		const t = await setUp();
		await definePurpose(t.ctx, billing);
		expect(await retirePurpose(t.ctx, { code: 'billing', reason: '' })).toMatchObject({ ok: false, error: { field: 'reason' } });
		expect(await retirePurpose(t.ctx, { code: 'billing', reason: 'Replaced by account-servicing' })).toMatchObject({ ok: true, value: { active: false } });
		expect((await findPurpose(t.ctx, 'billing'))?.active).toBe(false);
		expect(await purposes(t.ctx)).toHaveLength(1);
		expect(await lastAudit(t)).toMatchObject({ action: 'purpose.retired' });
	});
});

describe('retention rules (Art 5(1)(e))', () => {
	it('defines and changes a rule, auditing each', async () => {
		const t = await setUp();
		expect(await changeRetentionRule(t.ctx, { code: 'account-records', periodMonths: 84 })).toMatchObject({ ok: true, value: { periodMonths: 84 } });
		expect(await lastAudit(t)).toMatchObject({ action: 'retention.rule.changed', details: { changed: ['periodMonths'], periodMonths: 84 } });
		expect(await defineRetentionRule(t.ctx, { code: 'account-records', description: 'again', periodMonths: 1, trigger: 'collected', action: 'erase' })).toMatchObject({
			ok: false,
			error: { code: 'retention-rule.exists' }
		});
		expect(await defineRetentionRule(t.ctx, { code: 'Bad Code', description: 'x', periodMonths: 1, trigger: 'collected', action: 'erase' })).toMatchObject({ ok: false, error: { field: 'code' } });
	});

	it.each([
		['2025-03-03', 24, '2027-03-03'],
		['2025-08-31', 6, '2026-02-28'],
		['2023-08-31', 6, '2024-02-29'],
		['2024-02-29', 12, '2025-02-28'],
		['2025-12-15T23:59:59.000Z', 1, '2026-01-15'],
		['2025-01-31', 0, '2025-01-31']
	])('keeps a value triggered on %s for %i months until %s', (from, months, until) => {
		expect(retainUntilDate({ periodMonths: months }, from)).toBe(until);
	});
});

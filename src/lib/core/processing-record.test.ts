import { dbRun } from './database';
import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { recordCustomer } from './customers';
import { formatRecordOfProcessing, recordOfProcessing } from './processing-record';
import { disclosure } from './schema';
import { closeTestContextsAfterEach, createTestContext, type TestContext } from './testing';
import { defineStandardPurposes } from './testing-records';

closeTestContextsAfterEach();

async function setUp(): Promise<TestContext> {
	const t = await createTestContext({ workspace: { dpoPhone: '0113 496 0000' } });
	await defineStandardPurposes(t.ctx);
	return t;
}

async function logDisclosure(t: TestContext, customerId: string, recipientType: 'police' | 'unauthorised-third-party', organisation: string, authorised: boolean) {
	await dbRun(t.ctx.db
		.insert(disclosure)
		.values({
			id: t.ctx.ids(),
			workspaceId: t.ctx.workspaceId,
			customerId,
			recipientType,
			recipientName: 'PC 1234 Smith',
			recipientOrganisation: organisation,
			route: authorised ? 'exemption' : 'none',
			authorised,
			manner: 'supplied',
			fields: ['addressLine1'],
			categories: ['contact'],
			basisOrExemption: 'DPA 2018 Sch 2 Pt 1 para 2',
			channel: 'phone',
			disclosedBy: 'agent-1',
			disclosedAt: t.clock.now()
		}));
}

describe('record of processing (Art 30)', () => {
	it('holds the controller and DPO, purposes with bases, people and data categories, recipients, transfers, retention and security', async () => {
		const t = await setUp();
		const record = await recordOfProcessing(t.ctx);
		expect(record.ok).toBe(true);
		if (!record.ok) return;
		expect(record.value.controller).toEqual({ name: 'Northwind Utilities Ltd' });
		expect(record.value.dpo).toEqual({ name: 'Dana Protection', email: 'dpo@northwind.example', phone: '0113 496 0000' });
		expect(record.value.purposes.map((p) => [p.code, p.lawfulBasis])).toEqual([
			['account-servicing', 'contract'],
			['fraud-prevention', 'legitimate-interests'],
			['identity-checks', 'legal-obligation'],
			['marketing', 'consent'],
			['vulnerability-support', 'legal-obligation']
		]);
		expect(record.value.dataSubjectCategories).toEqual(['customers']);
		expect(record.value.dataCategories).toEqual(['account', 'contact', 'criminal-offence', 'financial', 'health', 'identity', 'preferences', 'vulnerability']);
		expect(record.value.recipients.stated).toContain('credit reference agencies');
		expect(record.value.transfers).toEqual([{ purposeCode: 'marketing', transfers: expect.stringContaining('United States') }]);
		expect(record.value.retentionLimits.map((r) => r.code)).toEqual(['account-records', 'aml-records', 'enquiries', 'marketing']);
		expect(record.value.purposes.find((p) => p.code === 'identity-checks')?.retention).toMatchObject({ periodMonths: 60, authority: expect.stringContaining('MLR 2017 reg 40') });
		expect(record.value.securityMeasures.length).toBeGreaterThan(3);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'processing.record.produced', details: { purposes: 5 } });
	});

	it('lists recipients actually supplied from the disclosure log, leaving out unauthorised disclosures', async () => {
		const t = await setUp();
		const customer = await recordCustomer(t.ctx, { purposeCodes: ['account-servicing'], fields: { givenName: 'Ada', familyName: 'Lovelace', addressLine1: '1 Mill Lane', postcode: 'M1 1AE' } });
		if (!customer.ok) throw new Error(customer.error.message);
		await logDisclosure(t, customer.value.id, 'police', 'Thames Valley Police', true);
		await logDisclosure(t, customer.value.id, 'police', 'Thames Valley Police', true);
		await logDisclosure(t, customer.value.id, 'unauthorised-third-party', '', false);
		const record = await recordOfProcessing(t.ctx);
		expect(record.ok && record.value.recipients.disclosed).toEqual([{ recipientType: 'police', organisation: 'Thames Valley Police', disclosures: 2 }]);
	});

	it('prints as a plain-text document with a section for each Art 30(1) item', async () => {
		const t = await setUp();
		const record = await recordOfProcessing(t.ctx);
		if (!record.ok) throw new Error(record.error.message);
		const text = formatRecordOfProcessing(record.value);
		for (const heading of ['Art 30(1)(a)', 'Art 30(1)(b)', 'Art 30(1)(c)', 'Art 30(1)(d)', 'Art 30(1)(e)', 'Art 30(1)(f)', 'Art 30(1)(g)']) expect(text).toContain(heading);
		expect(text).toContain('Controller: Northwind Utilities Ltd');
		expect(text).toContain('Lawful basis: legal-obligation (MLR 2017 reg 28)');
		expect(text).toContain('Retention: 5 years after the relationship ends, then erased [aml-records]');
		expect(text).toContain('enquiries: 1 year after the last contact, then anonymised.');
		expect(text).not.toMatch(/undefined|null|\[object/);
	});
});

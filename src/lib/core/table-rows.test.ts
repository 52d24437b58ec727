import { describe, expect, it } from 'vitest';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { dbAll, preparedStatements, writeTransaction, type Db } from './database';
import { recordCustomer } from './customers';
import { disclose } from './disclosure';
import { heldValues } from './held-values';
import { addDirectoryEntry } from './recipient-directory';
import { restrictField } from './restriction';
import { registerBreach } from './breaches';
import { logRequest } from './requests';
import {
	breach,
	criminalOffenceValue,
	customer,
	customerField,
	customerFieldHistory,
	disclosure,
	purpose,
	recipientDirectory,
	retentionRule,
	rightsRequest,
	specialCategoryValue
} from './schema';
import { rowInserter, tableRows } from './table-rows';
import { historyRow } from './held-values';
import { asc } from 'drizzle-orm';
import { insertionOrder } from './database';
import { closeTestContextsAfterEach, createTestContext } from './testing';
import { defineStandardPurposes } from './testing-records';

closeTestContextsAfterEach();

/** Every row of a table read through tableRows by a prepared statement, in the order drizzle reads them. */
async function preparedRead<T extends SQLiteTable>(db: Db, table: T): Promise<T['$inferSelect'][]> {
	const rows = tableRows(table);
	const read = preparedStatements((client) => client.prepare<[], Record<string, unknown>>(`select ${rows.columns} from ${rows.table} order by id`));
	return (await read(db).all()).map(rows.read);
}

/** A workspace whose rows use every kind of column: JSON, booleans true and false, nulls, numbers. */
async function filledWorkspace() {
	const t = await createTestContext({ workspace: { policyMode: 'record' } });
	await defineStandardPurposes(t.ctx);
	await addDirectoryEntry(t.ctx, { code: 'collections', name: 'Collections', kind: 'team', receives: [{ purposeCode: 'account-servicing', fields: ['phone'] }] });
	const recorded = await recordCustomer(t.ctx, {
		purposeCodes: ['account-servicing', 'fraud-prevention', 'vulnerability-support'],
		fields: {
			givenName: 'Ada',
			familyName: 'Lovelace',
			dateOfBirth: '10/12/1985',
			addressLine1: '12 High Street',
			postcode: 'sw1a1aa',
			phone: '020 7946 0000',
			fraudMarker: 'Convicted of meter tampering 2019',
			vulnerabilityNote: 'Needs large print'
		},
		conditions: { fraudMarker: { schedule1Condition: 'Sch 1 para 10 preventing or detecting unlawful acts' } }
	});
	if (!recorded.ok) throw new Error(recorded.error.message);
	await restrictField(t.ctx, { customerId: recorded.value.id, fields: ['dateOfBirth'], ground: 'accuracy-contested', reason: 'disputed on the phone' });
	const disclosed = await disclose(t.ctx, {
		customerId: recorded.value.id,
		recipient: { type: 'colleague', directoryCode: 'collections' },
		fields: ['phone'],
		purposeCode: 'account-servicing',
		channel: 'internal'
	});
	if (!disclosed.ok) throw new Error(disclosed.error.message);
	// A request matched to the customer and one not yet matched (nulls), and a breach with JSON lists.
	for (const customerId of [recorded.value.id, undefined]) {
		const logged = await logRequest(t.ctx, { kind: 'access', channel: 'phone', verbal: true, description: 'Everything you hold on me', customerId });
		if (!logged.ok) throw new Error(logged.error.message);
	}
	const breached = await registerBreach(t.ctx, {
		awareAt: t.clock.now(),
		description: 'Statement posted to the wrong address',
		dataCategories: ['contact', 'financial'],
		subjectCategories: ['customers'],
		approxSubjects: 1,
		approxRecords: 1,
		affectedCustomerIds: [recorded.value.id]
	});
	if (!breached.ok) throw new Error(breached.error.message);
	return { t, customerId: recorded.value.id };
}

describe('table rows for prepared statements', () => {
	it('reads every row of the hot paths’ tables exactly as the query builder does', async () => {
		const { t } = await filledWorkspace();
		const tables = { customer, customerField, specialCategoryValue, criminalOffenceValue, customerFieldHistory, disclosure, purpose, recipientDirectory, retentionRule, rightsRequest, breach };
		for (const [name, table] of Object.entries(tables)) {
			const built = await dbAll(t.ctx.db.select().from(table as SQLiteTable).orderBy((table as typeof customer).id));
			expect(built.length, name).toBeGreaterThan(0);
			expect(await preparedRead(t.ctx.db, table), name).toEqual(built);
		}
	});

	it('writes a row with drizzle’s defaults for the columns it leaves out, as the query builder’s insert does', async () => {
		const { t, customerId } = await filledWorkspace();
		const [template] = await dbAll(t.ctx.db.select().from(customerField).orderBy(customerField.id).limit(1));
		const given = {
			workspaceId: t.ctx.workspaceId,
			customerId,
			field: 'email',
			category: 'contact' as const,
			value: 'ada@example.com',
			normalised: 'ada@example.com',
			purposeCode: template!.purposeCode,
			lawfulBasis: template!.lawfulBasis,
			source: 'data-subject' as const,
			collectedAt: t.clock.now(),
			retentionRuleId: template!.retentionRuleId,
			updatedAt: t.clock.now()
		};
		const rows = tableRows(customerField);
		const insert = preparedStatements((client) => client.prepare<Record<string, unknown>>(rows.insert));
		await writeTransaction(t.ctx.db, async () => {
			await dbAll(t.ctx.db.insert(customerField).values({ ...given, id: 'by-builder' }).returning());
			await insert(t.ctx.db).run(rows.insertParams({ ...given, id: 'by-prepared', field: 'mobilePhone' }));
		});
		const stored = await heldValues(t.ctx, customerId);
		const byBuilder = stored.find((h) => h.id === 'by-builder')!;
		const byPrepared = stored.find((h) => h.id === 'by-prepared')!;
		expect(byPrepared).toEqual({ ...byBuilder, id: 'by-prepared', field: 'mobilePhone' });
		expect(byPrepared).toMatchObject({ accuracy: 'ok', restricted: false, legalHold: false, keptForHoldOnly: false, version: 1, sourceDetail: '', retainUntil: null });
	});

	it('inserts several rows in one statement, in the order given, as the query builder reads them back', async () => {
		const { t, customerId } = await filledWorkspace();
		const rows = [1, 2, 3].map((version) =>
			historyRow(t.ctx, { held: { kind: 'ordinary', id: `value-${version}`, customerId, field: 'phone' }, change: 'corrected', oldValue: null, newValue: `v${version}`, version, reason: `change ${version}` })
		);
		const inserter = preparedStatements((client) => rowInserter(client, tableRows(customerFieldHistory)));
		await writeTransaction(t.ctx.db, async () => await inserter(t.ctx.db)(rows));
		const stored = await dbAll(t.ctx.db.select().from(customerFieldHistory).orderBy(asc(insertionOrder(t.ctx.db, customerFieldHistory))));
		expect(stored.slice(-3)).toEqual(rows);
	});

	it('refuses to leave out a column whose default is SQL rather than guess it', () => {
		expect(() => tableRows(purpose).insertParams({} as typeof purpose.$inferInsert)).toThrow(/SQL default/);
	});
});

import { afterEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '$lib/core/database';
import { everyRow } from '$lib/core/testing-tables';
import { closeTestDatabase, openTestDatabase } from '../core/testing-database';
import { auditEntries, seededIds, type Db } from '../core';
import { loadScenarios } from './scenario-check';
import { seedWorkspace } from './seeding';

const opened: Db[] = [];
afterEach(() => {
	for (const db of opened.splice(0)) closeTestDatabase(db);
});

const library = loadScenarios('scenarios');

describe('seeding customers through the core bulk path', () => {
	it.each(library.scenarios.map((s) => [s.scenario.id, s] as const))('leaves the same database as recordCustomer one by one: %s', async (_id, loaded) => {
		const seeded = async (customersOneByOne: boolean) => {
			const db = await openTestDatabase();
			opened.push(db);
			const done = await writeTransaction(db, async () => await seedWorkspace(db, loaded.scenario, { workspaceId: 'seeded', ids: seededIds('same-seed'), customersOneByOne }));
			if (!done.ok) throw new Error(done.error.message);
			return { db, value: done.value };
		};
		const bulk = await seeded(false);
		const single = await seeded(true);
		expect(bulk.value).toEqual(single.value);
		expect(await everyRow(bulk.db)).toEqual(await everyRow(single.db));
		const hashes = async (db: Db) => (await auditEntries(db, 'seeded')).map((e) => e.hash);
		expect(await hashes(bulk.db)).toEqual(await hashes(single.db));
	});
});

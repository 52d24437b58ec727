import { dbRun, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { organisation } from '$lib/server/db/schema';

/** A fresh database (the run's engine: core/testing-database.ts) with every migration applied and one centre, for server tests. */
export async function createServerTestDb(): Promise<Db> {
	const db = await openTestDatabase();
	await dbRun(db.insert(organisation)
		.values({ id: 'centre-1', name: 'Test Centre', region: 'england-and-wales', updatedAt: new Date(0).toISOString() }));
	return db;
}

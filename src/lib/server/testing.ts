import { dbRun, openDatabase, type Db } from '$lib/core/database';
import { organisation } from '$lib/server/db/schema';

/** A fresh in-memory database with every migration applied and one centre, for server tests. */
export async function createServerTestDb(): Promise<Db> {
	const db = openDatabase(':memory:');
	await dbRun(db.insert(organisation)
		.values({ id: 'centre-1', name: 'Test Centre', region: 'england-and-wales', updatedAt: new Date(0).toISOString() }));
	return db;
}

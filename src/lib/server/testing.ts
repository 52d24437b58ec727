import { openDatabase, type Db } from '$lib/core/database';
import { organisation } from '$lib/server/db/schema';

/** A fresh in-memory database with every migration applied and one centre, for server tests. */
export function createServerTestDb(): Db {
	const db = openDatabase(':memory:');
	db.insert(organisation)
		.values({ id: 'centre-1', name: 'Test Centre', region: 'england-and-wales', updatedAt: new Date(0).toISOString() })
		.run();
	return db;
}

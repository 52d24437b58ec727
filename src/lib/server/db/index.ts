import { env } from '$env/dynamic/private';
import { openDatabase, type Db } from '$lib/core/database';

let instance: Db | undefined;

/** The application's database, opened (and migrated) on first use from DATABASE_PATH. */
export function getDb(): Db {
	if (!instance) {
		instance = openDatabase(env.DATABASE_PATH || 'data/custodian.db', {
			migrationsFolder: env.MIGRATIONS_DIR || undefined
		});
	}
	return instance;
}

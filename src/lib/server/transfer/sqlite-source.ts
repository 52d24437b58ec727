/**
 * Where db:export reads: the one module of the export that knows the engine, beside the writer
 * (sqlite-target.ts). export.ts and centre-scope.ts ask it for one consistent snapshot, a table's
 * row count, and a table's rows in primary-key order; a PostgreSQL source is another module with the
 * same four calls (a REPEATABLE READ transaction, and text keys ordered with COLLATE "C", the
 * byte order SQLite compares in, so both engines write a table's rows in the same order).
 */
import { dbGet } from '$lib/core/database';
import { asc, count, sql, type SQL } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import type { ColumnInfo, TableInfo } from './catalogue';
import type { RowValues } from './links';

export interface ExportSource {
	readonly engine: string;
	/** Runs `read` on one snapshot of the database: a write committed meanwhile is in none of what it reads. */
	snapshot<T>(read: () => Promise<T>): Promise<T>;
	/**
	 * The tables the database holds with rows of their own: not the engine's or drizzle's bookkeeping,
	 * and not what the database derives itself (the FTS5 customer-name index and its shadow tables).
	 */
	tableNames(): string[];
	count(table: TableInfo): Promise<number>;
	/** The table's rows (the columns given, or all), database column names to drizzle's values, in primary-key order. */
	rows(table: TableInfo, columns?: readonly ColumnInfo[]): Iterable<RowValues>;
}

const PAGE_ROWS = 1000;

export function sqliteSource(db: Db): ExportSource {
	return {
		engine: 'sqlite',
		async snapshot(read) {
			db.run(sql`BEGIN`);
			try {
				return await read();
			} finally {
				db.run(sql`COMMIT`);
			}
		},
		tableNames() {
			return db
				.all<{ name: string; type: string; schema: string }>(sql`PRAGMA table_list`)
				.filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_') && t.name !== '__drizzle_migrations')
				.map((t) => t.name);
		},
		async count(table) {
			return (await dbGet(db.select({ n: count() }).from(table.table)))!.n;
		},
		*rows(table, columns = table.columns) {
			const key = table.primaryKey.map((name) => table.columns.find((c) => c.name === name)!);
			const read = [...new Set([...key, ...columns])];
			const fields = Object.fromEntries(read.map((c) => [c.name, c.column]));
			// Keyset paging, (key) > (last key) in key order: each page is found by the index, on any engine.
			let after: unknown[] | undefined;
			for (;;) {
				const where: SQL | undefined = after
					? sql`(${sql.join(
							key.map((c) => c.column),
							sql`, `
						)}) > (${sql.join(
							after.map((v) => sql`${v}`),
							sql`, `
						)})`
					: undefined;
				const page = db
					.select(fields)
					.from(table.table)
					.where(where)
					.orderBy(...key.map((c) => asc(c.column)))
					.limit(PAGE_ROWS)
					.all() as RowValues[];
				yield* page;
				if (page.length < PAGE_ROWS) return;
				const last = page.at(-1)!;
				after = key.map((c) => last[c.name]);
			}
		}
	};
}

/**
 * Where db:export reads on SQLite (source.ts says what a source gives). Rows are read a page at a
 * time by keyset: in primary-key order, or by rowid for the tables the archive carries in insertion
 * order (links.ts INSERTION_ORDERED_TABLES); both are indexed, so each page is found directly.
 */
import { dbAll, dbGet, dbQuery, type Db } from '$lib/core/database';
import { asc, count, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { ExportSource } from './source';
import { INSERTION_ORDERED_TABLES, type RowValues } from './links';

const PAGE_ROWS = 1000;
/** The rowid as read beside a row's columns (no column of the schema has this name). */
const ROWID = '__rowid';

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
		async tableNames() {
			return (await dbQuery<{ name: string; type: string; schema: string }>(db, sql`PRAGMA table_list`))
				.filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_') && t.name !== '__drizzle_migrations')
				.map((t) => t.name);
		},
		async count(table) {
			return (await dbGet(db.select({ n: count() }).from(table.table)))!.n;
		},
		async *rows(table, columns = table.columns) {
			const byRowid = INSERTION_ORDERED_TABLES.includes(table.name);
			const key = table.primaryKey.map((name) => table.columns.find((c) => c.name === name)!);
			const read = [...new Set([...key, ...columns])];
			const order: (SQLiteColumn | SQL)[] = byRowid ? [sql`${table.table}.rowid`] : key.map((c) => c.column);
			const fields: Record<string, SQLiteColumn | SQL> = Object.fromEntries(read.map((c) => [c.name, c.column]));
			if (byRowid) fields[ROWID] = sql<number>`${table.table}.rowid`;
			// Keyset paging, (order) > (last row's order): each page is found by the index.
			let after: unknown[] | undefined;
			for (;;) {
				const where: SQL | undefined = after
					? sql`(${sql.join(order, sql`, `)}) > (${sql.join(
							after.map((v) => sql`${v}`),
							sql`, `
						)})`
					: undefined;
				const page = (await dbAll(
					db
						.select(fields)
						.from(table.table)
						.where(where)
						.orderBy(...order.map((o) => asc(o)))
						.limit(PAGE_ROWS)
				)) as RowValues[];
				for (const row of page) {
					if (byRowid) {
						const values = { ...row };
						delete values[ROWID];
						yield values;
					} else yield row;
				}
				if (page.length < PAGE_ROWS) return;
				const last = page.at(-1)!;
				after = byRowid ? [last[ROWID]] : key.map((c) => last[c.name]);
			}
		}
	};
}

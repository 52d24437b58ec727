/**
 * Where db:export reads on PostgreSQL (source.ts says what a source gives). Everything is read on
 * one client in one REPEATABLE READ, READ ONLY transaction, so the counts and the rows are one
 * snapshot while the server goes on writing. A table's rows come through a cursor, a page at a
 * time, in the archive's order: primary-key order (the database's C collation compares text as
 * SQLite does, preparePostgres refuses any other), or the order they were inserted for the tables
 * of links.ts INSERTION_ORDERED_TABLES (their `insertion_order` identity column; a customer's
 * creation is its customer_name_search position), which is the order a SQLite source writes them in.
 */
import { asc, count, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import type { Db } from '$lib/core/database';
import { postgresHandle } from '$lib/core/postgres';
import type { ColumnInfo } from './catalogue';
import type { ExportSource } from './source';
import { INSERTION_ORDERED_TABLES, type RowValues } from './links';

const PAGE_ROWS = 1000;

/** Where an insertion-ordered table keeps its order; the tables not named keep it in `insertion_order`. */
const INSERTED_AT: Record<string, (table: SQLiteTable) => SQL> = {
	customer: (table) => sql`(select s.position from customer_name_search s where s.customer_id = ${table}."id")`
};

/** The queries drizzle builds here take no parameters, so they can be declared as cursors. */
function text(query: { toSQL(): { sql: string; params: unknown[] } }): string {
	const { sql: statement, params } = query.toSQL();
	if (params.length > 0) throw new Error(`a transfer query with parameters: ${statement}`);
	return statement;
}

/** A value as PostgreSQL's driver gives it, as drizzle gives it (the int8 parser already makes numbers). */
function fromDriver(column: ColumnInfo, value: unknown): unknown {
	return value === null || value === undefined ? null : (column.column as SQLiteColumn).mapFromDriverValue(value);
}

export function postgresSource(db: Db): ExportSource {
	const handle = postgresHandle(db);
	if (!handle) throw new Error('postgresSource needs a PostgreSQL database');
	let client: pg.PoolClient | undefined;
	let cursors = 0;
	const reading = () => {
		if (!client) throw new Error('the PostgreSQL source is read inside snapshot() only');
		return client;
	};
	return {
		engine: 'postgres',
		async snapshot(read) {
			const own = await handle.pool.connect();
			let broken = false;
			try {
				await own.query('begin isolation level repeatable read read only');
				client = own;
				const result = await read();
				await own.query('commit');
				return result;
			} catch (error) {
				await own.query('rollback').catch(() => (broken = true));
				throw error;
			} finally {
				client = undefined;
				own.release(broken);
			}
		},
		async tableNames() {
			const { rows } = await reading().query<{ name: string }>(
				`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'customer_name_search'`
			);
			return rows.map((r) => r.name);
		},
		async count(table) {
			// drizzle names no column in the SQL it writes (`select count(*) from …`): the row's one value.
			const { rows } = await reading().query<Record<string, unknown>>(text(db.select({ n: count() }).from(table.table)));
			return Number(Object.values(rows[0]!)[0]);
		},
		async *rows(table, columns = table.columns) {
			const on = reading();
			const key = table.primaryKey.map((name) => table.columns.find((c) => c.name === name)!);
			const read = [...new Set([...key, ...columns])];
			const insertedAt = INSERTED_AT[table.name];
			const order: (SQLiteColumn | SQL)[] = !INSERTION_ORDERED_TABLES.includes(table.name)
				? key.map((c) => c.column)
				: insertedAt
					? [insertedAt(table.table), ...key.map((c) => c.column)]
					: [sql`${table.table}."insertion_order"`];
			const query = db
				.select(Object.fromEntries(read.map((c) => [c.name, c.column])))
				.from(table.table)
				.orderBy(...order.map((o) => asc(o)));
			const cursor = `transfer_rows_${++cursors}`;
			await on.query(`declare ${cursor} no scroll cursor for ${text(query)}`);
			try {
				for (;;) {
					const { rows } = await on.query<Record<string, unknown>>(`fetch ${PAGE_ROWS} from ${cursor}`);
					for (const raw of rows) yield Object.fromEntries(read.map((c) => [c.name, fromDriver(c, raw[c.name])])) as RowValues;
					if (rows.length < PAGE_ROWS) return;
				}
			} finally {
				// After a failed fetch the transaction is aborted and rolls back, cursor and all.
				await on.query(`close ${cursor}`).catch(() => undefined);
			}
		}
	};
}

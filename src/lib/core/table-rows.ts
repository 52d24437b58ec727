/**
 * A table's rows as prepared statements (database.ts preparedStatements) read and write them, derived
 * from its drizzle declaration: the select list, the row as the code sees it (camelCase keys, JSON
 * parsed, booleans as booleans), and a whole-row INSERT with drizzle's defaults for what a row leaves
 * out. Hot paths write their SQL once and skip the query builder, without a second, hand-kept copy
 * of the columns that could drift from the schema.
 */
import { getTableColumns, getTableName, is, SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Statement, StatementFactory } from './database';

export interface TableRows<T extends SQLiteTable> {
	/** The table's name, quoted. */
	table: string;
	/** Every column, quoted and comma-separated, for a select list. */
	columns: string;
	/** `insert into … (every column) values (@key, …)`, bound by `insertParams`. */
	insert: string;
	/** A row read by a prepared statement (SQL column names, driver values) as drizzle would give it. */
	read(raw: Record<string, unknown>): T['$inferSelect'];
	/** A row to insert as the named parameters of `insert`: driver values, defaults filled in as drizzle does. */
	insertParams(row: T['$inferInsert']): Record<string, unknown>;
	/** `insert … values (…), (…)` for `count` rows: one statement, one round trip, bound by `insertManyParams`. */
	insertMany(count: number): string;
	insertManyParams(rows: readonly T['$inferInsert'][]): Record<string, unknown>;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function tableRows<T extends SQLiteTable>(table: T): TableRows<T> {
	const entries = Object.entries(getTableColumns(table)) as [string, SQLiteColumn][];
	const name = quoted(getTableName(table));
	const columnList = entries.map(([, column]) => quoted(column.name)).join(', ');
	const placeholders = (suffix: string) => `(${entries.map(([key]) => `@${key}${suffix}`).join(', ')})`;
	// What a row that leaves a column out gets, worked out once: drizzle's default, its defaultFn, or null.
	const defaults = entries.map(([, column]): (() => unknown) => {
		if (column.default !== undefined && column.default !== null) {
			if (is(column.default, SQL)) {
				return () => {
					throw new Error(`tableRows: ${name}.${column.name} has an SQL default: give it a value`);
				};
			}
			const value = column.default;
			return () => value;
		}
		return column.defaultFn ?? (() => null);
	});
	const insertParams = (row: T['$inferInsert']): Record<string, unknown> => {
		const given = row as Record<string, unknown>;
		const params: Record<string, unknown> = {};
		entries.forEach(([key, column], i) => {
			const value = given[key] === undefined ? defaults[i]!() : given[key];
			params[key] = value === null ? null : column.mapToDriverValue(value);
		});
		return params;
	};
	return {
		table: name,
		columns: columnList,
		insert: `insert into ${name} (${columnList}) values ${placeholders('')}`,
		read(raw) {
			const row: Record<string, unknown> = {};
			for (const [key, column] of entries) {
				const value = raw[column.name];
				row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
			}
			return row as T['$inferSelect'];
		},
		insertParams,
		insertMany: (count) => `insert into ${name} (${columnList}) values ${Array.from({ length: count }, (_, n) => placeholders(`_${n}`)).join(', ')}`,
		insertManyParams(rows) {
			const params: Record<string, unknown> = {};
			rows.forEach((row, n) => {
				const given = row as Record<string, unknown>;
				entries.forEach(([key, column], i) => {
					const value = given[key] === undefined ? defaults[i]!() : given[key];
					params[`${key}_${n}`] = value === null ? null : column.mapToDriverValue(value);
				});
			});
			return params;
		}
	};
}

/**
 * Inserts rows of one table in one statement (one round trip on PostgreSQL), in the order given:
 * a statement per number of rows, prepared the first time that many are inserted. For use inside a
 * `preparedStatements` factory, so each connection keeps its own.
 */
export function rowInserter<T extends SQLiteTable>(client: StatementFactory, rows: TableRows<T>): (values: readonly T['$inferInsert'][]) => Promise<void> {
	const byCount = new Map<number, Statement<Record<string, unknown>, unknown>>();
	return async (values) => {
		if (values.length === 0) return;
		let statement = byCount.get(values.length);
		if (statement === undefined) {
			statement = client.prepare<Record<string, unknown>>(rows.insertMany(values.length));
			byCount.set(values.length, statement);
		}
		await statement.run(rows.insertManyParams(values));
	};
}

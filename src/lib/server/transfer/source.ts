/**
 * What db:export asks of the database it reads (sqlite-source.ts, postgres-source.ts): one
 * consistent snapshot, the tables the database holds, a table's row count, and a table's rows in the
 * archive's order. That order is the same on both engines, so an archive written from either is the
 * same file: a table's rows in primary-key order (text compared byte by byte, SQLite's way and
 * PostgreSQL's under the C collation it requires), except the tables of INSERTION_ORDERED_TABLES,
 * whose rows come in the order they were inserted, which db:import keeps by inserting them in it.
 */
import type { ColumnInfo, TableInfo } from './catalogue';
import type { RowValues } from './links';

export interface ExportSource {
	readonly engine: string;
	/** Runs `read` on one snapshot of the database: a write committed meanwhile is in none of what it reads. */
	snapshot<T>(read: () => Promise<T>): Promise<T>;
	/**
	 * The tables the database holds with rows of their own: not the engine's or drizzle's bookkeeping,
	 * and not what the database derives itself (the customer-name search index: SQLite's FTS5 table
	 * and its shadow tables, PostgreSQL's customer_name_search).
	 */
	tableNames(): Promise<string[]>;
	count(table: TableInfo): Promise<number>;
	/** The table's rows (the columns given, or all), database column names to drizzle's values, in the archive's order. */
	rows(table: TableInfo, columns?: readonly ColumnInfo[]): AsyncIterable<RowValues>;
}


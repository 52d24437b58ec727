/**
 * What db:import asks of the database it writes (sqlite-target.ts, postgres-target.ts): one
 * transaction around the whole import, a row looked up by its columns, a row inserted, the engine's
 * own work once every row is in, and a refused insert explained in words. Rows are found and
 * inserted through drizzle's query builder with the schema's (SQLite) table declarations, which
 * both engines take; only the transaction, the finishing work and the errors differ.
 */
import { and, eq } from 'drizzle-orm';
import { dbGet, dbRun, type Db } from '$lib/core/database';
import type { TableInfo } from './catalogue';

export interface ImportTarget {
	readonly engine: string;
	/**
	 * Runs `work` in the one transaction every row goes into, with the database's triggers on:
	 * committed when `work` returns, rolled back when it throws. Statements made through the `Db`
	 * meanwhile (verify.ts's) run in it.
	 */
	transaction<T>(work: () => Promise<T>): Promise<T>;
	/** A row whose columns (drizzle property names) hold these values, if the database has one. */
	find(table: TableInfo, match: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
	insert(table: TableInfo, values: Record<string, unknown>): Promise<void>;
	/** Once every row is in, before verification and the commit. */
	finish(): Promise<void>;
	/** What a refused insert means, in words; undefined for an error that is not the data's fault. */
	explain(error: unknown): string | undefined;
}

export async function findRow(db: Db, table: TableInfo, match: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
	const columns = table.columns.filter((c) => c.key in match);
	return (await dbGet(
		db
			.select()
			.from(table.table)
			.where(and(...columns.map((c) => eq(c.column, match[c.key]))))
	)) as Record<string, unknown> | undefined;
}

export async function insertRow(db: Db, table: TableInfo, values: Record<string, unknown>): Promise<void> {
	await dbRun(db.insert(table.table).values(values));
}

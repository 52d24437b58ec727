/**
 * Every table of a test database, its rows in the order they were written: for tests that two ways
 * of doing the same work (a bulk path and the per-record one) left the same database behind.
 */
import { sql } from 'drizzle-orm';
import { dbQuery, engineOf, type Db } from './database';

/** Every table's rows in the order they were written (SQLite's rowid; PostgreSQL's insertion order where kept). */
export async function everyRow(db: Db): Promise<Record<string, unknown[]>> {
	const tables: Record<string, unknown[]> = {};
	if (engineOf(db) === 'sqlite') {
		const names = await dbQuery<{ name: string }>(db, sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name`);
		for (const { name } of names) {
			// The vocabulary is a view of the index, whose own tables are compared.
			if (name === 'customer_name_terms') continue;
			const withoutRowid = (await dbQuery<{ sql: string }>(db, sql`select sql from sqlite_master where name = ${name}`))[0]!.sql.toLowerCase().includes('without rowid');
			tables[name] = await dbQuery(db, sql.raw(withoutRowid ? `select * from "${name}"` : `select rowid as "#", * from "${name}" order by rowid`));
		}
	} else {
		const names = await dbQuery<{ name: string }>(db, sql`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like '__drizzle%' order by table_name`);
		for (const { name } of names) {
			const columns = (await dbQuery<{ c: string }>(db, sql`select column_name as c from information_schema.columns where table_schema = current_schema() and table_name = ${name}`)).map((r) => r.c);
			const order = columns.includes('insertion_order') ? 'insertion_order' : columns.includes('position') ? 'position' : undefined;
			const rows = await dbQuery<Record<string, unknown>>(db, sql.raw(`select * from "${name}"${order ? ` order by ${order}` : ''}`));
			tables[name] = order ? rows : rows.map((r) => JSON.stringify(r)).sort();
		}
	}
	return tables;
}

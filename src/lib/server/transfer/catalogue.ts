/**
 * What db:export and db:import know of the schema, read from the drizzle schema itself (the files
 * drizzle.config.ts lists) rather than kept by hand: every table, its columns and their types, its
 * primary key, its foreign keys, and the order that inserts parents before children. A table added
 * later is carried without a change here.
 *
 * What the schema does not say is said in `links.ts`: the columns that name another row without a
 * foreign key, and the tables never carried.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { TRANSIENT_TABLES } from './links';
import { TransferError } from './errors';

/** How a column's values are written in an archive (explicit, so another engine reads them the same). */
export type ColumnType = 'text' | 'integer' | 'real' | 'boolean' | 'json' | 'blob' | 'timestamp' | 'bigint';

export interface ColumnInfo {
	/** The column's name in the database (snake case), as the archive names it. */
	name: string;
	/** The property drizzle maps it to. */
	key: string;
	type: ColumnType;
	column: SQLiteColumn;
	/** A single-column primary key or UNIQUE: each value names at most one row. */
	unique: boolean;
}

export interface ForeignKeyInfo {
	columns: string[];
	parent: string;
	parentColumns: string[];
}

export interface TableInfo {
	name: string;
	table: SQLiteTable;
	columns: ColumnInfo[];
	primaryKey: string[];
	foreignKeys: ForeignKeyInfo[];
}

export interface Catalogue {
	/** Every table carried, parents before children. */
	tables: TableInfo[];
	byName: Map<string, TableInfo>;
	/** Tables in the schema that are never carried (links.ts TRANSIENT_TABLES). */
	transient: string[];
}

const COLUMN_TYPES: Record<string, ColumnType> = {
	SQLiteText: 'text',
	SQLiteInteger: 'integer',
	SQLiteReal: 'real',
	SQLiteNumeric: 'text',
	SQLiteBoolean: 'boolean',
	SQLiteTextJson: 'json',
	SQLiteBlobJson: 'json',
	SQLiteBlobBuffer: 'blob',
	SQLiteTimestamp: 'timestamp',
	SQLiteBigInt: 'bigint'
};

/** The schema files drizzle-kit reads, from drizzle.config.ts in the project's root. */
export async function schemaFiles(root = process.cwd()): Promise<string[]> {
	const config = (await import(/* @vite-ignore */ pathToFileURL(join(root, 'drizzle.config.ts')).href)) as { default: { schema: string | string[] } };
	const listed = config.default.schema;
	return (Array.isArray(listed) ? listed : [listed]).map((file) => resolve(root, file));
}

/** Every table the schema files export (a table re-exported by two files counts once). */
export async function loadCatalogue(root = process.cwd()): Promise<Catalogue> {
	const tables = new Map<string, SQLiteTable>();
	for (const file of await schemaFiles(root)) {
		const exported = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
		for (const value of Object.values(exported)) {
			if (is(value, SQLiteTable)) tables.set(getTableConfig(value).name, value);
		}
	}
	return catalogueOf([...tables.values()]);
}

export function catalogueOf(tables: SQLiteTable[]): Catalogue {
	const infos: TableInfo[] = [];
	const transient: string[] = [];
	for (const table of tables) {
		const config = getTableConfig(table);
		if ((TRANSIENT_TABLES as readonly string[]).includes(config.name)) {
			transient.push(config.name);
			continue;
		}
		const keyOf = new Map(Object.entries(table as unknown as Record<string, SQLiteColumn>).filter(([, c]) => config.columns.includes(c)).map(([k, c]) => [c, k]));
		const compositeKey = config.primaryKeys[0]?.columns.map((c) => c.name);
		const primaryKey = compositeKey ?? config.columns.filter((c) => c.primary).map((c) => c.name);
		if (primaryKey.length === 0) throw new TransferError(`Table ${config.name} has no primary key, so its rows cannot be compared or paged: give it one before exporting.`);
		const columns = config.columns.map((column): ColumnInfo => {
			const type = COLUMN_TYPES[column.columnType];
			if (!type) throw new TransferError(`Column ${config.name}.${column.name} is of a kind the archive has no encoding for (${column.columnType}).`);
			const key = keyOf.get(column);
			if (!key) throw new TransferError(`Column ${config.name}.${column.name} has no property on its table.`);
			return { name: column.name, key, type, column, unique: column.isUnique || (column.primary && compositeKey === undefined) };
		});
		const foreignKeys = config.foreignKeys.map((fk) => {
			const ref = fk.reference();
			return { columns: ref.columns.map((c) => c.name), parent: getTableConfig(ref.foreignTable).name, parentColumns: ref.foreignColumns.map((c) => c.name) };
		});
		infos.push({ name: config.name, table, columns, primaryKey, foreignKeys });
	}
	const ordered = parentsFirst(infos);
	return { tables: ordered, byName: new Map(ordered.map((t) => [t.name, t])), transient: transient.sort() };
}

/**
 * Tables ordered so that every table comes after the tables its foreign keys name (ties by name, so
 * the order, and so an archive, is the same on every run). A cycle cannot be inserted in one pass.
 */
function parentsFirst(tables: TableInfo[]): TableInfo[] {
	const byName = new Map(tables.map((t) => [t.name, t]));
	const done = new Set<string>();
	const ordered: TableInfo[] = [];
	const remaining = [...tables].sort((a, b) => a.name.localeCompare(b.name));
	while (remaining.length > 0) {
		const next = remaining.findIndex((t) => t.foreignKeys.every((fk) => fk.parent === t.name || done.has(fk.parent) || !byName.has(fk.parent)));
		if (next < 0) throw new TransferError(`The foreign keys of ${remaining.map((t) => t.name).join(', ')} form a cycle: no order inserts their parents first.`);
		const [table] = remaining.splice(next, 1);
		ordered.push(table!);
		done.add(table!.name);
	}
	return ordered;
}

/** The tag of the last migration in the folder (drizzle's journal): the schema an archive is written in. */
export function schemaTag(migrationsFolder = resolve(process.cwd(), 'drizzle')): string {
	const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
	const last = [...journal.entries].sort((a, b) => a.idx - b.idx).at(-1);
	if (!last) throw new TransferError(`No migrations in ${migrationsFolder}.`);
	return last.tag;
}

import { is, SQL, Column } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as corePg from '../src/lib/core/schema-pg';
import * as simPg from '../src/lib/sim/schema-pg';
import * as serverPg from '../src/lib/server/db/pg/schema';
import { generatePgSchema, pgDataType, pgDefault, pgIdentifier, PROJECT_ROOT, sqliteTables } from './pg-schema';

/** A table as both engines must agree on it, in the PostgreSQL terms of the mapping. */
interface Shape {
	columns: Record<string, { type: string; notNull: boolean; default: string | null }>;
	primaryKey: string[];
	unique: string[];
	indexes: string[];
	foreignKeys: string[];
}

const names = (columns: Column[]) => columns.map((c) => c.name).join(',');
const fragmentText = (value: SQL | undefined) =>
	value === undefined ? '' : value.queryChunks.map((c) => (is(c, Column) ? `"${c.name}"` : (c as { value: string[] }).value.join(''))).join('');

function sqliteShape(table: SQLiteTable): Shape {
	const config = sqliteTableConfig(table);
	const pk = config.columns.filter((c) => c.primary).map((c) => c.name);
	return {
		columns: Object.fromEntries(
			config.columns.map((c: SQLiteColumn) => [c.name, { type: pgDataType(c), notNull: c.notNull || c.primary, default: pgDefault(c)?.replace(/^sql:/, '') ?? null }])
		),
		primaryKey: pk.length ? pk : (config.primaryKeys[0]?.columns.map((c) => c.name) ?? []),
		unique: [
			...config.columns.filter((c) => c.isUnique).map((c) => `${pgIdentifier(c.uniqueName!)}:${c.name}`),
			...config.uniqueConstraints.map((u) => `${pgIdentifier(u.getName() ?? '')}:${names(u.columns)}`)
		].sort(),
		indexes: config.indexes.map((i) => `${i.config.unique ? 'unique ' : ''}${pgIdentifier(i.config.name)}(${names(i.config.columns as Column[])}) ${fragmentText(i.config.where)}`).sort(),
		foreignKeys: config.foreignKeys
			.map((fk) => {
				const r = fk.reference();
				return `${names(r.columns)}→${sqliteTableConfig(r.foreignTable).name}(${names(r.foreignColumns)}) delete ${fk.onDelete ?? 'no action'} update ${fk.onUpdate ?? 'no action'}`;
			})
			.sort()
	};
}

function pgShape(table: PgTable): Shape {
	const config = pgTableConfig(table);
	const pk = config.columns.filter((c) => c.primary).map((c) => c.name);
	const defaultOf = (c: PgColumn) => (c.default === undefined ? null : is(c.default, SQL) ? fragmentText(c.default) : JSON.stringify(c.default));
	return {
		columns: Object.fromEntries(config.columns.map((c) => [c.name, { type: c.getSQLType().replace(/^bigint.*/, 'bigint'), notNull: c.notNull, default: defaultOf(c) }])),
		primaryKey: pk.length ? pk : (config.primaryKeys[0]?.columns.map((c) => c.name) ?? []),
		unique: [
			...config.columns.filter((c) => c.isUnique).map((c) => `${c.uniqueName}:${c.name}`),
			...config.uniqueConstraints.map((u) => `${u.getName()}:${names(u.columns)}`)
		].sort(),
		indexes: config.indexes.map((i) => `${i.config.unique ? 'unique ' : ''}${i.config.name}(${names(i.config.columns as Column[])}) ${fragmentText(i.config.where)}`).sort(),
		foreignKeys: config.foreignKeys
			.map((fk) => {
				const r = fk.reference();
				return `${names(r.columns)}→${pgTableConfig(r.foreignTable).name}(${names(r.foreignColumns)}) delete ${fk.onDelete ?? 'no action'} update ${fk.onUpdate ?? 'no action'}`;
			})
			.sort()
	};
}

describe('the PostgreSQL schema', () => {
	it('is what scripts/pg-schema.ts generates from the SQLite schema today (run npm run db:schema:pg)', async () => {
		const generated = await generatePgSchema();
		expect([...generated.keys()].sort()).toEqual(['src/lib/core/schema-pg.ts', 'src/lib/server/db/pg/schema.ts', 'src/lib/sim/schema-pg.ts']);
		for (const [file, text] of generated) expect(readFileSync(resolve(PROJECT_ROOT, file), 'utf8'), file).toBe(text);
	});

	it('declares the same tables, columns, keys and indexes as the SQLite schema', async () => {
		const sqlite = new Map((await sqliteTables()).map(({ table }) => [sqliteTableConfig(table).name, sqliteShape(table)]));
		const pg = new Map(
			([...Object.values(corePg), ...Object.values(simPg), ...Object.values(serverPg)] as unknown[])
				.filter((value): value is PgTable => is(value, PgTable))
				.map((table) => [pgTableConfig(table).name, pgShape(table)])
		);
		expect([...pg.keys()].sort()).toEqual([...sqlite.keys()].sort());
		for (const [name, shape] of sqlite) expect({ table: name, ...pg.get(name) }).toEqual({ table: name, ...shape });
	});

	it('maps each SQLite type to the PostgreSQL type that returns the same JavaScript values', async () => {
		const tables = await sqliteTables();
		const types = new Map<string, string>();
		for (const { table } of tables) for (const c of sqliteTableConfig(table).columns) types.set(c.columnType, pgDataType(c));
		expect(Object.fromEntries(types)).toMatchObject({ SQLiteText: 'text', SQLiteTextJson: 'text', SQLiteBoolean: 'boolean', SQLiteInteger: 'bigint' });
	});

	it('gives every table whose rows are ordered by insertionOrder() the identity column that stands in for rowid', async () => {
		const byExport = new Map((await sqliteTables()).map(({ exportName, table }) => [exportName, sqliteTableConfig(table).name]));
		const migration = readdirSync(resolve(PROJECT_ROOT, 'drizzle-pg'))
			.filter((f) => f.endsWith('.sql'))
			.map((f) => readFileSync(resolve(PROJECT_ROOT, 'drizzle-pg', f), 'utf8'))
			.join('\n');
		const sources = (dir: string): string[] =>
			readdirSync(resolve(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
				entry.isDirectory() ? sources(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [`${dir}/${entry.name}`] : []
			);
		const ordered = new Set<string>();
		for (const file of sources('src/lib')) {
			for (const [, name] of readFileSync(resolve(PROJECT_ROOT, file), 'utf8').matchAll(/insertionOrder\(\s*[\w.]+,\s*(\w+)\s*\)/g)) ordered.add(name!);
		}
		expect(ordered.size).toBeGreaterThan(10);
		for (const name of ordered) {
			const table = byExport.get(name);
			expect(table, `${name} is a table`).toBeDefined();
			expect(migration, `${table} has insertion_order`).toContain(`ALTER TABLE "${table}" ADD COLUMN insertion_order bigint GENERATED ALWAYS AS IDENTITY`);
		}
	});
});

/**
 * Writes the PostgreSQL declaration of every table from the SQLite one, one file per layer
 * (src/lib/core/schema-pg.ts, src/lib/sim/schema-pg.ts, src/lib/server/db/pg/schema.ts), so the
 * schema is designed once: `npm run db:schema:pg` after changing a SQLite schema file, then
 * `npm run db:generate:pg` for the migration. scripts/pg-schema.test.ts fails when a generated file
 * is out of date.
 *
 * Types map so that the same JavaScript values go in and come out on both engines
 * (docs/postgresql.md): text stays text (ISO timestamps compare the same way), JSON stays the exact
 * text that was written (jsonText), integer booleans become boolean, integers bigint in number mode
 * (millisecond timestamps exceed 32 bits), blobs bytea, reals double precision.
 */
import { is, SQL, Column } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PROJECT_ROOT = root;

/** PostgreSQL truncates identifiers at 63 bytes; a longer name is shortened with a hash of the whole. */
export function pgIdentifier(name: string): string {
	if (Buffer.byteLength(name) <= 63) return name;
	return `${name.slice(0, 54)}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** The PostgreSQL column type (as information_schema.columns.data_type names it) for a SQLite column. */
export function pgDataType(column: SQLiteColumn): string {
	switch (column.columnType) {
		case 'SQLiteText':
		case 'SQLiteTextJson':
		case 'SQLiteBlobJson':
			return 'text';
		case 'SQLiteBoolean':
			return 'boolean';
		case 'SQLiteInteger':
		case 'SQLiteTimestamp':
			return 'bigint';
		case 'SQLiteBigInt':
		case 'SQLiteBlobBuffer':
			return 'bytea';
		case 'SQLiteReal':
			return 'double precision';
		case 'SQLiteNumeric':
			return 'numeric';
		default:
			throw new Error(`${column.table ? getTableConfig(column.table).name : '?'}.${column.name}: no PostgreSQL type for ${column.columnType}; add one to scripts/pg-schema.ts`);
	}
}

/**
 * SQL defaults, SQLite text → PostgreSQL text. A default not listed is an error, never a silent
 * copy of SQLite-only SQL.
 */
const SQL_DEFAULTS: Record<string, string> = {
	"(strftime('%Y-%m-%dT%H:%M:%fZ','now'))": `to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
	"'{}'": "'{}'"
};

/** The text of a SQL object whose chunks are plain strings (a default). */
function plainSqlText(value: SQL): string {
	return value.queryChunks
		.map((chunk) => {
			if (typeof chunk === 'object' && chunk !== null && 'value' in chunk && Array.isArray(chunk.value)) return chunk.value.join('');
			throw new Error('a SQL default may hold only text');
		})
		.join('');
}

/** A column's default as PostgreSQL sees it: a literal's JSON, or the mapped SQL text. */
export function pgDefault(column: SQLiteColumn): string | undefined {
	const value = column.default;
	if (value === undefined) return undefined;
	if (is(value, SQL)) {
		const text = plainSqlText(value);
		const mapped = SQL_DEFAULTS[text];
		if (mapped === undefined) throw new Error(`${column.name}: no PostgreSQL equivalent for the default ${text}; add one to SQL_DEFAULTS in scripts/pg-schema.ts`);
		return `sql:${mapped}`;
	}
	return JSON.stringify(value);
}

/** The schema modules drizzle-kit reads for SQLite, in drizzle.config.ts's order. */
async function sqliteSchemaModules(): Promise<string[]> {
	const config = (await import(pathToFileURL(resolve(root, 'drizzle.config.ts')).href)).default as { schema: string[] };
	return config.schema.map((path) => resolve(root, path));
}

interface SourceTable {
	exportName: string;
	module: string;
	table: SQLiteTable;
}

/** Every SQLite table exported by the schema modules, once each, in module order. */
export async function sqliteTables(): Promise<SourceTable[]> {
	const seen = new Map<SQLiteTable, SourceTable>();
	const names = new Set<string>();
	for (const module of await sqliteSchemaModules()) {
		const exports = await import(pathToFileURL(module).href);
		// Sorted: the order of a module namespace's keys differs between loaders (tsx, vitest).
		for (const [exportName, value] of Object.entries(exports).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
			if (!is(value, SQLiteTable) || seen.has(value)) continue;
			if (names.has(exportName)) throw new Error(`two tables are exported as ${exportName}`);
			names.add(exportName);
			seen.set(value, { exportName, module, table: value });
		}
	}
	return [...seen.values()];
}

/** A single-quoted TypeScript string literal. */
const q = (s: string) => `'${s.replace(/[\\']/g, (c) => '\\' + c)}'`;

/** Renders a table-level SQL fragment (an index's WHERE) with its columns as `${t.key}`. */
function fragment(value: SQL, keyOf: (column: Column) => string): string {
	return value.queryChunks
		.map((chunk) => {
			if (is(chunk, Column)) return '${t.' + keyOf(chunk) + '}';
			if (typeof chunk === 'object' && chunk !== null && 'value' in chunk && Array.isArray(chunk.value)) return chunk.value.join('').replace(/[`\\$]/g, (c) => '\\' + c);
			throw new Error('an index condition may hold only text and columns');
		})
		.join('');
}

function columnCode(column: SQLiteColumn, typeRef: string, used: Set<string>): string {
	const name = q(column.name);
	let code: string;
	switch (pgDataType(column)) {
		case 'text':
			if (column.columnType === 'SQLiteText') {
				code = column.enumValues?.length ? `text(${name}, { enum: [${column.enumValues.map(q).join(', ')}] })` : `text(${name})`;
			} else {
				code = `jsonText(${name}).$type<NonNullable<${typeRef}>>()`;
			}
			break;
		case 'boolean':
			code = `boolean(${name})`;
			break;
		case 'bigint':
			code = `bigint(${name}, { mode: 'number' })`;
			break;
		case 'bytea':
			code = `bytea(${name})`;
			break;
		case 'double precision':
			code = `doublePrecision(${name})`;
			break;
		default:
			code = `numeric(${name})`;
	}
	used.add(code.slice(0, code.indexOf('(')));
	if (column.primary) code += '.primaryKey()';
	if ((column as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement) code += '.generatedByDefaultAsIdentity()';
	if (column.notNull && !column.primary) code += '.notNull()';
	const value = pgDefault(column);
	if (value !== undefined) {
		if (value.startsWith('sql:')) used.add('sql');
		if (value.startsWith('sql:')) code += `.default(sql\`${value.slice(4).replace(/[`\\$]/g, (c) => '\\' + c)}\`)`;
		else code += `.default(${typeof column.default === 'string' ? q(column.default) : value})`;
	}
	if (column.isUnique) code += `.unique(${q(pgIdentifier(column.uniqueName!))})`;
	return code;
}

/** The file, relative to the project, that declares a SQLite schema module's tables for PostgreSQL. */
function pgFileFor(module: string): string {
	const path = relative(root, module).replaceAll('\\', '/');
	if (path.startsWith('src/lib/core/')) return 'src/lib/core/schema-pg.ts';
	if (path.startsWith('src/lib/sim/')) return 'src/lib/sim/schema-pg.ts';
	return 'src/lib/server/db/pg/schema.ts';
}

/** A relative import specifier from one project file to another. */
function importPath(from: string, to: string): string {
	const path = relative(dirname(resolve(root, from)), resolve(root, to)).replaceAll('\\', '/').replace(/\.ts$/, '');
	return path.startsWith('.') ? path : `./${path}`;
}

/**
 * The generated TypeScript modules declaring every table with drizzle pg-core, by file: one per
 * layer (core, sim, server), so each layer's code can import its own tables as it does on SQLite.
 */
export async function generatePgSchema(): Promise<Map<string, string>> {
	const sources = await sqliteTables();
	const byTable = new Map(sources.map((s) => [s.table, s]));
	const files = [...new Set(sources.map((s) => pgFileFor(s.module)))];
	const result = new Map<string, string>();
	for (const file of files) {
		const mine = sources.filter((s) => pgFileFor(s.module) === file);
		const modules = [...new Set(mine.map((s) => s.module))];
		const alias = (module: string) => `sqlite${modules.indexOf(module)}`;
		const out: string[] = [];
		const used = new Set<string>(['pgTable']);
		/** Tables of other generated files that this one's foreign keys name, by file. */
		const imported = new Map<string, Set<string>>();
		for (const { exportName, module, table } of mine) {
			const config = getTableConfig(table);
			const keys = new Map<Column, string>();
			for (const [key, column] of Object.entries(table)) if (is(column, Column)) keys.set(column, key);
			const keyOf = (column: Column) => {
				const key = keys.get(column);
				if (key === undefined) throw new Error(`${config.name}: column ${column.name} not found`);
				return key;
			};
			const columns = config.columns.map(
				(column) => `\t${keyOf(column)}: ${columnCode(column, `(typeof ${alias(module)}.${exportName}.$inferSelect)[${q(keyOf(column))}]`, used)}`
			);
			const extras: string[] = [];
			if (config.primaryKeys.length) used.add('primaryKey');
			if (config.uniqueConstraints.length) used.add('unique');
			if (config.foreignKeys.length) used.add('foreignKey');
			for (const pk of config.primaryKeys) {
				extras.push(`primaryKey({ name: ${q(pgIdentifier(pk.getName()))}, columns: [${pk.columns.map((c) => `t.${keyOf(c)}`).join(', ')}] })`);
			}
			for (const u of config.uniqueConstraints) {
				const name = u.getName();
				if (name === undefined) throw new Error(`${config.name}: a unique constraint without a name`);
				extras.push(`unique(${q(pgIdentifier(name))}).on(${u.columns.map((c) => `t.${keyOf(c)}`).join(', ')})`);
			}
			for (const i of config.indexes) {
				const on = i.config.columns.map((c) => {
					if (!is(c, Column)) throw new Error(`${config.name}: index ${i.config.name} on an expression`);
					return `t.${keyOf(c)}`;
				});
				let code = `${i.config.unique ? 'uniqueIndex' : 'index'}(${q(pgIdentifier(i.config.name))}).on(${on.join(', ')})`;
				used.add(i.config.unique ? 'uniqueIndex' : 'index');
				if (i.config.where) {
					used.add('sql');
					code += `.where(sql\`${fragment(i.config.where, keyOf)}\`)`;
				}
				extras.push(code);
			}
			for (const fk of config.foreignKeys) {
				const reference = fk.reference();
				const target = byTable.get(reference.foreignTable as SQLiteTable);
				if (!target) throw new Error(`${config.name}: foreign key to a table no schema module exports`);
				const targetFile = pgFileFor(target.module);
				if (targetFile !== file) imported.set(targetFile, (imported.get(targetFile) ?? new Set()).add(target.exportName));
				const targetKeys = new Map<Column, string>();
				for (const [key, column] of Object.entries(target.table)) if (is(column, Column)) targetKeys.set(column, key);
				let code = `foreignKey({ name: ${q(pgIdentifier(fk.getName()))}, columns: [${reference.columns.map((c) => `t.${keyOf(c)}`).join(', ')}], foreignColumns: [${reference.foreignColumns
					.map((c) => `${target.exportName}.${targetKeys.get(c)}`)
					.join(', ')}] })`;
				if (fk.onDelete && fk.onDelete !== 'no action') code += `.onDelete(${q(fk.onDelete)})`;
				if (fk.onUpdate && fk.onUpdate !== 'no action') code += `.onUpdate(${q(fk.onUpdate)})`;
				extras.push(code);
			}
			out.push('');
			const tail = extras.length ? `,\n\t(t) => [\n\t\t${extras.join(',\n\t\t')}\n\t]` : '';
			out.push(`export const ${exportName} = pgTable(\n\t${q(config.name)},\n\t{\n${columns.map((c) => '\t' + c).join(',\n')}\n\t}${tail}\n);`);
		}
		const own = ['bytea', 'jsonText'].filter((b) => used.has(b));
		const builders = [...used].filter((b) => b !== 'sql' && !own.includes(b)).sort();
		const head = [
			'// Generated by scripts/pg-schema.ts from the SQLite schema (drizzle.config.ts): do not edit.',
			'// Run `npm run db:schema:pg` after changing a SQLite table, then `npm run db:generate:pg`.',
			'// docs/postgresql.md explains the type mapping.',
			...(used.has('sql') ? ["import { sql } from 'drizzle-orm';"] : []),
			`import { ${builders.join(', ')} } from 'drizzle-orm/pg-core';`,
			...(own.length ? [`import { ${own.join(', ')} } from ${q(importPath(file, 'src/lib/core/pg-columns.ts'))};`] : []),
			...[...imported].sort(([a], [b]) => (a < b ? -1 : 1)).map(([from, names]) => `import { ${[...names].sort().join(', ')} } from ${q(importPath(file, from))};`),
			...modules.map((module) => `import type * as ${alias(module)} from ${q(importPath(file, relative(root, module)))};`)
		];
		result.set(file, [...head, ...out].join('\n') + '\n');
	}
	return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	for (const [file, text] of await generatePgSchema()) {
		writeFileSync(resolve(root, file), text);
		console.log(`wrote ${file}`);
	}
}

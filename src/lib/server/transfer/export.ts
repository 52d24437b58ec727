/**
 * `npm run db:export`: writes the whole installation, or one centre (centre-scope.ts), as an
 * archive (archive.ts) from one consistent snapshot of the database. The file is written beside its
 * final name and renamed when complete, readable by its owner only: it holds everything the centre's
 * database does, password hashes included.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { asc, count, sql, type SQL } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { loadCatalogue, schemaTag, type Catalogue, type TableInfo } from './catalogue';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, encodeValue, type ArchiveHeader, type ArchiveScope } from './archive';
import { centreRows, findCentre, rowKey } from './centre-scope';
import type { RowValues } from './links';

export interface ExportOptions {
	/** An organisation's id or exact name; the whole installation when absent. */
	centre?: string;
	migrationsFolder?: string;
	/** The project root, where drizzle.config.ts is. */
	root?: string;
	now?: Date;
}

const PAGE_ROWS = 1000;

/** A table's rows in primary-key order, a page at a time (keyset paging: the same on every engine). */
function* tableRows(db: Db, table: TableInfo): Generator<RowValues> {
	const key = table.primaryKey.map((name) => table.columns.find((c) => c.name === name)!);
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
			.select()
			.from(table.table)
			.where(where)
			.orderBy(...key.map((c) => asc(c.column)))
			.limit(PAGE_ROWS)
			.all() as Record<string, unknown>[];
		for (const row of page) yield Object.fromEntries(table.columns.map((c) => [c.name, row[c.key]]));
		if (page.length < PAGE_ROWS) return;
		const last = page.at(-1)!;
		after = key.map((c) => last[c.key]);
	}
}

function* archiveText(db: Db, catalogue: Catalogue, header: ArchiveHeader, keep: Map<string, Set<string>> | undefined): Generator<string> {
	yield JSON.stringify(header) + '\n';
	for (const table of catalogue.tables) {
		const wanted = keep?.get(table.name);
		for (const row of tableRows(db, table)) {
			if (wanted && !wanted.has(rowKey(table, row))) continue;
			const encoded = Object.fromEntries(table.columns.map((c) => [c.name, encodeValue(c, row[c.name])]));
			yield JSON.stringify({ table: table.name, row: encoded }) + '\n';
		}
	}
}

/** Writes the archive to `out` and returns its header (counts per table). */
export async function exportArchive(db: Db, out: string, options: ExportOptions = {}): Promise<ArchiveHeader> {
	const catalogue = await loadCatalogue(options.root);
	const schema = schemaTag(options.migrationsFolder);
	// One snapshot for the counts and the rows: a write committed meanwhile is in neither.
	db.run(sql`BEGIN`);
	try {
		let scope: ArchiveScope = { kind: 'installation' };
		let keep: Map<string, Set<string>> | undefined;
		if (options.centre !== undefined) {
			const centre = findCentre(db, options.centre);
			scope = { kind: 'centre', organisationId: centre.id, name: centre.name };
			keep = centreRows(db, catalogue, centre.id);
		}
		const header: ArchiveHeader = {
			format: ARCHIVE_FORMAT,
			version: ARCHIVE_VERSION,
			schema,
			sourceEngine: 'sqlite',
			exportedAt: (options.now ?? new Date()).toISOString(),
			scope,
			tables: catalogue.tables.map((t) => ({
				name: t.name,
				columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
				primaryKey: t.primaryKey,
				rows: keep ? keep.get(t.name)!.size : db.select({ n: count() }).from(t.table).get()!.n
			}))
		};
		const partial = `${out}.partial-${process.pid}`;
		try {
			await pipeline(Readable.from(archiveText(db, catalogue, header, keep)), createGzip(), createWriteStream(partial, { mode: 0o600 }));
			renameSync(partial, out);
		} catch (e) {
			rmSync(partial, { force: true });
			throw e;
		}
		return header;
	} finally {
		db.run(sql`COMMIT`);
	}
}

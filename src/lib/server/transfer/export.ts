/**
 * `npm run db:export`: writes the whole installation, or one centre (centre-scope.ts), as an
 * archive (archive.ts) from one consistent snapshot of the database. The file is written beside its
 * final name and renamed when complete, readable by its owner only: it holds everything the centre's
 * database does, password hashes included.
 */
import { mapInOrder } from '$lib/core/in-order';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { engineOf, type Db } from '$lib/core/database';
import { loadCatalogue, schemaTag, type Catalogue } from './catalogue';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, encodeValue, type ArchiveHeader, type ArchiveScope } from './archive';
import { centreRows, findCentre, rowKey } from './centre-scope';
import { sqliteSource } from './sqlite-source';
import { postgresSource } from './postgres-source';
import type { ExportSource } from './source';
import { TransferError } from './errors';

export interface ExportOptions {
	/** An organisation's id or exact name; the whole installation when absent. */
	centre?: string;
	migrationsFolder?: string;
	/** The project root, where drizzle.config.ts is. */
	root?: string;
	now?: Date;
	/** The database read; by default `db` itself, on its engine. */
	source?: ExportSource;
}

async function* archiveText(source: ExportSource, catalogue: Catalogue, header: ArchiveHeader, keep: Map<string, Set<string>> | undefined): AsyncGenerator<string> {
	yield JSON.stringify(header) + '\n';
	for (const table of catalogue.tables) {
		const wanted = keep?.get(table.name);
		for await (const row of source.rows(table)) {
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
	const source = options.source ?? (engineOf(db) === 'postgres' ? postgresSource(db) : sqliteSource(db));
	// One snapshot for the counts and the rows.
	return source.snapshot(async () => {
		const unknown = (await source.tableNames()).filter((name) => !catalogue.byName.has(name) && !catalogue.transient.includes(name));
		if (unknown.length > 0) {
			throw new TransferError(`The database holds ${unknown.join(', ')}, which the drizzle schema (drizzle.config.ts) does not declare: db:export would leave its rows behind, so it stops.`);
		}
		let scope: ArchiveScope = { kind: 'installation' };
		let keep: Map<string, Set<string>> | undefined;
		if (options.centre !== undefined) {
			const centre = await findCentre(source, catalogue, options.centre);
			scope = { kind: 'centre', organisationId: centre.id, name: centre.name };
			keep = await centreRows(source, catalogue, centre.id);
		}
		const header: ArchiveHeader = {
			format: ARCHIVE_FORMAT,
			version: ARCHIVE_VERSION,
			schema,
			sourceEngine: source.engine,
			exportedAt: (options.now ?? new Date()).toISOString(),
			scope,
			tables: await mapInOrder(catalogue.tables, async (t) => ({
				name: t.name,
				columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
				primaryKey: t.primaryKey,
				rows: keep ? keep.get(t.name)!.size : await source.count(t)
			}))
		};
		mkdirSync(dirname(resolve(out)), { recursive: true, mode: 0o700 });
		const partial = `${out}.partial-${process.pid}`;
		try {
			await pipeline(Readable.from(archiveText(source, catalogue, header, keep)), createGzip(), createWriteStream(partial, { mode: 0o600 }));
			renameSync(partial, out);
		} catch (e) {
			rmSync(partial, { force: true });
			throw e;
		}
		return header;
	});
}

/**
 * `npm run db:export`: writes the whole installation, or one centre (centre-scope.ts), as an
 * archive (archive.ts) from one consistent snapshot of the database. The file is written beside its
 * final name and renamed when complete, readable by its owner only: it holds everything the centre's
 * database does, password hashes included. Secrets (TOTP and badge keys) go as the database holds
 * them, encrypted under SECRETS_KEY when it is set (withSecretsSealed).
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
import type { RowValues } from './links';
import { SECRET_COLUMNS } from '$lib/server/security/secret-columns';
import { isSealed, sealSecret, secretsKeyring } from '$lib/server/security/secrets';

export interface ExportOptions {
	/** An organisation's id or exact name; the whole installation when absent. */
	centre?: string;
	migrationsFolder?: string;
	/** The project root, where drizzle.config.ts is. */
	root?: string;
	now?: Date;
	/** The database read; by default `db` itself, on its engine. */
	source?: ExportSource;
	/** Where SECRETS_KEY is read (security/secrets.ts); process.env by default. */
	env?: Record<string, string | undefined>;
	/** Told how many secrets went into the archive in clear (only without SECRETS_KEY), by table.column. */
	onSecretsInClear?: (counts: Record<string, number>) => void;
}

/**
 * A row as the archive carries it: a secret the database still holds in clear (a server not started
 * since SECRETS_KEY was set) is encrypted under SECRETS_KEY, at the same place, so the archive holds
 * no secret in clear while encryption is on. Without SECRETS_KEY it is carried as stored, and counted.
 */
function withSecretsSealed(table: string, row: RowValues, env: Record<string, string | undefined>, inClear: Record<string, number>): RowValues {
	let carried = row;
	for (const spec of SECRET_COLUMNS) {
		const value = row[spec.column];
		if (spec.table !== table || typeof value !== 'string' || isSealed(value)) continue;
		if (!secretsKeyring(env)) {
			const name = `${spec.table}.${spec.column}`;
			inClear[name] = (inClear[name] ?? 0) + 1;
			continue;
		}
		carried = { ...carried, [spec.column]: sealSecret(value, spec.place(row), env) };
	}
	return carried;
}

async function* archiveText(source: ExportSource, catalogue: Catalogue, header: ArchiveHeader, keep: Map<string, Set<string>> | undefined, env: Record<string, string | undefined>, inClear: Record<string, number>): AsyncGenerator<string> {
	yield JSON.stringify(header) + '\n';
	for (const table of catalogue.tables) {
		const wanted = keep?.get(table.name);
		for await (const stored of source.rows(table)) {
			if (wanted && !wanted.has(rowKey(table, stored))) continue;
			const row = withSecretsSealed(table.name, stored, env, inClear);
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
			const env = options.env ?? process.env;
			const inClear: Record<string, number> = {};
			await pipeline(Readable.from(archiveText(source, catalogue, header, keep, env, inClear)), createGzip(), createWriteStream(partial, { mode: 0o600 }));
			renameSync(partial, out);
			if (Object.keys(inClear).length > 0) options.onSecretsInClear?.(inClear);
		} catch (e) {
			rmSync(partial, { force: true });
			throw e;
		}
		return header;
	});
}

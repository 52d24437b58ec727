/**
 * `npm run db:import`: reads an archive (archive.ts) into a migrated database, SQLite or PostgreSQL,
 * in one transaction (sqlite-target.ts, postgres-target.ts). Rows go in the archive's order (parents
 * first, and the insertion-ordered tables' rows in the order they were first inserted), inserts
 * only, so the immutability triggers stay on. A row already present and identical is skipped, which makes importing the same archive twice
 * change nothing (built-in scenario versions, shared by every centre, arrive that way too); a row
 * present with other content refuses the import, naming its table and key. After the last row and
 * before committing, every audit chain and signature the archive carried is verified (verify.ts);
 * any refusal or failure rolls everything back.
 */
import { engineOf, type Db } from '$lib/core/database';
import { loadCatalogue, schemaTag, type Catalogue, type TableInfo } from './catalogue';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, MAX_LINE_BYTES, archiveLines, decodeValue, encodeValue, parseLine, type ArchiveHeader } from './archive';
import { TransferError } from './errors';
import { INSTALLATION_COLUMNS } from './links';
import { sqliteTarget } from './sqlite-target';
import { postgresTarget } from './postgres-target';
import type { ImportTarget } from './target';
import { VERIFIED_TABLES, verifyImported, type VerifiedTable } from './verify';

export interface ImportOptions {
	migrationsFolder?: string;
	root?: string;
	maxLineBytes?: number;
	target?: ImportTarget;
}

export interface ImportSummary {
	header: ArchiveHeader;
	tables: { name: string; inserted: number; present: number }[];
	chains: number;
	signatures: number;
}

/** The migration number a tag starts with ("0026_workplace_decisions" → 26), to say which side is newer. */
const tagNumber = (tag: string) => Number.parseInt(tag, 10);

function checkHeader(value: Record<string, unknown>, catalogue: Catalogue, schema: string): ArchiveHeader {
	if (value.format !== ARCHIVE_FORMAT) throw new TransferError('The file is not a Custodian archive (its first line has no "format": "custodian-archive").');
	if (value.version !== ARCHIVE_VERSION) throw new TransferError(`The archive is in format version ${String(value.version)}; this version of Custodian reads version ${ARCHIVE_VERSION}.`);
	const header = value as unknown as ArchiveHeader;
	if (typeof header.schema !== 'string' || !Array.isArray(header.tables)) throw new TransferError('The archive’s header has no schema tag or no table list.');
	if (header.schema !== schema) {
		const newer = tagNumber(header.schema) > tagNumber(schema);
		throw new TransferError(
			newer
				? `The archive was written by a newer Custodian (schema ${header.schema}); this one is at ${schema}. Upgrade Custodian here, then import.`
				: `The archive was written by an older Custodian (schema ${header.schema}); this one is at ${schema}. Import it into that version, upgrade, then export again.`
		);
	}
	const seen = new Set<string>();
	for (const t of header.tables) {
		const known = catalogue.byName.get(t?.name);
		if (!known) throw new TransferError(`The archive holds table ${String(t?.name)}, which ${catalogue.transient.includes(t?.name) ? 'is never imported' : 'this schema does not have'}.`);
		if (seen.has(t.name)) throw new TransferError(`The archive lists table ${t.name} twice.`);
		seen.add(t.name);
		const expected = JSON.stringify(known.columns.map((c) => ({ name: c.name, type: c.type })));
		if (JSON.stringify(t.columns) !== expected) throw new TransferError(`The archive's columns of ${t.name} are not this schema's.`);
		if (!Number.isSafeInteger(t.rows) || t.rows < 0) throw new TransferError(`The archive's row count of ${t.name} is not a number.`);
	}
	return header;
}

/** Reads the archive into the database; throws a TransferError (and changes nothing) when refused. */
export async function importArchive(db: Db, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
	const catalogue = await loadCatalogue(options.root);
	const schema = schemaTag(options.migrationsFolder);
	const lines = archiveLines(path, options.maxLineBytes ?? MAX_LINE_BYTES);
	try {
		const first = await lines.next();
		if (first.done) throw new TransferError(`${path} is empty.`);
		const header = checkHeader(parseLine(first.value), catalogue, schema);
		const order = header.tables.map((t) => t.name);
		const counts = new Map(order.map((name) => [name, { name, inserted: 0, present: 0 }]));
		const ids = Object.fromEntries(VERIFIED_TABLES.map((t) => [t, [] as string[]])) as Record<VerifiedTable, string[]>;
		const target = options.target ?? (engineOf(db) === 'postgres' ? postgresTarget(db) : sqliteTarget(db));
		return await target.transaction(async () => {
			let position = 0;
			for await (const line of lines) {
				if (line.text === '') continue;
				const { table: name, row } = parseLine(line);
				const at = order.indexOf(name as string, position);
				if (at < 0) throw new TransferError(`Line ${line.number}: ${order.includes(name as string) ? `a row of ${String(name)} after rows of ${order[position]} (the archive is out of order)` : `table ${String(name)} is not in the header`}.`);
				position = at;
				const table = catalogue.byName.get(name as string)!;
				if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new TransferError(`Line ${line.number}: no row.`);
				const outcome = await putRow(target, table, row as Record<string, unknown>, line.number);
				counts.get(table.name)![outcome]++;
				if ((VERIFIED_TABLES as readonly string[]).includes(table.name)) ids[table.name as VerifiedTable].push((row as Record<string, unknown>).id as string);
			}
			for (const t of header.tables) {
				const c = counts.get(t.name)!;
				if (c.inserted + c.present !== t.rows) throw new TransferError(`The archive's header says ${t.name} has ${t.rows} rows, but it holds ${c.inserted + c.present}: it is truncated or was altered.`);
			}
			await target.finish();
			// On the target's engine, inside its transaction: what is verified is what would be committed.
			const verified = await verifyImported(db, ids);
			if (verified.failures.length > 0) {
				const more = verified.failures.length > 20 ? [`and ${verified.failures.length - 20} more`] : [];
				throw new TransferError(`Verification failed, nothing was imported:\n  ${[...verified.failures.slice(0, 20), ...more].join('\n  ')}`);
			}
			return { header, tables: [...counts.values()], chains: verified.chains, signatures: verified.signatures };
		});
	} finally {
		await lines.return(undefined);
	}
}

/** The value with every object's keys in order, so two JSON values compare by content. */
function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
}

/** Inserts one archive row, or finds it present and identical; anything else refuses the import. */
async function putRow(target: ImportTarget, table: TableInfo, row: Record<string, unknown>, lineNumber: number): Promise<'inserted' | 'present'> {
	const where = `Line ${lineNumber} (${table.name})`;
	const names = Object.keys(row);
	if (names.length !== table.columns.length || table.columns.some((c) => !(c.name in row))) throw new TransferError(`${where}: the row's columns are not the table's.`);
	const values = Object.fromEntries(table.columns.map((c) => [c.key, decodeValue(c, row[c.name], where)]));
	/** Database column names to drizzle's property names, for a lookup. */
	const match = (byName: Record<string, unknown>) => Object.fromEntries(table.columns.filter((c) => c.name in byName).map((c) => [c.key, byName[c.name]]));
	const key = `${table.name} ${table.primaryKey.map((c) => `${c}=${JSON.stringify(row[c])}`).join(', ')}`;
	const local = INSTALLATION_COLUMNS.find((l) => l.table === table.name && l.applies(row));
	const existing = await target.find(table, Object.fromEntries(table.columns.filter((c) => table.primaryKey.includes(c.name)).map((c) => [c.key, values[c.key]])));
	if (existing) {
		const stored = Object.fromEntries(table.columns.map((c) => [c.name, encodeValue(c, existing[c.key])]));
		const ignored = local && local.applies(stored) ? local.columns : [];
		// JSON.stringify, not the canonical encoder: a value it refuses (a number too large) is still compared, and refused as different.
		const compared = (r: Record<string, unknown>) => JSON.stringify(sortedKeys(Object.fromEntries(table.columns.filter((c) => !ignored.includes(c.name)).map((c) => [c.name, r[c.name]]))));
		if (compared(stored) === compared(row)) return 'present';
		throw new TransferError(`${where}: the database already holds ${key} with different content; nothing was imported.`);
	}
	// The installation's own values stand when it already records rows like this one.
	if (local && await target.find(table, match(local.siblings(row)))) Object.assign(values, match(local.asSibling));
	try {
		await target.insert(table, values);
	} catch (e) {
		const why = target.explain(e);
		if (why === undefined) throw e;
		throw new TransferError(`${where}: ${key} cannot be inserted: ${why}.`);
	}
	return 'inserted';
}

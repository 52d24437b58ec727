/**
 * db:export and db:import on a real PostgreSQL (issue 18): a centre with real activity moved from
 * SQLite to PostgreSQL and back, every chain and signature verified on each side and every row
 * compared; a tampered archive and a clashing import refused on PostgreSQL, the target unchanged;
 * the commands pointed at a postgres:// URL. One PostgreSQL server for the file, a database per
 * target on it.
 */
import { mapInOrder } from '$lib/core/in-order';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { and, asc, eq, like, sql } from 'drizzle-orm';
import { closeDatabase, dbAll, dbGet, dbQuery, dbRun, engineOf, insertionOrder, openDatabase, prepareDatabase, type Db } from '$lib/core/database';
import { startTestPostgres, type TestPostgres } from '$lib/core/testing-postgres';
import { finding } from '$lib/core/schema';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { organisation, securityEvent, user } from '$lib/server/db/schema';
import { loadCatalogue, type TableInfo } from './catalogue';
import { encodeValue } from './archive';
import { rowKey } from './centre-scope';
import { exportArchive } from './export';
import { importArchive } from './import';
import { exportCommand, importCommand } from './cli';
import { INSERTION_ORDERED_TABLES } from './links';
import { VERIFIED_TABLES, verifyImported, type VerifiedTable } from './verify';
import { seedCentres, SECOND_CENTRE, type SeededCentres, transferRefusal } from './testing';

const dir = mkdtempSync(join(tmpdir(), 'custodian-transfer-pg-'));
let pg: TestPostgres;
let source: Db;
let ids: SeededCentres;
/** The centre exported from SQLite, and a SQLite database it was imported into: what every copy is compared with. */
let archive: string;
let baseline: Db;
const opened: Db[] = [];
const databases: string[] = [];

let files = 0;
const fresh = (name: string) => join(dir, `${name}-${++files}`);

function sqlite(name: string): Db {
	const db = openDatabase(fresh(name));
	opened.push(db);
	return db;
}

/** A new, empty database on the file's PostgreSQL server, migrated unless told not to. */
async function postgres(options: { migrate?: boolean } = {}): Promise<{ db: Db; url: string }> {
	const name = `transfer_${randomBytes(4).toString('hex')}`;
	await pg.pool.query(`create database ${name} template template0 encoding 'UTF8' locale 'C'`);
	databases.push(name);
	const url = new URL(pg.url);
	url.pathname = `/${name}`;
	const db = openDatabase(url.toString(), { poolSize: 2 });
	opened.push(db);
	if (options.migrate !== false) await prepareDatabase(db);
	return { db, url: url.toString() };
}

beforeAll(async () => {
	pg = await startTestPostgres({ migrate: false });
	source = openDatabase(join(dir, 'source.db'));
	ids = await seedCentres(source);
	archive = fresh('centre.ndjson.gz');
	await exportArchive(source, archive, { centre: DEMO_ORGANISATION_ID });
	baseline = sqlite('baseline.db');
	await importArchive(baseline, archive);
}, 120_000);

afterAll(async () => {
	for (const db of opened) await closeDatabase(db);
	if (source) await closeDatabase(source);
	for (const name of databases) await pg.pool.query(`drop database if exists ${name} with (force)`);
	await pg?.close();
	rmSync(dir, { recursive: true, force: true });
});

/** The archive's lines after the header. */
function rowLines(path: string): string[] {
	return gunzipSync(readFileSync(path)).toString('utf8').trimEnd().split('\n').slice(1);
}

function rewrite(path: string, change: (lines: string[]) => string[]): string {
	const lines = gunzipSync(readFileSync(path)).toString('utf8').trimEnd().split('\n');
	const out = fresh('tampered.ndjson.gz');
	writeFileSync(out, gzipSync(change(lines).join('\n') + '\n'));
	return out;
}

/** Every table's rows read through drizzle, each in its archive form, in key order: equal on two engines when the rows are. */
async function contents(db: Db): Promise<Record<string, string[]>> {
	const catalogue = await loadCatalogue();
	const encoded = (table: TableInfo, row: Record<string, unknown>) => JSON.stringify(Object.fromEntries(table.columns.map((c) => [c.name, encodeValue(c, row[c.key])])));
	const tables = await mapInOrder(catalogue.tables, async (t) => {
		const rows = (await dbAll(db.select().from(t.table))) as Record<string, unknown>[];
		const byKey = rows.map((row) => ({ key: rowKey(t, Object.fromEntries(t.columns.map((c) => [c.name, row[c.key]]))), text: encoded(t, row) }));
		return [t.name, byKey.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.text)] as const;
	});
	return Object.fromEntries(tables);
}

/** verify.ts's checks over every row of the verified tables, as the database holds them. */
async function verifyEverything(db: Db) {
	const catalogue = await loadCatalogue();
	const all = {} as Record<VerifiedTable, string[]>;
	for (const name of VERIFIED_TABLES) {
		const table = catalogue.byName.get(name)!;
		all[name] = ((await dbAll(db.select().from(table.table))) as { id: string }[]).map((r) => r.id);
	}
	return verifyImported(db, all);
}

/** A table's keys in the order its rows were inserted: rowid or insertion_order, and a customer's name-index position on PostgreSQL. */
async function insertedOrder(db: Db, name: string): Promise<string[]> {
	const table = (await loadCatalogue()).byName.get(name)!;
	if (name === 'customer' && engineOf(db) === 'postgres') {
		return (await dbQuery<{ id: string }>(db, sql`select c.id from customer c join customer_name_search s on s.customer_id = c.id order by s.position`)).map((r) => r.id);
	}
	const key = table.columns.find((c) => c.name === table.primaryKey[0])!;
	return ((await dbAll(db.select({ id: key.column }).from(table.table).orderBy(insertionOrder(db, table.table)))) as { id: string }[]).map((r) => r.id);
}

describe('moving a centre between SQLite and PostgreSQL', () => {
	it('moves a centre from SQLite to PostgreSQL and back, every chain and signature verified on each side and every row the same', async () => {
		const onSqlite = await contents(baseline);
		const checked = await verifyEverything(baseline);
		expect(checked.failures).toEqual([]);
		expect(checked.signatures).toBe(2 + 1 + 1 + 1);

		const { db: target } = await postgres();
		const imported = await importArchive(target, archive);
		expect(imported.chains).toBe(checked.chains);
		expect(imported.signatures).toBe(checked.signatures);
		expect(await verifyEverything(target)).toEqual(checked);
		const onPostgres = await contents(target);
		expect(Object.keys(onPostgres)).toEqual(Object.keys(onSqlite));
		for (const table of Object.keys(onSqlite)) expect(onPostgres[table], table).toEqual(onSqlite[table]);
		expect(onSqlite.audit_entry!.length).toBeGreaterThan(0);
		expect(onSqlite.interaction!.length).toBeGreaterThan(0);

		// A second import of the same archive finds every row present and identical, and changes nothing.
		const twice = await importArchive(target, archive);
		expect(twice.tables.filter((t) => t.inserted > 0)).toEqual([]);
		expect(twice.chains).toBe(checked.chains);
		expect(await contents(target)).toEqual(onPostgres);

		// Back again: the archive PostgreSQL writes is the one SQLite wrote, row for row, in the same order.
		const back = fresh('back.ndjson.gz');
		const header = await exportArchive(target, back, { centre: 'Northgate Skills Centre' });
		expect(header.sourceEngine).toBe('postgres');
		expect(header.tables.map((t) => [t.name, t.rows])).toEqual(Object.entries(onSqlite).map(([name, rows]) => [name, rows.length]));
		expect(rowLines(back)).toEqual(rowLines(archive));
		const returned = sqlite('returned.db');
		const again = await importArchive(returned, back);
		expect([again.chains, again.signatures]).toEqual([checked.chains, checked.signatures]);
		expect(await verifyEverything(returned)).toEqual(checked);
		expect(await contents(returned)).toEqual(onSqlite);
	}, 120_000);

	it('keeps the order rows of one instant were inserted in, on PostgreSQL and back on SQLite', async () => {
		const { db: target } = await postgres();
		await importArchive(target, archive);
		const returned = sqlite('returned.db');
		const back = fresh('back.ndjson.gz');
		await exportArchive(target, back);
		await importArchive(returned, back);
		const tied = (db: Db) => dbAll(db.select({ id: finding.id }).from(finding).where(and(eq(finding.workspaceId, ids.tiedWorkspace), like(finding.id, 'tie-%'))).orderBy(asc(finding.at), insertionOrder(db, finding)));
		for (const db of [source, target, returned]) expect((await tied(db)).map((f) => f.id)).toEqual(ids.tiedFindings);
		for (const name of INSERTION_ORDERED_TABLES) {
			const carried = new Set(await insertedOrder(target, name));
			const original = (await insertedOrder(source, name)).filter((id) => carried.has(id));
			expect(await insertedOrder(target, name), name).toEqual(original);
			expect(await insertedOrder(returned, name), name).toEqual(original);
		}
	}, 60_000);

	it('lists every table PostgreSQL gives an insertion_order column as carried in insertion order', async () => {
		const { db } = await postgres();
		const withColumn = (await dbQuery<{ table_name: string }>(db, sql`select table_name from information_schema.columns where column_name = 'insertion_order' and table_schema = current_schema()`)).map((r) => r.table_name);
		expect(withColumn.length).toBeGreaterThan(10);
		expect([...withColumn, 'customer'].sort()).toEqual([...INSERTION_ORDERED_TABLES].sort());
	});
});

describe('refusing an import into PostgreSQL', () => {
	/** A PostgreSQL database already holding the second centre. */
	async function holdingRiverside(): Promise<Db> {
		const riverside = fresh('riverside.ndjson.gz');
		await exportArchive(source, riverside, { centre: SECOND_CENTRE });
		const { db } = await postgres();
		await importArchive(db, riverside);
		return db;
	}

	it('refuses a tampered archive after verifying it on PostgreSQL, leaving the database as it was', async () => {
		const target = await holdingRiverside();
		const before = await contents(target);
		const decisionChanged = rewrite(archive, (lines) =>
			lines.map((line) => (line.includes(`"table":"assessment_decision"`) && line.includes(ids.decision) ? line.replace('A careful, lawful call.', 'A careless call.') : line))
		);
		expect(await transferRefusal(importArchive(target, decisionChanged))).toContain(`assessment_decision ${ids.decision}: the decision does not match its signature`);
		expect(await contents(target)).toEqual(before);

		let changed = false;
		const auditChanged = rewrite(archive, (lines) =>
			lines.map((line) => {
				if (changed || !line.startsWith('{"table":"audit_entry"')) return line;
				const parsed = JSON.parse(line) as { row: { details: string } };
				parsed.row.details = JSON.stringify({ ...(JSON.parse(parsed.row.details) as object), tampered: true });
				changed = true;
				return JSON.stringify(parsed);
			})
		);
		expect(await transferRefusal(importArchive(target, auditChanged))).toMatch(/^Verification failed, nothing was imported:\n {2}workspace \S+: audit chain broken at entry \d+/);
		expect(await contents(target)).toEqual(before);
	}, 60_000);

	it('refuses a row whose unique value another row holds, naming the row and the value, and one present with other content', async () => {
		const { db: target } = await postgres();
		await dbRun(target.insert(organisation).values({ id: 'elsewhere', name: 'Elsewhere College', updatedAt: '2026-01-01T00:00:00.000Z' }));
		await dbRun(target.insert(user).values({ id: 'elsewhere-learner', organisationId: 'elsewhere', email: 'learner@custodian.test', displayName: 'Another learner', passwordHash: 'x', createdAt: '2026-01-01T00:00:00.000Z' }));
		const before = await contents(target);
		const message = await transferRefusal(importArchive(target, archive));
		expect(message).toMatch(new RegExp(`^Line \\d+ \\(user\\): user id="${ids.amira}" cannot be inserted: another row in the database already holds its unique value \\(user_email_unique: Key \\(email\\)=\\(learner@custodian\\.test\\) already exists\\.\\)\\.$`));
		expect(await contents(target)).toEqual(before);

		await dbRun(target.delete(user).where(eq(user.id, 'elsewhere-learner')));
		await importArchive(target, archive);
		await dbRun(target.update(user).set({ displayName: 'Amira K.' }).where(eq(user.id, ids.amira)));
		const imported = await contents(target);
		expect(await transferRefusal(importArchive(target, archive))).toContain(`the database already holds user id="${ids.amira}" with different content; nothing was imported.`);
		expect(await contents(target)).toEqual(imported);
	}, 60_000);

	it('explains a missing parent and a missing value in words, naming the row', async () => {
		const target = await holdingRiverside();
		const before = await contents(target);
		const withoutOrganisation = rewrite(archive, (lines) => {
			const header = JSON.parse(lines[0]!) as { tables: { name: string; rows: number }[] };
			header.tables.find((t) => t.name === 'organisation')!.rows--;
			return [JSON.stringify(header), ...lines.slice(1).filter((l) => !l.startsWith('{"table":"organisation"'))];
		});
		expect(await transferRefusal(importArchive(target, withoutOrganisation))).toMatch(
			/^Line \d+ \(user\): user id="[^"]+" cannot be inserted: it names a row that is neither earlier in the archive nor in the database \(\w+: Key \(organisation_id\)=\(demo-centre\) is not present in table "organisation"\.\)\.$/
		);
		const withoutName = rewrite(archive, (lines) => lines.map((l) => (l.startsWith('{"table":"organisation"') ? l.replace('"name":"Northgate Skills Centre"', '"name":null') : l)));
		expect(await transferRefusal(importArchive(target, withoutName))).toBe(`Line 2 (organisation): organisation id="${DEMO_ORGANISATION_ID}" cannot be inserted: its column name is empty, which the database does not allow.`);
		expect(await contents(target)).toEqual(before);
	}, 60_000);

	it('stops an export from a database holding a table the schema does not declare', async () => {
		const { db } = await postgres();
		await dbQuery(db, sql`create table hand_made (id text primary key)`);
		const out = fresh('x.gz');
		expect(await transferRefusal(exportArchive(db, out))).toBe('The database holds hand_made, which the drizzle schema (drizzle.config.ts) does not declare: db:export would leave its rows behind, so it stops.');
	});

	it('moves the security events’ id sequence past the ids imported, so the next event is numbered after them', async () => {
		const target = await holdingRiverside();
		const imported = (await dbAll(target.select({ id: securityEvent.id }).from(securityEvent))).map((e) => e.id);
		expect(imported.length).toBeGreaterThan(0);
		await dbRun(target.insert(securityEvent).values({ at: '2026-03-02T10:00:00.000Z', type: 'login.succeeded', userId: 'riverside-learner' }));
		const next = (await dbGet(target.select({ id: securityEvent.id }).from(securityEvent).where(eq(securityEvent.at, '2026-03-02T10:00:00.000Z'))))!.id;
		expect(next).toBe(Math.max(...imported) + 1);
	}, 60_000);
});

describe('the commands on PostgreSQL', () => {
	const io = (env: Record<string, string>) => {
		const out: string[] = [];
		const err: string[] = [];
		return { out, err, io: { env, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
	};

	it('import into the DATABASE_URL (migrated first) and export from a --database URL, never printing the password', async () => {
		const { url } = await postgres({ migrate: false });
		const password = new URL(url).password;
		const exported = io({});
		const first = fresh('cli.ndjson.gz');
		expect(await exportCommand(['--out', first, '--centre', DEMO_ORGANISATION_ID, '--database', join(dir, 'source.db')], exported.io)).toBe(0);

		const imported = io({ DATABASE_URL: url, DATABASE_PATH: fresh('unused.db') });
		expect(await importCommand(['--in', first], imported.io), imported.err.join('\n')).toBe(0);
		expect(imported.out[0]).toMatch(/ from sqlite\) into PostgreSQL postgres:\/\/\w*:\*\*\*@\S+\/transfer_\w+:$/);
		expect(imported.out.at(-1)).toMatch(/^\d+ audit chains verified, 5 signatures verified\.$/);

		const second = fresh('cli.ndjson.gz');
		const fromPostgres = io({ DATABASE_PATH: fresh('unused.db') });
		expect(await exportCommand(['--out', second, '--database', url], fromPostgres.io), fromPostgres.err.join('\n')).toBe(0);
		expect(fromPostgres.out[0]).toMatch(/^Exported the whole installation from PostgreSQL postgres:\/\/\w*:\*\*\*@/);
		expect(rowLines(second)).toEqual(rowLines(first));
		for (const line of [...imported.out, ...fromPostgres.out]) expect(line).not.toContain(password);

		const sqliteFile = fresh('cli-returned.db');
		const back = io({ DATABASE_PATH: sqliteFile });
		expect(await importCommand(['--in', second], back.io)).toBe(0);
		expect(back.out[0]).toContain(`from postgres) into ${sqliteFile}:`);
	}, 60_000);
});

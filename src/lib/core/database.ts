import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isPostgresUrl, openPgTransaction, openPostgres, pgQueryable, pgTransaction, postgresHandle, preparePostgres, toPostgresPlaceholders } from './postgres';

export type Db = BetterSQLite3Database<Record<string, never>> & { $client: Database.Database };

export interface OpenOptions {
	/** Folder of drizzle-kit migrations; defaults to ./drizzle under the working directory. */
	migrationsFolder?: string;
	/** Apply pending migrations on open (default true). */
	migrate?: boolean;
	/** PostgreSQL: connections in the pool (default 10). */
	poolSize?: number;
}

/** Which engine a `Db` runs on. */
export function engineOf(db: Db): 'sqlite' | 'postgres' {
	return postgresHandle(db) ? 'postgres' : 'sqlite';
}

/**
 * Brings a PostgreSQL database's schema up to date (SQLite's is, once openDatabase returns). Call
 * once at start, before serving.
 */
export async function prepareDatabase(db: Db, options: { migrationsFolder?: string } = {}): Promise<void> {
	const handle = postgresHandle(db);
	if (handle) await preparePostgres(handle, options.migrationsFolder);
}

/**
 * The order a table's rows were inserted in, to break ties between rows of the same time: SQLite's
 * rowid; on PostgreSQL an identity column, `insertion_order`, that the hand-written part of its
 * migration gives the tables read this way (drizzle-pg/0000_pg.sql; a test checks every table used
 * here has one). Neither is a column of the drizzle declarations: nothing else reads or writes it.
 */
export function insertionOrder(db: Db, table: object): SQL {
	return postgresHandle(db) ? sql`${table}."insertion_order"` : sql`${table}.rowid`;
}

/** Closes the connection (SQLite) or the pool (PostgreSQL). */
export async function closeDatabase(db: Db): Promise<void> {
	const handle = postgresHandle(db);
	if (handle) await handle.pool.end();
	else db.$client.close();
}

export const DEFAULT_MIGRATIONS_FOLDER = resolve(process.cwd(), 'drizzle');

/**
 * Opens (creating if needed) a SQLite database with the pragmas every connection needs, and brings
 * its schema up to date. ':memory:' gives a private database, as the tests use.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
	// postgres://…: a pool, migrated by prepareDatabase (async) before the server takes requests.
	if (isPostgresUrl(path)) return openPostgres<Db>(path, options.poolSize);
	if (path !== ':memory:' && !path.startsWith('file:')) {
		mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
		restrictToOwner(path);
	}
	// A fresh in-memory database with the project's migrations (a scenario's seed check, a replay, each
	// test's database) starts as a copy of one migrated once in this process: applying every
	// migration again costs tens of milliseconds, a copy a fraction of one.
	const image = path === ':memory:' && options.migrate !== false && (options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER) === DEFAULT_MIGRATIONS_FOLDER ? migratedMemoryImage() : null;
	const sqlite = image ? new Database(image) : new Database(path);
	// WAL lets readers run beside the one writer; NORMAL survives a process crash with every commit
	// (a power loss may lose the last ones: see the README). foreign_keys is off by default in SQLite.
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	// Erased personal data is overwritten with zeros, not left in free pages (UK GDPR Art 17).
	sqlite.pragma('secure_delete = ON');
	const db = drizzle(sqlite) as unknown as Db;
	if (options.migrate !== false && !image) {
		migrate(db, { migrationsFolder: options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER });
	}
	// Gives the query planner statistics where tables have grown (cheap; SQLite's advice for a new
	// long-lived connection): without them it can pick a poor index on a large workspace.
	sqlite.pragma('optimize = 0x10002');
	return db;
}

let memoryImage: Buffer | undefined;

/** An in-memory database with every migration of DEFAULT_MIGRATIONS_FOLDER applied, serialized (made once per process). */
function migratedMemoryImage(): Buffer {
	if (!memoryImage) {
		const sqlite = new Database(':memory:');
		sqlite.pragma('foreign_keys = ON');
		migrate(drizzle(sqlite), { migrationsFolder: DEFAULT_MIGRATIONS_FOLDER });
		memoryImage = sqlite.serialize();
		sqlite.close();
	}
	return memoryImage;
}

/**
 * The database holds personal data: only the server's own user may read it. SQLite gives the WAL and
 * shared-memory files the database file's permissions, so creating the file 0600 covers all three;
 * an existing file (or WAL left by an older version) is narrowed to 0600.
 */
export function restrictToOwner(path: string): void {
	if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
	for (const file of [path, `${path}-wal`, `${path}-shm`]) {
		if (existsSync(file)) chmodSync(file, 0o600);
	}
}

/**
 * One write transaction at a time per process, and nobody outside it sees its writes before it commits.
 *
 * A transaction's body is async (the same code runs on PostgreSQL, whose driver is asynchronous), so
 * between two of its statements other requests' continuations may run. better-sqlite3 has one
 * connection: a statement they ran there would read the open transaction's uncommitted rows, or
 * worse, a write of theirs would join it. So the connection is gated: a transaction holds the gate
 * from BEGIN IMMEDIATE to COMMIT; a statement outside any transaction (dbAll, dbGet, dbRun,
 * dbValues) waits while another request's transaction is open; a write outside a transaction takes
 * the gate for itself (an autocommit write, serialised with the transactions). A transaction knows its
 * own statements by an AsyncLocalStorage scope, so they never wait on the gate they hold, and a
 * transaction begun inside another becomes a savepoint, as better-sqlite3's nested transactions were.
 */
const scope = new AsyncLocalStorage<Map<Database.Database, number>>();
/** What to run once the open SQLite transaction has committed (afterCommit). */
const sqliteCommitted = new AsyncLocalStorage<(() => void)[]>();
let gateHeld = false;
const waitingWriters: (() => void)[] = [];
let waitingReaders: (() => void)[] = [];

function takeGate(): Promise<void> | undefined {
	if (!gateHeld) {
		gateHeld = true;
		return undefined;
	}
	return new Promise((resolve) => waitingWriters.push(resolve));
}

function releaseGate(): void {
	// Statements that waited run first (they read what was just committed), then the next writer.
	const readers = waitingReaders;
	waitingReaders = [];
	for (const wake of readers) wake();
	const next = waitingWriters.shift();
	if (next) next();
	else gateHeld = false;
}

/** Whether this code runs inside a write transaction (of any connection). */
export function inTransaction(): boolean {
	return (scope.getStore()?.size ?? 0) > 0 || openPgTransaction() !== undefined;
}

/** Resolves when no other request's transaction is open (at once, without waiting, when none is). */
function settled(): Promise<void> | undefined {
	if (!gateHeld || inTransaction()) return undefined;
	return new Promise((resolve) => waitingReaders.push(resolve));
}

/**
 * Runs fn in one write transaction started with BEGIN IMMEDIATE, so a writer waits for the lock
 * (busy_timeout) instead of failing with SQLITE_BUSY half-way through. A throw rolls it back.
 */
export async function writeTransaction<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
	const handle = postgresHandle(db);
	if (handle) return pgTransaction(handle, fn);
	const client = db.$client;
	const open = scope.getStore();
	const depth = open?.get(client);
	if (depth !== undefined) {
		const name = `nested_${depth}`;
		// What the savepoint's work asks to run after the commit goes with it if it rolls back.
		const committed = sqliteCommitted.getStore();
		const waiting = committed?.length ?? 0;
		client.exec(`SAVEPOINT ${name}`);
		try {
			const result = await scope.run(new Map(open).set(client, depth + 1), fn);
			client.exec(`RELEASE ${name}`);
			return result;
		} catch (error) {
			client.exec(`ROLLBACK TO ${name}`);
			client.exec(`RELEASE ${name}`);
			committed?.splice(waiting);
			throw error;
		}
	}
	if (!open || open.size === 0) await takeGate();
	const committed: (() => void)[] = [];
	try {
		client.exec('BEGIN IMMEDIATE');
		try {
			const result = await sqliteCommitted.run(committed, () => scope.run(new Map(open).set(client, 1), fn));
			client.exec('COMMIT');
			for (const then of committed) then();
			return result;
		} catch (error) {
			if (client.inTransaction) client.exec('ROLLBACK');
			throw error;
		}
	} finally {
		if (!open || open.size === 0) releaseGate();
	}
}

/**
 * Runs `then` once the write transaction this code runs in has committed (at once outside one; never
 * if it rolls back, nor if the savepoint it was asked for in rolls back). On PostgreSQL a transaction's statements are real I/O, so a timer set inside it
 * (setImmediate) fires before the commit, when nothing it wrote can be seen yet; SQLite's run without
 * a pause, which hid that.
 */
export function afterCommit(then: () => void): void {
	const pg = openPgTransaction();
	const waiting = pg ? pg.committed : sqliteCommitted.getStore();
	if (waiting) waiting.push(then);
	else then();
}

/** A drizzle query on SQLite runs synchronously through .all()/.get()/.run(); on PostgreSQL by awaiting it. */
const onSqlite = (query: object): boolean => typeof (query as { all?: unknown }).all === 'function';
type Awaitable = PromiseLike<unknown>;

/** The rows of a select (drizzle's `.all()`), once no other request's transaction is open. */
export async function dbAll<Q extends { all(): unknown }>(query: Q): Promise<ReturnType<Q['all']>> {
	if (!onSqlite(query)) return (await (query as unknown as Awaitable)) as ReturnType<Q['all']>;
	const wait = settled();
	if (wait) await wait;
	return query.all() as ReturnType<Q['all']>;
}

/** The first row of a select, or undefined (drizzle's `.get()`). */
export async function dbGet<Q extends { get(): unknown }>(query: Q): Promise<ReturnType<Q['get']>> {
	if (!onSqlite(query)) return ((await (query as unknown as Awaitable)) as unknown[])[0] as ReturnType<Q['get']>;
	const wait = settled();
	if (wait) await wait;
	return query.get() as ReturnType<Q['get']>;
}

/** A select's rows as arrays of values (drizzle's `.values()`). */
export async function dbValues<Q extends { values(): unknown }>(query: Q): Promise<ReturnType<Q['values']>> {
	if (!onSqlite(query)) return ((await (query as unknown as Awaitable)) as Record<string, unknown>[]).map((row) => Object.values(row)) as ReturnType<Q['values']>;
	const wait = settled();
	if (wait) await wait;
	return query.values() as ReturnType<Q['values']>;
}

/** The rows of a raw SQL query, on either engine. */
export async function dbQuery<R>(db: Db, query: SQL): Promise<R[]> {
	if (postgresHandle(db)) return ((await (db as unknown as { execute(q: SQL): Promise<{ rows: R[] }> }).execute(query)).rows);
	const wait = settled();
	if (wait) await wait;
	return db.all<R>(query);
}

/** Runs a raw SQL statement on either engine; returns how many rows it changed. */
export async function dbExec(db: Db, statement: SQL): Promise<number> {
	if (postgresHandle(db)) return (await (db as unknown as { execute(q: SQL): Promise<{ rowCount: number | null }> }).execute(statement)).rowCount ?? 0;
	if (inTransaction()) return db.run(statement).changes;
	const wait = takeGate();
	if (wait) await wait;
	try {
		return db.run(statement).changes;
	} finally {
		releaseGate();
	}
}

/** Runs an insert, update or delete; outside a transaction it takes the gate for itself. */
export async function dbRun<Q extends { run(): unknown }>(query: Q): Promise<ReturnType<Q['run']>> {
	if (!onSqlite(query)) {
		const result = (await (query as unknown as Awaitable)) as { rowCount?: number | null };
		return { changes: result.rowCount ?? 0, lastInsertRowid: 0 } as ReturnType<Q['run']>;
	}
	if (inTransaction()) return query.run() as ReturnType<Q['run']>;
	const wait = takeGate();
	if (wait) await wait;
	try {
		return query.run() as ReturnType<Q['run']>;
	} finally {
		releaseGate();
	}
}

type BindParameters = unknown[] | object;
type Bound<P extends BindParameters> = P extends unknown[] ? P : [P];

/** A statement written in SQL, run on either engine (placeholders `?` and `@name`, as SQLite writes them). */
export interface Statement<P extends BindParameters, R> {
	get(...params: Bound<P>): Promise<R | undefined>;
	all(...params: Bound<P>): Promise<R[]>;
	run(...params: Bound<P>): Promise<{ changes: number }>;
	/** The rows to loop over without awaiting in between (SQLite reads them as the loop goes). */
	iterate(...params: Bound<P>): Promise<Iterable<R>>;
	/** The rows, each an array of the select's columns in order: no object per row (read a long table in pages). */
	values(...params: Bound<P>): Promise<unknown[][]>;
}

export interface StatementFactory {
	engine: 'sqlite' | 'postgres';
	prepare<P extends BindParameters = unknown[], R = unknown>(source: string): Statement<P, R>;
}

function sqliteStatement<P extends BindParameters, R>(client: Database.Database, source: string): Statement<P, R> {
	const statement = client.prepare(source);
	// better-sqlite3 sets a statement to return arrays for good, so values() has a copy of its own.
	let raw: Database.Statement | undefined;
	const bind = (params: unknown[]) => params as never[];
	return {
		async get(...params) {
			const wait = settled();
			if (wait) await wait;
			return statement.get(...bind(params)) as R | undefined;
		},
		async all(...params) {
			const wait = settled();
			if (wait) await wait;
			return statement.all(...bind(params)) as R[];
		},
		async run(...params) {
			if (inTransaction()) return statement.run(...bind(params));
			const wait = takeGate();
			if (wait) await wait;
			try {
				return statement.run(...bind(params));
			} finally {
				releaseGate();
			}
		},
		async iterate(...params) {
			const wait = settled();
			if (wait) await wait;
			return statement.iterate(...bind(params)) as Iterable<R>;
		},
		async values(...params) {
			const wait = settled();
			if (wait) await wait;
			raw ??= client.prepare(source).raw(true);
			return raw.all(...bind(params)) as unknown[][];
		}
	};
}

function postgresStatement<P extends BindParameters, R>(db: Db, source: string): Statement<P, R> {
	const handle = postgresHandle(db)!;
	const { text, order } = toPostgresPlaceholders(source);
	// A named statement: each connection parses and plans it once, then only binds and runs it. The
	// name is the text's hash, so one name never stands for two texts.
	const name = `custodian_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
	const values = (params: unknown[]) => {
		const named = (params[0] ?? {}) as Record<string, unknown>;
		return order.map((key) => {
			const value = typeof key === 'number' ? params[key] : named[key];
			return typeof value === 'boolean' ? Number(value) : value;
		});
	};
	const rows = async (params: unknown[]) => (await pgQueryable(handle).query({ name, text, values: values(params) })).rows as R[];
	return {
		get: async (...params) => (await rows(params))[0],
		all: async (...params) => await rows(params),
		run: async (...params) => ({ changes: (await pgQueryable(handle).query({ name, text, values: values(params) })).rowCount ?? 0 }),
		iterate: async (...params) => await rows(params),
		values: async (...params) => (await pgQueryable(handle).query({ name, text, values: values(params), rowMode: 'array' })).rows as unknown[][]
	};
}

/**
 * Statements prepared once per connection: `const statements = preparedStatements((client) => ({ … }))`
 * gives `statements(db)`, which prepares them on a connection's first use and keeps them for as long
 * as the connection lives (hot paths skip the query builder and re-preparing). On PostgreSQL the
 * SQL's placeholders are rewritten once; each call runs on the current transaction's client.
 */
export function preparedStatements<S>(prepare: (client: StatementFactory) => S): (db: Db) => S {
	const cache = new WeakMap<object, S>();
	return (db) => {
		const key = postgresHandle(db) ?? db.$client;
		let cached = cache.get(key);
		if (cached === undefined) {
			const factory: StatementFactory = postgresHandle(db)
				? { engine: 'postgres', prepare: (source) => postgresStatement(db, source) }
				: { engine: 'sqlite', prepare: (source) => sqliteStatement(db.$client, source) };
			cached = prepare(factory);
			cache.set(key, cached);
		}
		return cached;
	};
}

/**
 * PostgreSQL behind the same `Db` the code holds (docs/postgresql.md). The code is typed against
 * drizzle's SQLite builders and keeps using the SQLite table declarations: drizzle's node-postgres
 * builder accepts them (selects, inserts with onConflict, updates, booleans, text JSON), and the
 * pg-core declarations generated from them are what drizzle-kit migrates from. What differs:
 *
 * - the connection is a pool; `writeTransaction` takes a client of its own, and every statement
 *   the transaction's code makes through `db` goes to that client (the `Db` is a proxy that looks
 *   the transaction up in an AsyncLocalStorage scope);
 * - transactions are SERIALIZABLE and retried on a serialization failure or deadlock, so a
 *   check-then-write that was safe under SQLite's single writer is safe here too;
 * - a query runs by awaiting it (dbAll, dbGet, dbRun in database.ts tell the engines apart).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { resolve } from 'node:path';

// int8 (bigint columns, count(*)) as numbers: ids, sizes and millisecond times stay below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

export const PG_MIGRATIONS_FOLDER = resolve(process.cwd(), 'drizzle-pg');

export interface PgHandle {
	pool: pg.Pool;
	base: NodePgDatabase;
}

interface OpenTransaction {
	client: pg.PoolClient;
	db: NodePgDatabase;
	depth: number;
	handle: PgHandle;
	/** Row locks this transaction holds already, by name (audit.ts: a workspace's chain head). */
	held: Set<string>;
	/**
	 * The first serialization failure or deadlock any statement of this transaction met, even one the
	 * code around it caught: the transaction is then retried whole, never committed.
	 */
	conflict: { error?: unknown };
	/** Run once the transaction has committed (database.ts afterCommit); dropped with an attempt that does not. */
	committed: (() => void)[];
}

const scope = new AsyncLocalStorage<OpenTransaction>();
const HANDLE = Symbol('postgres');

export function isPostgresUrl(location: string): boolean {
	return /^postgres(ql)?:\/\//i.test(location);
}

/** The pool behind a PostgreSQL `Db`, or undefined for SQLite. */
export function postgresHandle(db: object): PgHandle | undefined {
	return (db as { [HANDLE]?: PgHandle })[HANDLE];
}

/** The open transaction of this async context, if any. */
export function openPgTransaction(): OpenTransaction | undefined {
	return scope.getStore();
}

/** A `Db`-shaped proxy over a pool: statements go to the current transaction's client when there is one. */
export function openPostgres<T>(url: string, poolSize = 10): T {
	const pool = new pg.Pool({ connectionString: url, max: poolSize });
	// A connection the server dropped (a restart, a failover) is replaced on the next query; an
	// idle client's error must not crash the process.
	pool.on('error', (error) => process.stderr.write(JSON.stringify({ t: new Date().toISOString(), task: 'postgres-pool', error: error.message }) + '\n'));
	const base = drizzle(pool);
	const handle: PgHandle = { pool, base };
	return new Proxy(base, {
		get(target, property) {
			if (property === HANDLE) return handle;
			const open = scope.getStore();
			const source = open && open.handle === handle ? open.db : target;
			const value = Reflect.get(source, property, source) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(source) : value;
		}
	}) as unknown as T;
}

/** Migrates, and refuses a database whose collation would order text unlike SQLite (and the tests). */
export async function preparePostgres(handle: PgHandle, migrationsFolder = PG_MIGRATIONS_FOLDER): Promise<void> {
	const { rows } = await handle.pool.query<{ collate: string }>('select datcollate as collate from pg_database where datname = current_database()');
	const collate = rows[0]?.collate ?? '';
	if (collate !== 'C' && collate !== 'C.UTF-8' && collate !== 'POSIX') {
		throw new Error(`The PostgreSQL database's collation is ${collate || 'unknown'}; Custodian needs C (create it with: create database custodian template template0 encoding 'UTF8' locale 'C').`);
	}
	await migrate(handle.base, { migrationsFolder });
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Whether an error is a serialization failure or a deadlock: the transaction it came from will be
 * run again, so code that turns errors into outcomes (a learner's refused operation) must let it pass.
 */
export function isTransactionConflict(error: unknown): boolean {
	const code = sqlState(error);
	return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * The client, noting each serialization failure or deadlock its statements meet in `conflict` while
 * the transaction runs (an own `query` over the prototype's, removed when the client goes back to the
 * pool): a conflict caught and swallowed by the code that ran the statement still retries the whole.
 */
function watchConflicts(client: pg.PoolClient, conflict: { error?: unknown }): () => void {
	const query = client.query;
	const watched = function (this: pg.PoolClient, ...args: unknown[]): unknown {
		const result = (query as (...a: unknown[]) => unknown).apply(this, args);
		if (result instanceof Promise) {
			result.catch((error: unknown) => {
				if (conflict.error === undefined && isTransactionConflict(error)) conflict.error = error;
			});
		}
		return result;
	};
	(client as unknown as { query: unknown }).query = watched;
	return () => delete (client as unknown as { query?: unknown }).query;
}

/** PostgreSQL's SQLSTATE of an error, also when drizzle has wrapped the driver's error as its cause. */
export function sqlState(error: unknown): string | undefined {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
	}
	return undefined;
}
/**
 * A serialization failure is retried up to this many times in all, after a random pause that grows
 * with each failure (2, 4, 8 … ms, at most 250 ms): on a small, busy table PostgreSQL's predicate
 * locks cover whole pages, so transactions that touch different rows may still collide, and the
 * same ones would collide again if retried at once.
 */
const MAX_ATTEMPTS = 12;
/**
 * After this many serialization failures a transaction stops hoping and runs alone: every write
 * transaction holds the writers' advisory lock shared, and a transaction that keeps failing takes it
 * exclusively before it begins, so it waits for the open ones to end, the next ones wait for it, and
 * nothing is left to conflict with (SQLite's one writer, for that transaction only). PostgreSQL queues
 * a shared request behind a waiting exclusive one, so the exclusive one is never starved.
 */
const OPTIMISTIC_ATTEMPTS = 3;
/** The writers' advisory lock: a key no other lock of ours uses ("Custodia" in ASCII). */
const WRITERS_LOCK = '4356426101758681441';

/**
 * Runs fn in one SERIALIZABLE transaction on a client of its own, retried on a serialization failure;
 * with `retry: false`, for work that cannot run twice (db:import reads its archive once), the failure
 * is thrown instead.
 */
export async function pgTransaction<T>(handle: PgHandle, fn: () => T | Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
	const open = scope.getStore();
	if (open && open.handle === handle) {
		const name = `nested_${open.depth}`;
		// Rolling back to the savepoint releases the row locks taken after it and undoes what its work
		// asked to run after the commit: both are forgotten with it.
		const held = new Set(open.held);
		const waiting = open.committed.length;
		await open.client.query(`savepoint ${name}`);
		try {
			const result = await scope.run({ ...open, depth: open.depth + 1 }, fn);
			await open.client.query(`release savepoint ${name}`);
			return result;
		} catch (error) {
			await open.client.query(`rollback to savepoint ${name}`);
			await open.client.query(`release savepoint ${name}`);
			for (const lock of open.held) if (!held.has(lock)) open.held.delete(lock);
			open.committed.splice(waiting);
			throw error;
		}
	}
	for (let attempt = 1; ; attempt++) {
		const client = await handle.pool.connect();
		const conflict: { error?: unknown } = {};
		const unwatch = watchConflicts(client, conflict);
		let broken = false;
		// Alone: the writers' lock taken exclusively for the connection before the transaction begins,
		// so its snapshot is taken once the others have ended (a lock taken inside it would come after
		// its snapshot, and what committed during the wait would still conflict with it).
		const alone = attempt > OPTIMISTIC_ATTEMPTS;
		let locked = false;
		try {
			if (alone) {
				await client.query(`select pg_advisory_lock(${WRITERS_LOCK})`);
				locked = true;
			}
			await client.query(alone ? 'begin isolation level serializable' : `begin isolation level serializable; select pg_advisory_xact_lock_shared(${WRITERS_LOCK})`);
			const committed: (() => void)[] = [];
			const result = await scope.run({ client, db: drizzle(client), depth: 1, handle, held: new Set(), conflict, committed }, fn);
			if (conflict.error !== undefined) throw conflict.error;
			await client.query('commit');
			for (const then of committed) then();
			return result;
		} catch (thrown) {
			// A conflict met on the way counts, whatever was thrown after it (a statement of an aborted
			// transaction fails with 25P02; the code may have turned the conflict into another error).
			const error = conflict.error ?? thrown;
			try {
				await client.query('rollback');
			} catch {
				broken = true;
			}
			const code = sqlState(error);
			if (typeof code === 'string' && RETRYABLE.has(code) && options.retry !== false && attempt < MAX_ATTEMPTS) {
				await new Promise((done) => setTimeout(done, Math.random() * Math.min(2 ** attempt, 250)));
				continue;
			}
			if (typeof code === 'string' && RETRYABLE.has(code)) {
				process.stderr.write(JSON.stringify({ t: new Date().toISOString(), task: 'postgres-transaction', error: `gave up after ${attempt} serialization failures` }) + '\n');
			}
			throw error;
		} finally {
			if (locked && !broken) {
				// A connection whose unlock failed is closed instead: its session locks go with it.
				await client.query(`select pg_advisory_unlock(${WRITERS_LOCK})`).catch(() => (broken = true));
			}
			unwatch();
			client.release(broken);
		}
	}
}

/** The client statements run on now: the transaction's, or the pool. */
export function pgQueryable(handle: PgHandle): pg.Pool | pg.PoolClient {
	const open = scope.getStore();
	return open && open.handle === handle ? open.client : handle.pool;
}

/**
 * SQLite's placeholders (`?` in order, `@name` by name) as PostgreSQL's `$1, $2 …`, with the order
 * the values are bound in. Quoted text is left alone.
 */
export function toPostgresPlaceholders(text: string): { text: string; order: (number | string)[] } {
	const order: (number | string)[] = [];
	const named = new Map<string, number>();
	let positional = 0;
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (c === "'" || c === '"') {
			const end = text.indexOf(c, i + 1);
			const stop = end < 0 ? text.length : end + 1;
			out += text.slice(i, stop);
			i = stop - 1;
		} else if (c === '?') {
			order.push(positional++);
			out += `$${order.length}`;
		} else if (c === '@' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
			const name = /^[A-Za-z_]\w*/.exec(text.slice(i + 1))![0];
			let n = named.get(name);
			if (n === undefined) {
				order.push(name);
				n = order.length;
				named.set(name, n);
			}
			out += `$${n}`;
			i += name.length;
		} else out += c;
	}
	return { text: out, order };
}

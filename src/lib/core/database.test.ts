import { describe, expect, it } from 'vitest';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import { DEFAULT_MIGRATIONS_FOLDER, dbGet, dbRun, inTransaction, openDatabase, writeTransaction, type Db } from './database';

describe('openDatabase', () => {
	it('creates the database, its WAL and shared-memory files readable by their owner only, and narrows an existing file', () => {
		const dir = mkdtempSync(join(tmpdir(), 'custodian-db-mode-'));
		const previous = process.umask(0o022); // the usual umask, which would make a new file 0644
		try {
			const path = join(dir, 'fresh.db');
			const db = openDatabase(path);
			db.$client.prepare('create table t (x)').run();
			for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
			db.$client.close();
			const old = join(dir, 'old.db');
			writeFileSync(old, '');
			chmodSync(old, 0o644);
			openDatabase(old).$client.close();
			expect(statSync(old).mode & 0o777).toBe(0o600);
		} finally {
			process.umask(previous);
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('migrates a fresh database file to the latest schema and sets the pragmas', () => {
		const dir = mkdtempSync(join(tmpdir(), 'custodian-db-'));
		try {
			const db = openDatabase(join(dir, 'nested', 'fresh.db'));
			const sqlite = db.$client;
			expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
			expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
			expect(sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
			expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
			expect(sqlite.pragma('secure_delete', { simple: true })).toBe(1);
			const applied = sqlite
				.prepare('select hash from __drizzle_migrations order by created_at')
				.all() as { hash: string }[];
			const expected = readMigrationFiles({ migrationsFolder: DEFAULT_MIGRATIONS_FOLDER });
			expect(applied.map((row) => row.hash)).toEqual(expected.map((m) => m.hash));
			const tables = sqlite
				.prepare("select name from sqlite_master where type = 'table'")
				.all()
				.map((row) => (row as { name: string }).name);
			expect(tables).toEqual(expect.arrayContaining(['user', 'session', 'user_role', 'organisation']));
			sqlite.close();
			// Opening again applies nothing twice and keeps data.
			const again = openDatabase(join(dir, 'nested', 'fresh.db'));
			expect(again.$client.prepare('select count(*) n from __drizzle_migrations').get()).toEqual({
				n: expected.length
			});
			again.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('a fresh in-memory database', () => {
	const schemaOf = (db: Db) =>
		db.$client.prepare("select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name").all();

	it('is a copy of one migrated once: the same schema and applied migrations as migrating a file, the pragmas set, and each copy its own', () => {
		const dir = mkdtempSync(join(tmpdir(), 'custodian-db-image-'));
		try {
			const migratedFile = openDatabase(join(dir, 'migrated.db'));
			const first = openDatabase(':memory:');
			const second = openDatabase(':memory:');
			expect(schemaOf(first)).toEqual(schemaOf(migratedFile));
			const hashes = (db: Db) => (db.$client.prepare('select hash from __drizzle_migrations order by created_at').all() as { hash: string }[]).map((r) => r.hash);
			expect(hashes(first)).toEqual(readMigrationFiles({ migrationsFolder: DEFAULT_MIGRATIONS_FOLDER }).map((m) => m.hash));
			expect(first.$client.pragma('foreign_keys', { simple: true })).toBe(1);
			expect(first.$client.pragma('secure_delete', { simple: true })).toBe(1);
			first.$client.prepare("insert into organisation (id, name, region, updated_at) values ('o1', 'One', 'england-and-wales', '1970-01-01T00:00:00.000Z')").run();
			expect(second.$client.prepare('select count(*) as n from organisation').get()).toEqual({ n: 0 });
			expect(openDatabase(':memory:').$client.prepare('select count(*) as n from organisation').get()).toEqual({ n: 0 });
			migratedFile.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('writeTransaction and the statements outside it', () => {
	function counterDb(): Db {
		const db = openDatabase(':memory:', { migrate: false });
		db.$client.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0);');
		return db;
	}
	const counterTable = sqliteTable('counter', { id: integer('id').primaryKey(), n: integer('n').notNull() });
	const valueOf = async (db: Db) => (await dbGet(db.select().from(counterTable).where(eq(counterTable.id, 1))))!.n;
	/** Lets every other queued continuation run, as another request's would between two statements. */
	const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

	it('keeps concurrent read-modify-write transactions from losing an update, whatever they await in between', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 12 }), async (pauses) => {
				const db = counterDb();
				await Promise.all(
					pauses.map((pause) =>
						writeTransaction(db, async () => {
							const n = await valueOf(db);
							for (let i = 0; i < pause; i++) await yieldToOthers();
							await dbRun(db.update(counterTable).set({ n: n + 1 }).where(eq(counterTable.id, 1)));
						})
					)
				);
				expect(await valueOf(db)).toBe(pauses.length);
			}),
			{ numRuns: 30 }
		);
	});

	it('never lets a statement outside a transaction read another request’s uncommitted writes', async () => {
		const db = counterDb();
		const seen: number[] = [];
		const writer = writeTransaction(db, async () => {
			await dbRun(db.update(counterTable).set({ n: 99 }).where(eq(counterTable.id, 1)));
			await yieldToOthers();
			throw new Error('rolled back');
		});
		// Another request reads while the writer is open: it waits, and sees the rolled-back state.
		const reader = (async () => {
			await yieldToOthers();
			seen.push(await valueOf(db));
		})();
		await expect(writer).rejects.toThrow('rolled back');
		await reader;
		expect(seen).toEqual([0]);
		expect(inTransaction()).toBe(false);
	});

	it('makes a write outside a transaction wait for the open one, not join it', async () => {
		const db = counterDb();
		const writer = writeTransaction(db, async () => {
			await dbRun(db.update(counterTable).set({ n: 1 }).where(eq(counterTable.id, 1)));
			await yieldToOthers();
			throw new Error('rolled back');
		});
		const outside = (async () => {
			await yieldToOthers();
			await dbRun(db.update(counterTable).set({ n: 7 }).where(eq(counterTable.id, 1)));
		})();
		await expect(writer).rejects.toThrow('rolled back');
		await outside;
		// Had the outside write joined the transaction, the rollback would have taken it too.
		expect(await valueOf(db)).toBe(7);
	});

	it('runs a transaction begun inside another as a savepoint: its failure undoes only its own writes', async () => {
		const db = counterDb();
		await writeTransaction(db, async () => {
			await dbRun(db.update(counterTable).set({ n: 1 }).where(eq(counterTable.id, 1)));
			await expect(
				writeTransaction(db, async () => {
					await dbRun(db.update(counterTable).set({ n: 2 }).where(eq(counterTable.id, 1)));
					throw new Error('inner');
				})
			).rejects.toThrow('inner');
			expect(await valueOf(db)).toBe(1);
		});
		expect(await valueOf(db)).toBe(1);
		expect(db.$client.inTransaction).toBe(false);
	});
});

import { describe, expect, it } from 'vitest';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MIGRATIONS_FOLDER, openDatabase } from './database';

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

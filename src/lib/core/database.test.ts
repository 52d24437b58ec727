import { describe, expect, it } from 'vitest';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MIGRATIONS_FOLDER, openDatabase } from './database';

describe('openDatabase', () => {
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

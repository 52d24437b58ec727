import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { dbRun, openDatabase } from './database';
import { errorText } from './error-text';

describe('errorText', () => {
	it('keeps what failed and withholds the values a failed query carried', () => {
		// drizzle's own wrapper, as its node-postgres session throws it (server/postgres-smoke.test.ts
		// makes one on a real PostgreSQL); better-sqlite3's errors carry no parameters.
		const failure = new DrizzleQueryError('insert into "contact" ("email") values ($1)', ['ada@example.com'], new Error('duplicate key value violates unique constraint "contact_pkey"'));
		expect(String(failure)).toContain('ada@example.com');
		const text_ = errorText(failure);
		expect(text_).toBe('Failed query: insert into "contact" ("email") values ($1) (parameters withheld)');
	});

	it('leaves a SQLite error as it is: it names the constraint, not the values', async () => {
		const db = openDatabase(':memory:', { migrate: false });
		db.$client.exec('CREATE TABLE contact (email TEXT PRIMARY KEY)');
		const contact = sqliteTable('contact', { email: text('email').primaryKey() });
		await dbRun(db.insert(contact).values({ email: 'ada@example.com' }));
		const failure = await dbRun(db.insert(contact).values({ email: 'ada@example.com' })).catch((e: unknown) => e);
		expect(errorText(failure)).toBe('UNIQUE constraint failed: contact.email');
		db.$client.close();
	});

	it('gives any other error’s message, and a thrown value as text', () => {
		expect(errorText(new Error('disk full'))).toBe('disk full');
		expect(errorText('just a string')).toBe('just a string');
	});
});

import { describe, expect, it } from 'vitest';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { dbRun, openDatabase } from './database';
import { errorText } from './error-text';

describe('errorText', () => {
	it('keeps what failed and withholds the values a failed query carried', async () => {
		const db = openDatabase(':memory:', { migrate: false });
		db.$client.exec('CREATE TABLE contact (email TEXT PRIMARY KEY)');
		const contact = sqliteTable('contact', { email: text('email').primaryKey() });
		await dbRun(db.insert(contact).values({ email: 'ada@example.com' }));
		const failure = await dbRun(db.insert(contact).values({ email: 'ada@example.com' })).catch((e: unknown) => e);
		expect(String(failure)).toContain('ada@example.com');
		const text_ = errorText(failure);
		expect(text_).toMatch(/^Failed query: insert into "contact"/);
		expect(text_).toContain('(parameters withheld)');
		expect(text_).not.toContain('ada@example.com');
	});

	it('gives any other error’s message, and a thrown value as text', () => {
		expect(errorText(new Error('disk full'))).toBe('disk full');
		expect(errorText('just a string')).toBe('just a string');
	});
});

import { afterEach, describe, expect, it } from 'vitest';
import { desc } from 'drizzle-orm';
import { dbAll, type Db } from '$lib/core/database';
import { closeTestDatabase } from '$lib/core/testing-database';
import { createServerTestDb } from '$lib/server/testing';
import { securityEvent } from '$lib/server/db/schema';
import { checkEndpoint, lrsOf, lrsSettingsView, saveLrsSettings } from './settings';

let db: Db | undefined;
afterEach(() => {
	if (db) closeTestDatabase(db);
	db = undefined;
});

describe('the LRS address', () => {
	it('takes https, and plain http only on the loopback address', () => {
		expect(checkEndpoint(' https://lrs.example.org/xapi/ ')).toEqual({ ok: true, endpoint: 'https://lrs.example.org/xapi' });
		expect(checkEndpoint('https://lrs.example.org/data/xAPI/statements')).toEqual({ ok: true, endpoint: 'https://lrs.example.org/data/xAPI' });
		expect(checkEndpoint('http://127.0.0.1:8080/xapi')).toEqual({ ok: true, endpoint: 'http://127.0.0.1:8080/xapi' });
		expect(checkEndpoint('http://localhost/xapi')).toEqual({ ok: true, endpoint: 'http://localhost/xapi' });
		expect(checkEndpoint('http://lrs.example.org/xapi')).toMatchObject({ ok: false, message: expect.stringContaining('https://') });
		expect(checkEndpoint('http://127.0.0.1.example.org/xapi')).toMatchObject({ ok: false });
		expect(checkEndpoint('ftp://lrs.example.org')).toMatchObject({ ok: false });
		expect(checkEndpoint('lrs.example.org')).toMatchObject({ ok: false, message: expect.stringContaining('not a web address') });
		expect(checkEndpoint('https://user:pw@lrs.example.org/xapi')).toMatchObject({ ok: false, message: expect.stringContaining('key and secret') });
		expect(checkEndpoint('https://lrs.example.org/xapi?x=1')).toMatchObject({ ok: false });
		expect(checkEndpoint('')).toMatchObject({ ok: false });
		expect(checkEndpoint(`https://lrs.example.org/${'a'.repeat(600)}`)).toMatchObject({ ok: false, message: expect.stringContaining('500') });
	});
});

describe('the centre’s LRS settings', () => {
	const by = { id: 'admin-1' };
	const values = { endpoint: 'https://lrs.example.org/xapi', key: 'key-1', secret: 'first-secret', enabled: true };

	it('says what to correct next to each field and saves nothing', async () => {
		db = await createServerTestDb();
		const result = await saveLrsSettings(db, 'centre-1', { endpoint: 'http://lrs.example.org', key: 'a:b', secret: '', enabled: true }, by);
		expect(result).toEqual({ ok: false, errors: { endpoint: expect.any(String), key: 'A key cannot contain a colon (:).', secret: expect.stringContaining('Enter the secret') } });
		expect(await lrsOf(db, 'centre-1')).toBeUndefined();
	});

	it('never shows the secret back, keeps it when the field is left blank, and logs what changed without values', async () => {
		db = await createServerTestDb();
		expect(await saveLrsSettings(db, 'centre-1', values, by)).toEqual({ ok: true });
		expect(await saveLrsSettings(db, 'centre-1', { ...values, key: 'key-2', secret: '', enabled: false }, by)).toEqual({ ok: true });
		expect((await lrsOf(db, 'centre-1'))!.secret).toBe('first-secret');
		const view = await lrsSettingsView(db, 'centre-1');
		expect(view).toMatchObject({ endpoint: values.endpoint, key: 'key-2', hasSecret: true, enabled: false });
		expect(JSON.stringify(view)).not.toContain('first-secret');
		const events = await dbAll(db.select().from(securityEvent).orderBy(desc(securityEvent.at)));
		expect(events.map((e) => e.detail)).toContainEqual({ settings: ['xapi.key', 'xapi.enabled'], xapiEnabled: false });
		expect(JSON.stringify(events)).not.toContain('first-secret');
	});
});

import { describe, expect, it } from 'vitest';
import { openDatabase } from '$lib/core/database';
import { organisation, user } from '$lib/server/db/schema';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData, seedFirstAdministrator } from './demo';
import { logIn, rolesOf } from './auth/user';

describe('first start', () => {
	it('creates the demo centre and every demo account once, and never again on a database with data', async () => {
		const db = openDatabase(':memory:');
		expect(await seedDemoData(db)).toBe(true);
		expect(db.select().from(user).all()).toHaveLength(DEMO_ACCOUNTS.length);
		for (const account of DEMO_ACCOUNTS) {
			const result = await logIn(db, { email: account.email, password: DEMO_PASSWORD, address: '127.0.0.1' });
			expect(result.ok).toBe(true);
			if (result.ok) expect(rolesOf(db, result.user.id).sort()).toEqual([...account.roles].sort());
		}
		expect(await seedDemoData(db)).toBe(false);
		expect(db.select().from(organisation).all()).toHaveLength(1);
	});

	it('creates only a centre and an administrator who must change the one-time password when demo data is off', async () => {
		const db = openDatabase(':memory:');
		expect(await seedFirstAdministrator(db, { centreName: 'Riverside College', email: 'it@riverside.example', password: 'one-time password 1' })).toBe(true);
		const admin = db.select().from(user).get();
		expect(admin?.mustChangePassword).toBe(true);
		expect(db.select().from(organisation).get()?.name).toBe('Riverside College');
		expect(await seedFirstAdministrator(db, { centreName: 'Again', email: 'x@y.org', password: 'another password' })).toBe(false);
	});
});

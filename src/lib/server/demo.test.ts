import { describe, expect, it } from 'vitest';
import { dbAll, dbGet } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { organisation, securityEvent, user } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';
import { decodeHex, encodeBase32NoPadding } from '@oslojs/encoding';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, seedDemoData, seedFirstAdministrator } from './demo';
import { changePassword, logIn, rolesOf } from './auth/user';

describe('first start', () => {
	it('creates the demo centre and every demo account once, and never again on a database with data', async () => {
		const db = await openTestDatabase();
		expect(await seedDemoData(db)).toBe(true);
		expect(await dbAll(db.select().from(user))).toHaveLength(DEMO_ACCOUNTS.length);
		for (const account of DEMO_ACCOUNTS) {
			const result = await logIn(db, { email: account.email, password: DEMO_PASSWORD }, { address: '127.0.0.1', routeId: '/login', requestId: null });
			expect(result.ok).toBe(true);
			if (result.ok) expect((await rolesOf(db, result.user.id)).sort()).toEqual([...account.roles].sort());
		}
		expect(await seedDemoData(db)).toBe(false);
		expect(await dbAll(db.select().from(organisation))).toHaveLength(1);
	});

	it('enrols the staff demo accounts in MFA with the documented demo key, and no learner', async () => {
		const db = await openTestDatabase();
		await seedDemoData(db);
		for (const account of DEMO_ACCOUNTS) {
			const row = (await dbGet(db.select().from(user).where(eq(user.email, account.email))))!;
			const staff = account.roles.some((role) => role !== 'learner');
			expect(row.totpKey, account.email).toBe(staff ? DEMO_TOTP_KEY_HEX : null);
			expect(row.mfaEnrolledAt !== null, account.email).toBe(staff);
		}
		expect(encodeBase32NoPadding(decodeHex(DEMO_TOTP_KEY_HEX))).toBe('MN2XG5DPMRUWC3RNMRSW23ZNGIYDENRB');
	});

	it('creates only a centre and an administrator who must change the one-time password when demo data is off', async () => {
		const db = await openTestDatabase();
		expect(await seedFirstAdministrator(db, { centreName: 'Riverside College', email: 'it@riverside.example', password: 'one-time password 1' })).toBe(true);
		const admin = await dbGet(db.select().from(user));
		expect(admin?.mustChangePassword).toBe(true);
		expect((await dbGet(db.select().from(organisation)))?.name).toBe('Riverside College');
		expect(await seedFirstAdministrator(db, { centreName: 'Again', email: 'x@y.org', password: 'another password' })).toBe(false);
	});
	it('lets the first administrator’s one-time password expire, and issues it again at the next start until they choose their own', async () => {
		const db = await openTestDatabase();
		const start = Date.UTC(2026, 0, 5, 9, 0, 0);
		const seed = { centreName: 'Riverside College', email: 'it@riverside.example', password: 'one-time password 1' };
		const from = { address: '198.51.100.3', routeId: '/login', requestId: null };
		await seedFirstAdministrator(db, seed, new Date(start));
		const later = start + 73 * 3_600_000;
		expect(await logIn(db, { email: seed.email, password: seed.password }, from, later)).toMatchObject({ ok: false, reason: 'invalid' });
		await seedFirstAdministrator(db, seed, new Date(later));
		const login = await logIn(db, { email: seed.email, password: seed.password }, from, later + 1);
		expect(login.ok).toBe(true);
		const types = (await dbAll(db.select().from(securityEvent))).map((e) => e.type);
		expect(types.filter((t) => t === 'one-time-password.issued')).toHaveLength(2);
		if (!login.ok) return;
		const own = { currentPassword: seed.password, newPassword: 'riverside admin desk key', confirmPassword: 'riverside admin desk key' };
		expect(await changePassword(db, login.user.id, own, from, later + 2)).toEqual({ ok: true });
		// Once they have their own password, a restart never puts ADMIN_PASSWORD back.
		await seedFirstAdministrator(db, seed, new Date(later + 100 * 3_600_000));
		expect((await logIn(db, { email: seed.email, password: seed.password }, from, later + 100 * 3_600_000)).ok).toBe(false);
	});
});

import { dbAll, dbGet, dbRun } from '$lib/core/database';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { session, user } from '$lib/server/db/schema';
import { createServerTestDb } from '$lib/server/testing';
import {
	SESSION_ABSOLUTE_LIFETIME_MS,
	SESSION_IDLE_TIMEOUT_MS,
	SESSION_LIFETIME_MS,
	SESSION_RENEW_WITHIN_MS,
	createSession,
	generateSessionToken,
	invalidateSession,
	invalidateUserSessions,
	sessionIdFromToken,
	validateSessionToken
} from './session';
import { createUser } from './user';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('sessions', () => {
	let db: Db;
	let userId: string;
	beforeEach(async () => {
		db = await createServerTestDb();
		const u = await createUser(db, {
			organisationId: 'centre-1',
			email: 'Learner@Example.org',
			displayName: 'Lee Learner',
			password: 'a long enough password',
			roles: ['learner', 'assessor']
		});
		userId = u.id;
	});

	it('makes tokens of 160 random bits that never repeat', () => {
		const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
		expect(tokens.size).toBe(1000);
		for (const token of [...tokens].slice(0, 20)) expect(token).toMatch(/^[a-z2-7]{32}$/); // 32 base32 chars = 20 bytes
	});

	it('stores only the SHA-256 of the token, never the token', async () => {
		const token = generateSessionToken();
		await createSession(db, token, userId, T0);
		const rows = await dbAll(db.select().from(session));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.id).toBe(sessionIdFromToken(token));
		expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(rows)).not.toContain(token);
	});

	it('validates a fresh session and returns the user with all their roles', async () => {
		const token = generateSessionToken();
		await createSession(db, token, userId, T0);
		const result = await validateSessionToken(db, token, T0 + 1000);
		expect(result.user?.email).toBe('learner@example.org');
		expect(result.user?.roles.sort()).toEqual(['assessor', 'learner']);
		expect(result.renewed).toBe(false);
	});

	it('refuses an unknown or malformed token', async () => {
		await createSession(db, generateSessionToken(), userId, T0);
		expect((await validateSessionToken(db, generateSessionToken(), T0)).session).toBeNull();
		expect((await validateSessionToken(db, 'not a token', T0)).session).toBeNull();
		expect((await validateSessionToken(db, '', T0)).session).toBeNull();
	});

	it('expires a session 30 days after its last renewal and deletes it', async () => {
		const token = generateSessionToken();
		await createSession(db, token, userId, T0);
		// Used every 6 days (inside the idle timeout) until 14 days: no renewal yet.
		for (let day = 6; day <= 12; day += 6) expect((await validateSessionToken(db, token, T0 + day * DAY)).renewed).toBe(false);
		expect((await validateSessionToken(db, token, T0 + SESSION_LIFETIME_MS)).session).toBeNull();
		expect(await dbAll(db.select().from(session))).toHaveLength(0);
	});

	it('renews the expiry to 30 days from now when used in its last 15 days', async () => {
		const token = generateSessionToken();
		const created = await createSession(db, token, userId, T0);
		const useAt = created.expiresAt - SESSION_RENEW_WITHIN_MS + 1;
		// keep it active so the idle timeout does not end it first
		await validateSessionToken(db, token, T0 + 6 * DAY);
		await validateSessionToken(db, token, T0 + 12 * DAY);
		const result = await validateSessionToken(db, token, useAt);
		expect(result.renewed).toBe(true);
		expect(result.session?.expiresAt).toBe(useAt + SESSION_LIFETIME_MS);
		const stored = await dbGet(db.select().from(session).where(eq(session.id, sessionIdFromToken(token))));
		expect(stored?.expiresAt).toBe(useAt + SESSION_LIFETIME_MS);
	});

	it('ends a session left unused for longer than the idle timeout', async () => {
		const token = generateSessionToken();
		await createSession(db, token, userId, T0);
		expect((await validateSessionToken(db, token, T0 + SESSION_IDLE_TIMEOUT_MS)).session).toBeNull();
	});

	it('ends a session at its absolute lifetime however often it is used', async () => {
		const token = generateSessionToken();
		await createSession(db, token, userId, T0);
		let now = T0;
		while (now < T0 + SESSION_ABSOLUTE_LIFETIME_MS - 5 * DAY) {
			now += 5 * DAY;
			expect((await validateSessionToken(db, token, now)).session).not.toBeNull();
		}
		expect((await validateSessionToken(db, token, T0 + SESSION_ABSOLUTE_LIFETIME_MS)).session).toBeNull();
	});

	it('invalidates one session on log out, leaving the user’s other sessions', async () => {
		const a = generateSessionToken();
		const b = generateSessionToken();
		await createSession(db, a, userId, T0);
		await createSession(db, b, userId, T0);
		await invalidateSession(db, sessionIdFromToken(a));
		expect((await validateSessionToken(db, a, T0)).session).toBeNull();
		expect((await validateSessionToken(db, b, T0)).session).not.toBeNull();
	});

	it('invalidates every session of a user at once', async () => {
		const tokens = [generateSessionToken(), generateSessionToken()];
		for (const t of tokens) await createSession(db, t, userId, T0);
		await invalidateUserSessions(db, userId);
		for (const t of tokens) expect((await validateSessionToken(db, t, T0)).session).toBeNull();
	});

	it('ends the sessions of a deactivated user on their next request', async () => {
		const token = generateSessionToken();
		await createSession(db, token, userId, T0);
		await dbRun(db.update(user).set({ active: false }).where(eq(user.id, userId)));
		expect((await validateSessionToken(db, token, T0 + 1000)).session).toBeNull();
	});
});

import { dbAll, dbGet } from '$lib/core/database';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { createServerTestDb } from '$lib/server/testing';
import { securityEvent, user } from '$lib/server/db/schema';
import { createUserAccount } from '$lib/server/user-admin';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from './throttle';
import { WRONG_CREDENTIALS, changePassword, createUser, logIn, type LogInResult } from './user';

// Counts argon2 verifications by wrapping the real function: the throttle's promise is that a
// refused attempt never reaches the hash.
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('./password', async (importOriginal) => {
	const actual = await importOriginal<typeof import('./password')>();
	return {
		...actual,
		verifyPasswordHash: (hash: string, password: string) => {
			verifications.count++;
			return actual.verifyPasswordHash(hash, password);
		}
	};
});

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR = 3_600_000;
const from = (address: string, routeId = '/login') => ({ address, routeId, requestId: null });
const ADMIN = { id: 'administrator-1', address: '198.51.100.250', routeId: '/(guarded)/admin/users/new', requestId: null };
const PASSWORD = 'the right password';

async function eventsOf(db: Db, type: string) {
	return (await dbAll(db.select().from(securityEvent))).filter((e) => e.type === type);
}

function answers(results: LogInResult[]) {
	return { throttled: results.filter((r) => !r.ok && r.reason === 'throttled').length, invalid: results.filter((r) => !r.ok && r.reason === 'invalid').length };
}

describe('log-in under parallel guessing', () => {
	let db: Db;
	beforeEach(async () => {
		db = await createServerTestDb();
		verifications.count = 0;
		await createUser(db, { organisationId: 'centre-1', email: 'real@example.org', displayName: 'Real Person', password: PASSWORD, roles: ['learner'] });
	});

	for (const burst of [30, 200]) {
		it(`answers ${burst} parallel wrong passwords for one account exactly as the same guesses made one after another`, async () => {
			const sequential = await createServerTestDb();
			await createUser(sequential, { organisationId: 'centre-1', email: 'real@example.org', displayName: 'Real Person', password: PASSWORD, roles: ['learner'] });
			const inSequence: LogInResult[] = [];
			for (let i = 0; i < burst; i++) inSequence.push(await logIn(sequential, { email: 'real@example.org', password: `guess ${i}` }, from('203.0.113.1'), T0));
			verifications.count = 0;

			const inParallel = await Promise.all(
				Array.from({ length: burst }, (_, i) => logIn(db, { email: 'real@example.org', password: `guess ${i}` }, from('203.0.113.1'), T0))
			);
			expect(answers(inParallel)).toEqual(answers(inSequence));
			// The account's free failures, then the one attempt a zero delay still allows: no more hashes than that.
			expect(answers(inParallel).invalid).toBe(ACCOUNT_POLICY.freeFailures + 1);
			expect(verifications.count).toBe(ACCOUNT_POLICY.freeFailures + 1);
			expect(await eventsOf(db, 'login.failed')).toHaveLength(ACCOUNT_POLICY.freeFailures + 1);
			expect(await eventsOf(db, 'login.throttled')).toHaveLength(burst - ACCOUNT_POLICY.freeFailures - 1);
		});
	}

	it('lets one address make only its allowance of parallel guesses across many accounts', async () => {
		const results = await Promise.all(
			Array.from({ length: 60 }, (_, i) => logIn(db, { email: `person${i}@example.org`, password: 'guess' }, from('203.0.113.2'), T0))
		);
		expect(answers(results).invalid).toBe(ADDRESS_POLICY.freeFailures + 1);
		expect(verifications.count).toBe(ADDRESS_POLICY.freeFailures + 1);
	});

	it('logs a failed log-in for an unknown account with the typed email, and for a known one with its id only', async () => {
		await logIn(db, { email: 'Ghost@Example.org', password: 'guess' }, from('203.0.113.3'), T0);
		await logIn(db, { email: 'real@example.org', password: 'guess' }, from('203.0.113.3'), T0);
		const [ghost, real] = await eventsOf(db, 'login.failed');
		expect(ghost).toMatchObject({ email: 'ghost@example.org', userId: null, address: '203.0.113.3', routeId: '/login', detail: { reason: 'unknown-account' } });
		const id = (await dbGet(db.select().from(user).where(eq(user.email, 'real@example.org'))))!.id;
		expect(real).toMatchObject({ email: null, userId: id, detail: { reason: 'wrong-password' } });
		expect(JSON.stringify(await dbAll(db.select().from(securityEvent)))).not.toContain('guess');
	});

	it('logs the failure that locks an account once as a lock-out, and a success as a log-in', async () => {
		let now = T0;
		for (let i = 0; i < ACCOUNT_POLICY.lockAfterFailures; i++) {
			await logIn(db, { email: 'real@example.org', password: 'guess' }, from(`203.0.113.${i + 10}`), (now += ACCOUNT_POLICY.maxDelayMs));
		}
		expect(await eventsOf(db, 'login.locked')).toEqual([expect.objectContaining({ detail: { scope: 'account' } })]);
		expect(await logIn(db, { email: 'real@example.org', password: PASSWORD }, from('203.0.113.99'), now + 1)).toMatchObject({ ok: false, reason: 'throttled' });
		const after = now + ACCOUNT_POLICY.lockMs;
		expect((await logIn(db, { email: 'real@example.org', password: PASSWORD }, from('203.0.113.99'), after)).ok).toBe(true);
		expect(await eventsOf(db, 'login.succeeded')).toHaveLength(1);
	});
});

describe('one-time passwords', () => {
	let db: Db;
	let id: string;
	let oneTimePassword: string;
	beforeEach(async () => {
		db = await createServerTestDb();
		const made = await createUserAccount(db, 'centre-1', { displayName: 'Nia Evans', email: 'nia@example.org', roles: ['learner'] }, ADMIN, new Date(T0));
		if (!made.ok) throw new Error(made.error.message);
		id = made.value.user.id;
		oneTimePassword = made.value.oneTimePassword;
	});

	it('expire 72 hours after they are issued, answering like a wrong password and logging the expiry', async () => {
		expect((await dbGet(db.select().from(user).where(eq(user.id, id))))!.oneTimePasswordExpiresAt).toBe(T0 + 72 * HOUR);
		const expired = await logIn(db, { email: 'nia@example.org', password: oneTimePassword }, from('203.0.113.20'), T0 + 72 * HOUR);
		expect(expired).toEqual({ ok: false, reason: 'invalid', message: WRONG_CREDENTIALS });
		expect(await eventsOf(db, 'one-time-password.expired')).toEqual([expect.objectContaining({ userId: id, address: '203.0.113.20' })]);
		expect(await eventsOf(db, 'one-time-password.issued')).toEqual([expect.objectContaining({ userId: id, actorId: ADMIN.id, detail: { source: 'created' } })]);
	});

	it('work for one log-in only: a second log-in with the same one is refused', async () => {
		const first = await logIn(db, { email: 'nia@example.org', password: oneTimePassword }, from('203.0.113.21'), T0 + HOUR);
		expect(first).toMatchObject({ ok: true, oneTimePassword: true });
		const second = await logIn(db, { email: 'nia@example.org', password: oneTimePassword }, from('203.0.113.21'), T0 + 2 * HOUR);
		expect(second).toEqual({ ok: false, reason: 'invalid', message: WRONG_CREDENTIALS });
	});

	it('let exactly one of two parallel log-ins with the same one-time password succeed', async () => {
		const results = await Promise.all([1, 2].map((n) => logIn(db, { email: 'nia@example.org', password: oneTimePassword }, from(`203.0.113.${30 + n}`), T0 + HOUR)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('are replaced by the session that used one, and the new password then logs in', async () => {
		await logIn(db, { email: 'nia@example.org', password: oneTimePassword }, from('203.0.113.22'), T0 + HOUR);
		const input = { currentPassword: oneTimePassword, newPassword: 'tea at four on the terrace', confirmPassword: 'tea at four on the terrace' };
		expect(await changePassword(db, id, input, from('203.0.113.22', '/(guarded)/account/password'), T0 + HOUR)).toEqual({ ok: true });
		expect(await dbGet(db.select().from(user).where(eq(user.id, id)))).toMatchObject({ mustChangePassword: false, oneTimePasswordExpiresAt: null });
		expect((await logIn(db, { email: 'nia@example.org', password: 'tea at four on the terrace' }, from('203.0.113.22'), T0 + 2 * HOUR)).ok).toBe(true);
		expect(await eventsOf(db, 'password.changed')).toEqual([expect.objectContaining({ userId: id, detail: { fromOneTimePassword: true } })]);
	});
});

describe('changing a password', () => {
	let db: Db;
	let id: string;
	const page = (address: string) => from(address, '/(guarded)/account/password');
	beforeEach(async () => {
		db = await createServerTestDb();
		verifications.count = 0;
		id = (await createUser(db, { organisationId: 'centre-1', email: 'amira.khan@example.org', displayName: 'Amira Khan', password: PASSWORD, roles: ['learner'] })).id;
	});

	it('refuses password1234 as a common password, next to the new password field', async () => {
		const result = await changePassword(db, id, { currentPassword: PASSWORD, newPassword: 'password1234', confirmPassword: 'password1234' }, page('203.0.113.40'), T0);
		expect(result).toMatchObject({ ok: false, throttled: false, errors: { newPassword: expect.stringMatching(/common and breached passwords/) } });
		expect(await eventsOf(db, 'password.change-failed')).toEqual([expect.objectContaining({ userId: id, detail: { reason: 'new-password-refused' } })]);
	});

	it('refuses a new password that contains the user’s name', async () => {
		const result = await changePassword(db, id, { currentPassword: PASSWORD, newPassword: 'khan family holidays', confirmPassword: 'khan family holidays' }, page('203.0.113.41'), T0);
		expect(result).toMatchObject({ ok: false, errors: { newPassword: expect.stringMatching(/your name/) } });
	});

	it('throttles guesses of the current password like log-in, in parallel too, and says so next to the field', async () => {
		const guesses = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				changePassword(db, id, { currentPassword: `guess ${i}`, newPassword: 'a long new passphrase', confirmPassword: 'a long new passphrase' }, page('203.0.113.42'), T0)
			)
		);
		const throttled = guesses.filter((r) => !r.ok && r.throttled);
		expect(guesses.length - throttled.length).toBe(ACCOUNT_POLICY.freeFailures + 1);
		expect(verifications.count).toBe(ACCOUNT_POLICY.freeFailures + 1);
		expect(throttled[0]).toMatchObject({ errors: { currentPassword: 'Too many wrong passwords. Wait 1 second and try again.' } });
		expect(await eventsOf(db, 'password.change-throttled')).toHaveLength(throttled.length);
		// The account's allowance is shared with the log-in form: the guesses count there too.
		expect(await logIn(db, { email: 'amira.khan@example.org', password: PASSWORD }, from('203.0.113.43'), T0 + 10)).toMatchObject({ reason: 'throttled' });
	});

	it('forgets the account’s failed guesses once the right current password is given', async () => {
		for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i++) {
			await changePassword(db, id, { currentPassword: 'wrong', newPassword: 'a long new passphrase', confirmPassword: 'a long new passphrase' }, page('203.0.113.44'), T0);
		}
		const changed = await changePassword(db, id, { currentPassword: PASSWORD, newPassword: 'a long new passphrase', confirmPassword: 'a long new passphrase' }, page('203.0.113.44'), T0);
		expect(changed).toEqual({ ok: true });
		for (let i = 0; i <= ACCOUNT_POLICY.freeFailures; i++) {
			expect(await logIn(db, { email: 'amira.khan@example.org', password: 'wrong' }, from('203.0.113.45'), T0 + 1)).toMatchObject({ reason: 'invalid' });
		}
	});
});

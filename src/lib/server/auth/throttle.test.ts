import { mapInOrder } from '$lib/core/in-order';
import { dbAll, dbRun } from '$lib/core/database';
import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '$lib/core/database';
import { createServerTestDb } from '$lib/server/testing';
import {
	ACCOUNT_POLICY,
	ADDRESS_POLICY,
	accountKey,
	addressKey,
	checkThrottle,
	clearFailures,
	delayAfter,
	mfaKey,
	recordFailure,
	reserveAttempt,
	settleAttempt,
	throttleMessage
} from './throttle';
import { loginThrottle } from '$lib/server/db/schema';
import { WRONG_CREDENTIALS, createUser, logIn } from './user';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (address: string) => ({ address, routeId: '/login', requestId: null });

describe('log-in throttling', () => {
	let db: Db;
	beforeEach(async () => {
		db = await createServerTestDb();
	});

	it('lets the first few failures through without delay', async () => {
		const keys = [accountKey('a@b.org')];
		for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i++) {
			expect(await checkThrottle(db, keys, T0 + i)).toEqual({ allowed: true });
			await recordFailure(db, keys, T0 + i);
		}
		expect((await checkThrottle(db, keys, T0 + 10)).allowed).toBe(true);
	});

	it('then slows down with a delay that doubles after each further failure', async () => {
		expect(delayAfter(ACCOUNT_POLICY.freeFailures, ACCOUNT_POLICY)).toBe(0);
		expect(delayAfter(ACCOUNT_POLICY.freeFailures + 1, ACCOUNT_POLICY)).toBe(1000);
		expect(delayAfter(ACCOUNT_POLICY.freeFailures + 2, ACCOUNT_POLICY)).toBe(2000);
		expect(delayAfter(ACCOUNT_POLICY.freeFailures + 3, ACCOUNT_POLICY)).toBe(4000);
		expect(delayAfter(50, ACCOUNT_POLICY)).toBe(ACCOUNT_POLICY.maxDelayMs);

		const keys = [accountKey('a@b.org')];
		for (let i = 0; i <= ACCOUNT_POLICY.freeFailures; i++) await recordFailure(db, keys, T0);
		const decision = await checkThrottle(db, keys, T0 + 10);
		expect(decision).toEqual({ allowed: false, locked: false, retryAfterMs: 990 });
		expect((await checkThrottle(db, keys, T0 + 1000)).allowed).toBe(true);
	});

	it('locks an account temporarily after too many failures, then lets it try again', async () => {
		const keys = [accountKey('a@b.org')];
		let now = T0;
		for (let i = 0; i < ACCOUNT_POLICY.lockAfterFailures; i++) {
			now += ACCOUNT_POLICY.maxDelayMs;
			await recordFailure(db, keys, now);
		}
		const decision = await checkThrottle(db, keys, now + 1000);
		expect(decision).toMatchObject({ allowed: false, locked: true });
		if (!decision.allowed) expect(throttleMessage(decision)).toMatch(/locked for 15 minutes/);
		expect((await checkThrottle(db, keys, now + ACCOUNT_POLICY.lockMs)).allowed).toBe(true);
		// After the lock, one more failure starts a new count rather than relocking at once.
		await recordFailure(db, keys, now + ACCOUNT_POLICY.lockMs);
		expect((await checkThrottle(db, keys, now + ACCOUNT_POLICY.lockMs + 1)).allowed).toBe(true);
	});

	it('forgets old failures after the window', async () => {
		const keys = [accountKey('a@b.org')];
		for (let i = 0; i < ACCOUNT_POLICY.freeFailures + 3; i++) await recordFailure(db, keys, T0);
		expect((await checkThrottle(db, keys, T0 + 100)).allowed).toBe(false);
		expect((await checkThrottle(db, keys, T0 + ACCOUNT_POLICY.windowMs)).allowed).toBe(true);
	});

	it('gives an address a larger allowance than an account, and the strictest key decides', async () => {
		const address = addressKey('203.0.113.9');
		for (let i = 0; i < ACCOUNT_POLICY.freeFailures + 1; i++) await recordFailure(db, [address], T0);
		expect((await checkThrottle(db, [address], T0 + 1)).allowed).toBe(true);
		for (let i = 0; i < ADDRESS_POLICY.lockAfterFailures; i++) await recordFailure(db, [address], T0);
		expect(await checkThrottle(db, [accountKey('fresh@b.org'), address], T0 + 1)).toMatchObject({ allowed: false, locked: true });
	});

	it('clears an account’s failures after a successful log-in', async () => {
		const key = accountKey('a@b.org');
		for (let i = 0; i < ACCOUNT_POLICY.freeFailures + 2; i++) await recordFailure(db, [key], T0);
		await clearFailures(db, key);
		expect((await checkThrottle(db, [key], T0 + 1)).allowed).toBe(true);
	});

	it('answers a wrong password and an unknown account with the same message, and throttles both alike', async () => {
		await createUser(db, {
			organisationId: 'centre-1',
			email: 'real@example.org',
			displayName: 'Real Person',
			password: 'the right password',
			roles: ['learner']
		});
		const wrong = await logIn(db, { email: 'real@example.org', password: 'nope' }, at('198.51.100.1'), T0);
		const unknown = await logIn(db, { email: 'ghost@example.org', password: 'nope' }, at('198.51.100.2'), T0);
		expect(wrong).toEqual({ ok: false, reason: 'invalid', message: WRONG_CREDENTIALS });
		expect(unknown).toEqual({ ok: false, reason: 'invalid', message: WRONG_CREDENTIALS });

		let now = T0;
		for (let i = 1; i < ACCOUNT_POLICY.lockAfterFailures; i++) {
			now += ACCOUNT_POLICY.maxDelayMs;
			for (const email of ['real@example.org', 'ghost@example.org']) {
				await logIn(db, { email, password: 'nope' }, at(`198.51.100.${i + 10}`), now);
			}
		}
		const realLocked = await logIn(db, { email: 'real@example.org', password: 'the right password' }, at('198.51.100.99'), now + 1);
		const ghostLocked = await logIn(db, { email: 'ghost@example.org', password: 'x' }, at('198.51.100.98'), now + 1);
		expect(realLocked).toMatchObject({ ok: false, reason: 'throttled' });
		expect(ghostLocked).toMatchObject({ ok: false, reason: 'throttled' });
		// The same wording for both: only the minutes left can differ.
		if (!realLocked.ok && !ghostLocked.ok) {
			expect(realLocked.message.replace(/\d+/g, 'N')).toBe(ghostLocked.message.replace(/\d+/g, 'N'));
		}
	});

	it('logs in with the right password and normalises the email', async () => {
		await createUser(db, {
			organisationId: 'centre-1',
			email: 'real@example.org',
			displayName: 'Real Person',
			password: 'the right password',
			roles: ['learner']
		});
		const result = await logIn(db, { email: '  REAL@example.org ', password: 'the right password' }, at('198.51.100.1'), T0);
		expect(result.ok).toBe(true);
	});
});

describe('reserving attempts', () => {
	let db: Db;
	beforeEach(async () => {
		db = await createServerTestDb();
	});
	const failuresOf = async (key: string) => (await dbAll(db.select().from(loginThrottle))).find((r) => r.key === key)?.failures ?? 0;

	it('counts a reserved attempt as a failure before it is settled, so unsettled attempts use up the allowance', async () => {
		const keys = [accountKey('a@b.org')];
		for (let i = 0; i <= ACCOUNT_POLICY.freeFailures; i++) expect((await reserveAttempt(db, keys, T0)).allowed).toBe(true);
		expect(await reserveAttempt(db, keys, T0)).toEqual({ allowed: false, locked: false, retryAfterMs: 1000 });
		expect(await failuresOf(keys[0]!)).toBe(ACCOUNT_POLICY.freeFailures + 1);
	});

	it('lets an attempt through whose clock reading comes a moment before a failure already counted, while the key is within its free failures', async () => {
		const keys = [addressKey('203.0.113.7')];
		expect((await reserveAttempt(db, keys, T0 + 5)).allowed).toBe(true);
		expect((await reserveAttempt(db, keys, T0)).allowed).toBe(true);
		expect(await failuresOf(keys[0]!)).toBe(2);
	});

	it('refuses without counting anything when the key must wait', async () => {
		const keys = [accountKey('a@b.org')];
		for (let i = 0; i <= ACCOUNT_POLICY.freeFailures; i++) await reserveAttempt(db, keys, T0);
		for (let i = 0; i < 5; i++) await reserveAttempt(db, keys, T0 + 1);
		expect(await failuresOf(keys[0]!)).toBe(ACCOUNT_POLICY.freeFailures + 1);
	});

	it('clears the account on success but gives back only its own failure on a shared address', async () => {
		const account = accountKey('a@b.org');
		const address = addressKey('203.0.113.7');
		for (let i = 0; i < 2; i++) await reserveAttempt(db, [accountKey(`other${i}@b.org`), address], T0);
		await reserveAttempt(db, [account, address], T0);
		const attempt = await reserveAttempt(db, [account, address], T0);
		if (!attempt.allowed) throw new Error('expected the attempt to be allowed');
		expect(await settleAttempt(db, attempt.reservation, 'success')).toEqual({ lockedKeys: [] });
		expect(await failuresOf(account)).toBe(0);
		expect(await failuresOf(address)).toBe(3);
	});

	it('lifts a lock that only its own provisional failure set when the attempt succeeds', async () => {
		const address = addressKey('203.0.113.8');
		for (let i = 1; i < ADDRESS_POLICY.lockAfterFailures; i++) await recordFailure(db, [address], T0 - ADDRESS_POLICY.maxDelayMs);
		const attempt = await reserveAttempt(db, [address], T0);
		if (!attempt.allowed) throw new Error('expected the attempt to be allowed');
		expect(await checkThrottle(db, [address], T0 + 1)).toMatchObject({ allowed: false, locked: true });
		await settleAttempt(db, attempt.reservation, 'success');
		expect(await checkThrottle(db, [address], T0 + ADDRESS_POLICY.maxDelayMs)).toEqual({ allowed: true });
		expect(await failuresOf(address)).toBe(ADDRESS_POLICY.lockAfterFailures - 1);
	});

	it('reports the keys a failure locked, once, when it is settled as a failure', async () => {
		const account = accountKey('a@b.org');
		let now = T0;
		for (let i = 1; i < ACCOUNT_POLICY.lockAfterFailures; i++) await recordFailure(db, [account], (now += ACCOUNT_POLICY.maxDelayMs));
		const attempt = await reserveAttempt(db, [account, addressKey('203.0.113.9')], (now += ACCOUNT_POLICY.maxDelayMs));
		if (!attempt.allowed) throw new Error('expected the attempt to be allowed');
		expect(await settleAttempt(db, attempt.reservation, 'failure')).toEqual({ lockedKeys: [account] });
		expect(await reserveAttempt(db, [account], now + 1)).toMatchObject({ allowed: false, locked: true });
	});

	it('throttles a second factor by its own key with the same allowance as an account', async () => {
		const key = mfaKey('user-1');
		for (let i = 0; i <= ACCOUNT_POLICY.freeFailures; i++) expect((await reserveAttempt(db, [key], T0)).allowed).toBe(true);
		const refused = await reserveAttempt(db, [key], T0);
		expect(refused.allowed).toBe(false);
		if (!refused.allowed) expect(throttleMessage(refused, 'code')).toBe('Too many wrong codes. Wait 1 second and try again.');
		expect((await checkThrottle(db, [accountKey('user-1')], T0)).allowed).toBe(true);
	});

	it('leaves a shared address with exactly the failures of a burst, whatever order its attempts settle in', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.boolean(), { minLength: 1, maxLength: ADDRESS_POLICY.freeFailures + 1 }).chain((outcomes) =>
					fc.tuple(fc.constant(outcomes), fc.shuffledSubarray([...outcomes.keys()], { minLength: outcomes.length }))
				),
				async ([outcomes, order]) => {
					await dbRun(db.delete(loginThrottle));
					const address = addressKey('203.0.113.10');
					const reservations = await mapInOrder(outcomes, async () => {
						const attempt = await reserveAttempt(db, [address], T0);
						if (!attempt.allowed) throw new Error('a burst within the free allowance is allowed');
						return attempt.reservation;
					});
					for (const i of order) await settleAttempt(db, reservations[i]!, outcomes[i] ? 'success' : 'failure');
					const row = (await dbAll(db.select().from(loginThrottle))).find((r) => r.key === address);
					expect(row?.failures ?? 0).toBe(outcomes.filter((succeeded) => !succeeded).length);
				}
			),
			{ numRuns: 200 }
		);
	});
});

describe('forgetting stale keys', () => {
	it('drops the rows of keys whose failures can no longer matter when attempts go on', async () => {
		const db = await createServerTestDb();
		for (let i = 0; i < 50; i++) await reserveAttempt(db, [accountKey(`random${i}@example.org`)], T0);
		expect(await dbAll(db.select().from(loginThrottle))).toHaveLength(50);
		const later = T0 + ACCOUNT_POLICY.windowMs + ADDRESS_POLICY.lockMs + 1;
		await reserveAttempt(db, [accountKey('fresh@example.org')], later);
		expect((await dbAll(db.select().from(loginThrottle))).map((r) => r.key)).toEqual([accountKey('fresh@example.org')]);
	});
});

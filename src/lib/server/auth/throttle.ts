import { eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { loginThrottle } from '$lib/server/db/schema';

/**
 * Log-in throttling, checked before any password is hashed: argon2id costs ~22 ms of CPU per
 * attempt, so an unthrottled log-in form is a denial-of-service vector (DESIGN.md, Security).
 *
 * Each key (an account's email, or a client address) gets a few free failures, then must wait an
 * exponentially growing delay between attempts, then is locked for a while. Keys are the typed
 * email, whether or not an account has it, so the answers never reveal whether an account exists.
 * Addresses get a higher allowance: a training centre's learners often share one address.
 */
export interface ThrottlePolicy {
	freeFailures: number;
	lockAfterFailures: number;
	maxDelayMs: number;
	lockMs: number;
	/** Failures older than this are forgotten (unless the key is locked). */
	windowMs: number;
}

const MINUTE = 60_000;
export const ACCOUNT_POLICY: ThrottlePolicy = {
	freeFailures: 3,
	lockAfterFailures: 10,
	maxDelayMs: MINUTE,
	lockMs: 15 * MINUTE,
	windowMs: 15 * MINUTE
};
export const ADDRESS_POLICY: ThrottlePolicy = {
	freeFailures: 20,
	lockAfterFailures: 100,
	maxDelayMs: MINUTE,
	lockMs: 15 * MINUTE,
	windowMs: 15 * MINUTE
};

export type ThrottleDecision =
	| { allowed: true }
	| { allowed: false; locked: boolean; retryAfterMs: number };

export function accountKey(email: string): string {
	return `account:${email.trim().toLowerCase()}`;
}
export function addressKey(address: string): string {
	return `address:${address}`;
}

function policyFor(key: string): ThrottlePolicy {
	return key.startsWith('address:') ? ADDRESS_POLICY : ACCOUNT_POLICY;
}

/** The wait required after the nth failure: none while free, then 1 s, 2 s, 4 s … up to the cap. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
	if (failures <= policy.freeFailures) return 0;
	return Math.min(1000 * 2 ** (failures - policy.freeFailures - 1), policy.maxDelayMs);
}

/** May an attempt be made now for all of these keys? The strictest key decides. */
export function checkThrottle(db: Db, keys: string[], now = Date.now()): ThrottleDecision {
	const rows = db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys)).all();
	let worst: ThrottleDecision = { allowed: true };
	for (const row of rows) {
		const policy = policyFor(row.key);
		let decision: ThrottleDecision = { allowed: true };
		if (row.lockedUntil !== null && now < row.lockedUntil) {
			decision = { allowed: false, locked: true, retryAfterMs: row.lockedUntil - now };
		} else if (row.lockedUntil === null && now - row.firstFailureAt < policy.windowMs) {
			const readyAt = row.lastFailureAt + delayAfter(row.failures, policy);
			if (now < readyAt) decision = { allowed: false, locked: false, retryAfterMs: readyAt - now };
		}
		if (!decision.allowed && (worst.allowed || decision.retryAfterMs > worst.retryAfterMs)) {
			worst = decision;
		}
	}
	return worst;
}

export function recordFailure(db: Db, keys: string[], now = Date.now()): void {
	db.$client
		.transaction(() => {
			for (const key of keys) {
				const policy = policyFor(key);
				const row = db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
				const stale =
					!row ||
					(row.lockedUntil !== null ? now >= row.lockedUntil : now - row.firstFailureAt >= policy.windowMs);
				const failures = stale ? 1 : row.failures + 1;
				const lockedUntil = failures >= policy.lockAfterFailures ? now + policy.lockMs : null;
				const values = {
					key,
					failures,
					firstFailureAt: stale ? now : row.firstFailureAt,
					lastFailureAt: now,
					lockedUntil
				};
				db.insert(loginThrottle)
					.values(values)
					.onConflictDoUpdate({ target: loginThrottle.key, set: values })
					.run();
			}
		})
		.immediate();
}

/** A successful log-in clears the account's failures (not the address's: others may share it). */
export function clearFailures(db: Db, key: string): void {
	db.delete(loginThrottle).where(eq(loginThrottle.key, key)).run();
}

/** Forgets rows that can no longer affect a decision, so the table does not grow without bound. */
export function pruneThrottle(db: Db, now = Date.now()): void {
	const horizon = now - Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs, ADDRESS_POLICY.lockMs);
	db.delete(loginThrottle).where(lt(loginThrottle.lastFailureAt, horizon)).run();
}

export function throttleMessage(decision: Extract<ThrottleDecision, { allowed: false }>): string {
	const seconds = Math.ceil(decision.retryAfterMs / 1000);
	if (decision.locked) {
		const minutes = Math.ceil(seconds / 60);
		return `Too many failed log-in attempts. Log-in is locked for ${minutes} minute${minutes === 1 ? '' : 's'}; try again then, or ask your centre's administrator to reset your password.`;
	}
	return `Too many failed log-in attempts. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
}

import { mapInOrder } from '$lib/core/in-order';
import { eq, inArray, lt } from 'drizzle-orm';
import { dbAll, dbRun, dbGet, writeTransaction, type Db } from '$lib/core/database';
import { loginThrottle } from '$lib/server/db/schema';

/**
 * Throttling of every check of a secret (a password at log-in or on the password-change form, a
 * TOTP or recovery code), decided before the secret is checked: argon2id costs ~22 ms of CPU per
 * attempt, so an unthrottled form is both a guessing oracle and a denial-of-service vector
 * (OWASP ASVS 5.0 §6.3.1; DESIGN.md, Security).
 *
 * Each key (an account's email, a client address, a user's second factor) gets a few free failures,
 * then must wait an exponentially growing delay between attempts, then is locked for a while. Keys
 * are the typed email, whether or not an account has it, so the answers never reveal whether an
 * account exists. Addresses get a higher allowance: a training centre's learners often share one.
 *
 * The API is one reservation per attempt, so that a burst of parallel guesses gets exactly the
 * answers the same guesses made one after another would get:
 *
 *     const attempt = reserveAttempt(db, [accountKey(email), addressKey(address)], now);
 *     if (!attempt.allowed) return throttleMessage(attempt, 'log-in');   // nothing was checked
 *     const ok = await verify(...);                                       // the costly check
 *     settleAttempt(db, attempt.reservation, ok ? 'success' : 'failure');
 *
 * reserveAttempt decides and counts the attempt as a failure in one IMMEDIATE transaction, before
 * any hashing, so no second attempt can be decided on counts that miss the first. settleAttempt
 * with 'success' takes the provisional failure back (and clears the key where its policy says a
 * success forgets past failures); with 'failure' it leaves it counted and reports which keys the
 * failure locked. An attempt never settled (the process died) stays a failure: the safe side.
 * Second-factor checks use `mfaKey(userId)` with the same calls.
 */
export interface ThrottlePolicy {
	freeFailures: number;
	lockAfterFailures: number;
	maxDelayMs: number;
	lockMs: number;
	/** Failures older than this are forgotten (unless the key is locked). */
	windowMs: number;
	/**
	 * Whether a success forgets the key's past failures. True for an account or a second factor
	 * (its owner has proved themselves); false for an address, which others may share.
	 */
	clearOnSuccess: boolean;
}

const MINUTE = 60_000;
export const ACCOUNT_POLICY: ThrottlePolicy = {
	freeFailures: 3,
	lockAfterFailures: 10,
	maxDelayMs: MINUTE,
	lockMs: 15 * MINUTE,
	windowMs: 15 * MINUTE,
	clearOnSuccess: true
};
export const ADDRESS_POLICY: ThrottlePolicy = {
	freeFailures: 20,
	lockAfterFailures: 100,
	maxDelayMs: MINUTE,
	lockMs: 15 * MINUTE,
	windowMs: 15 * MINUTE,
	clearOnSuccess: false
};
/**
 * A six-digit TOTP code has a million values: ten guesses per 15 minutes keeps an attacker who has
 * the password far from brute-forcing it (ASVS 5.0 §6.3.1, RFC 6238 §5.2 asks for throttling).
 */
export const MFA_POLICY: ThrottlePolicy = { ...ACCOUNT_POLICY };
/**
 * Asking for a password-reset link checks no secret, but each request sends an email: a few per
 * typed address, then a wait, then a lock, so nobody can flood a mailbox or the centre's mail
 * server. Nothing is given back on success (every request sends). The client's address has an
 * allowance of its own (`resetAddressKey`), apart from the log-in's, so asking for links never slows
 * down a log-in from the same centre.
 */
export const RESET_POLICY: ThrottlePolicy = {
	freeFailures: 3,
	lockAfterFailures: 6,
	maxDelayMs: MINUTE,
	lockMs: 15 * MINUTE,
	windowMs: 15 * MINUTE,
	clearOnSuccess: false
};
export const RESET_ADDRESS_POLICY: ThrottlePolicy = { ...ADDRESS_POLICY };

export type ThrottleDecision =
	| { allowed: true }
	| { allowed: false; locked: boolean; retryAfterMs: number };

export function accountKey(email: string): string {
	return `account:${email.trim().toLowerCase()}`;
}
export function addressKey(address: string): string {
	return `address:${address}`;
}
export function mfaKey(userId: string): string {
	return `mfa:${userId}`;
}
/** Password-reset requests for a typed email (whether or not an account has it), and from an address. */
export function resetKey(email: string): string {
	return `reset:${email.trim().toLowerCase()}`;
}
export function resetAddressKey(address: string): string {
	return `reset-address:${address}`;
}

function policyFor(key: string): ThrottlePolicy {
	if (key.startsWith('address:')) return ADDRESS_POLICY;
	if (key.startsWith('mfa:')) return MFA_POLICY;
	if (key.startsWith('reset-address:')) return RESET_ADDRESS_POLICY;
	if (key.startsWith('reset:')) return RESET_POLICY;
	return ACCOUNT_POLICY;
}

/** The wait required after the nth failure: none while free, then 1 s, 2 s, 4 s … up to the cap. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
	if (failures <= policy.freeFailures) return 0;
	return Math.min(1000 * 2 ** (failures - policy.freeFailures - 1), policy.maxDelayMs);
}

type ThrottleRow = typeof loginThrottle.$inferSelect;
type Refusal = Extract<ThrottleDecision, { allowed: false }>;

function decide(rows: ThrottleRow[], now: number): ThrottleDecision {
	let worst: ThrottleDecision = { allowed: true };
	for (const row of rows) {
		const policy = policyFor(row.key);
		let decision: ThrottleDecision = { allowed: true };
		if (row.lockedUntil !== null && now < row.lockedUntil) {
			decision = { allowed: false, locked: true, retryAfterMs: row.lockedUntil - now };
		} else if (row.lockedUntil === null && now - row.firstFailureAt < policy.windowMs) {
			// Within the free failures there is no wait, even for an attempt whose clock reading comes a
			// moment before the last failure's: parallel attempts (another instance, a transaction retried
			// on PostgreSQL) reach the row out of the order they read the clock in.
			const delay = delayAfter(row.failures, policy);
			const readyAt = row.lastFailureAt + delay;
			if (delay > 0 && now < readyAt) decision = { allowed: false, locked: false, retryAfterMs: readyAt - now };
		}
		if (!decision.allowed && (worst.allowed || decision.retryAfterMs > worst.retryAfterMs)) {
			worst = decision;
		}
	}
	return worst;
}

/** The key's row after one more failure at `now`: a lock that has passed or an old window starts afresh. */
function withFailure(key: string, row: ThrottleRow | undefined, now: number): ThrottleRow {
	const policy = policyFor(key);
	const stale =
		!row || (row.lockedUntil !== null ? now >= row.lockedUntil : now - row.firstFailureAt >= policy.windowMs);
	const failures = stale ? 1 : row.failures + 1;
	return {
		key,
		failures,
		firstFailureAt: stale ? now : row.firstFailureAt,
		lastFailureAt: now,
		lockedUntil: failures >= policy.lockAfterFailures ? now + policy.lockMs : null
	};
}

async function readRows(db: Db, keys: string[]): Promise<ThrottleRow[]> {
	return await dbAll(db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys)));
}

async function writeRow(db: Db, row: ThrottleRow): Promise<void> {
	await dbRun(db.insert(loginThrottle).values(row).onConflictDoUpdate({ target: loginThrottle.key, set: row }));
}

/** May an attempt be made now for all of these keys? The strictest key decides. Counts nothing. */
export async function checkThrottle(db: Db, keys: string[], now = Date.now()): Promise<ThrottleDecision> {
	return decide(await readRows(db, keys), now);
}

export async function recordFailure(db: Db, keys: string[], now = Date.now()): Promise<void> {
	await writeTransaction(db, async () => {
			const rows = new Map((await readRows(db, keys)).map((r) => [r.key, r]));
			for (const key of new Set(keys)) await writeRow(db, withFailure(key, rows.get(key), now));
		});
}

// Several app instances share the throttle through the database: every decision re-reads the rows in
// its own IMMEDIATE transaction. Only this pruning clock is per process, and it decides nothing: each
// instance prunes stale rows at most every 10 minutes.
const PRUNE_EVERY_MS = 10 * MINUTE;
let lastPrunedAt = Number.NEGATIVE_INFINITY;

/** An attempt counted as a failure until it is settled; what settleAttempt needs to take it back. */
export interface Reservation {
	readonly at: number;
	readonly entries: readonly { key: string; before: ThrottleRow | undefined; after: ThrottleRow }[];
}

export type ReservedAttempt = { allowed: true; reservation: Reservation } | Refusal;

/**
 * Decides whether an attempt may be made now for all of these keys and, if so, counts it as a
 * failure at once, in one IMMEDIATE transaction (see the top of this file). A refused attempt
 * counts nothing: it checked no secret.
 */
export async function reserveAttempt(db: Db, keys: string[], now = Date.now()): Promise<ReservedAttempt> {
	// Every typed email gets a row: forget the stale ones now and then, so guessing at random
	// addresses cannot grow the table without bound.
	if (now - lastPrunedAt >= PRUNE_EVERY_MS || now < lastPrunedAt) {
		await pruneThrottle(db, now);
		lastPrunedAt = now;
	}
	return await writeTransaction(db, async (): Promise<ReservedAttempt> => {
			const rows = await readRows(db, keys);
			const decision = decide(rows, now);
			if (!decision.allowed) return decision;
			const byKey = new Map(rows.map((r) => [r.key, r]));
			const entries = await mapInOrder([...new Set(keys)], async (key) => {
				const before = byKey.get(key);
				const after = withFailure(key, before, now);
				await writeRow(db, after);
				return { key, before, after };
			});
			return { allowed: true, reservation: { at: now, entries } };
		});
}

export interface SettledAttempt {
	/** The keys this failure locked (it was the failure that reached the policy's lock). */
	lockedKeys: string[];
}

/**
 * Settles a reserved attempt. A failure stays counted. A success takes its provisional failure
 * back: a key whose policy clears on success is cleared; on any other key the count goes down by
 * one (restored exactly when no other attempt has touched the key meanwhile), and a lock this
 * attempt set is lifted if the remaining failures no longer reach it.
 */
export async function settleAttempt(db: Db, reservation: Reservation, outcome: 'success' | 'failure'): Promise<SettledAttempt> {
	if (outcome === 'failure') {
		const lockedKeys = reservation.entries
			.filter(({ before, after }) => after.lockedUntil !== null && before?.lockedUntil !== after.lockedUntil)
			.map(({ key }) => key);
		return { lockedKeys };
	}
	await writeTransaction(db, async () => {
			for (const { key, before, after } of reservation.entries) {
				const policy = policyFor(key);
				if (policy.clearOnSuccess) {
					await dbRun(db.delete(loginThrottle).where(eq(loginThrottle.key, key)));
					continue;
				}
				const row = await dbGet(db.select().from(loginThrottle).where(eq(loginThrottle.key, key)));
				// The row was cleared or a new window began since: this attempt's failure is no longer in it.
				if (!row || row.firstFailureAt !== after.firstFailureAt) continue;
				const untouched = row.failures === after.failures && row.lastFailureAt === after.lastFailureAt;
				if (untouched) {
					if (before && before.firstFailureAt === after.firstFailureAt) await writeRow(db, before);
					else await dbRun(db.delete(loginThrottle).where(eq(loginThrottle.key, key)));
					continue;
				}
				const failures = row.failures - 1;
				const lockedByThis = after.lockedUntil !== null && row.lockedUntil === after.lockedUntil;
				const lockedUntil = lockedByThis && failures < policy.lockAfterFailures ? null : row.lockedUntil;
				await writeRow(db, { ...row, failures, lockedUntil });
			}
		});
	return { lockedKeys: [] };
}

/** A successful log-in clears the account's failures (not the address's: others may share it). */
export async function clearFailures(db: Db, key: string): Promise<void> {
	await dbRun(db.delete(loginThrottle).where(eq(loginThrottle.key, key)));
}

/** Forgets rows that can no longer affect a decision, so the table does not grow without bound. */
export async function pruneThrottle(db: Db, now = Date.now()): Promise<void> {
	const horizon = now - Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs, ADDRESS_POLICY.lockMs, RESET_POLICY.windowMs, RESET_POLICY.lockMs);
	await dbRun(db.delete(loginThrottle).where(lt(loginThrottle.lastFailureAt, horizon)));
}

/** What the throttled attempts were, in the words of the message a user sees. */
const ATTEMPTS = {
	'log-in': { failures: 'failed log-in attempts', locked: 'Log-in' },
	password: { failures: 'wrong passwords', locked: 'Checking your password' },
	code: { failures: 'wrong codes', locked: 'Checking codes' },
	reset: { failures: 'requests for a reset link', locked: 'Asking for a link' }
} as const;

export function throttleMessage(decision: Refusal, kind: keyof typeof ATTEMPTS = 'log-in'): string {
	const seconds = Math.ceil(decision.retryAfterMs / 1000);
	if (decision.locked) {
		const minutes = Math.ceil(seconds / 60);
		return `Too many ${ATTEMPTS[kind].failures}. ${ATTEMPTS[kind].locked} is locked for ${minutes} minute${minutes === 1 ? '' : 's'}; try again then, or ask your centre's administrator to reset your password.`;
	}
	return `Too many ${ATTEMPTS[kind].failures}. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
}

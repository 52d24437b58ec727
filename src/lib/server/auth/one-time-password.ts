import type { User } from '$lib/server/db/schema';

/**
 * One-time passwords: what an administrator issues (on creating an account, on a reset, on a CSV
 * import) and ADMIN_PASSWORD on first start. Each works for a limited time and for one log-in, after
 * which that session may only choose the user's own password (ASVS 5.0 §6.4.1).
 */

const HOUR = 60 * 60 * 1000;
export const DEFAULT_ONE_TIME_PASSWORD_HOURS = 72;

/** ONE_TIME_PASSWORD_HOURS (a whole number of hours, default 72): how long a one-time password works. */
export function oneTimePasswordLifetimeMs(env: Record<string, string | undefined> = process.env): number {
	const raw = env.ONE_TIME_PASSWORD_HOURS;
	const hours = raw && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : DEFAULT_ONE_TIME_PASSWORD_HOURS;
	return (hours > 0 ? hours : DEFAULT_ONE_TIME_PASSWORD_HOURS) * HOUR;
}

/** When a one-time password issued now stops working (epoch milliseconds). */
export function oneTimePasswordExpiry(now: number = Date.now()): number {
	return now + oneTimePasswordLifetimeMs();
}

export type OneTimePasswordState = 'none' | 'active' | 'expired';

/**
 * Whether the user's password is still a one-time password and whether it still works. Using it to
 * log in moves its expiry to that moment, so a used one reads as expired. An account from before
 * expiries were recorded (null) keeps a working one until it is used.
 */
export function oneTimePasswordState(
	account: Pick<User, 'mustChangePassword' | 'oneTimePasswordExpiresAt'>,
	now: number = Date.now()
): OneTimePasswordState {
	if (!account.mustChangePassword) return 'none';
	if (account.oneTimePasswordExpiresAt !== null && now >= account.oneTimePasswordExpiresAt) return 'expired';
	return 'active';
}

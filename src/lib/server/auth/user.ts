import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { dbRun, dbGet, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { user, userRole, type Role, type User } from '$lib/server/db/schema';
import { recordSecurityEvent, type RequestContext } from '$lib/server/security/events';
import { oneTimePasswordExpiry } from './one-time-password';
import { checkNewPassword, decoyPasswordHash, hashPassword, verifyPasswordHash } from './password';
import { invalidateUserSessions } from './session';
import { accountKey, addressKey, reserveAttempt, settleAttempt, throttleMessage, type Reservation } from './throttle';

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export interface NewUser {
	organisationId: string;
	email: string;
	displayName: string;
	password: string;
	roles: Role[];
	/** The password is a one-time password: it expires, works for one log-in and must be changed. */
	mustChangePassword?: boolean;
}

/**
 * Makes an account with the given password as it is: no check of the password (the demo seed's
 * shared password and ADMIN_PASSWORD come from the operator); users' own passwords go through
 * changePassword, which checks them.
 */
export async function createUser(db: Db, input: NewUser, now = new Date()): Promise<User> {
	const passwordHash = await hashPassword(input.password);
	const row: User = {
		id: crypto.randomUUID(),
		organisationId: input.organisationId,
		email: normaliseEmail(input.email),
		displayName: input.displayName.trim(),
		passwordHash,
		mustChangePassword: input.mustChangePassword ?? false,
		oneTimePasswordExpiresAt: input.mustChangePassword ? oneTimePasswordExpiry(now.getTime()) : null,
		totpKey: null,
		mfaEnrolledAt: null,
		totpLastStep: null,
		active: true,
		createdAt: now.toISOString()
	};
	await writeTransaction(db, async () => {
			await dbRun(db.insert(user).values(row));
			for (const role of new Set(input.roles)) await dbRun(db.insert(userRole).values({ userId: row.id, role }));
		});
	return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
	return await dbGet(db.select().from(user).where(eq(user.email, normaliseEmail(email))));
}

export async function rolesOf(db: Db, userId: string): Promise<Role[]> {
	return (await dbAll(db
		.select({ role: userRole.role })
		.from(userRole)
		.where(eq(userRole.userId, userId))))
		.map((r) => r.role);
}

/** One message for every wrong email or password: it must not tell whether the account exists. */
export const WRONG_CREDENTIALS = 'That email and password do not match an active account. Check them and try again.';

export type LogInResult =
	| { ok: true; user: User; oneTimePassword: boolean }
	| { ok: false; reason: 'invalid' | 'throttled'; message: string };

/** The throttle keys of a password check: the account (as typed) and the client's address. */
function passwordKeys(email: string, request: RequestContext): string[] {
	return [accountKey(email), addressKey(request.address ?? 'unknown')];
}

/** A failure that reached a lock is logged once, as the lock-out (ASVS 5.0 §16.3.1). */
async function recordLocks(db: Db, reservation: Reservation, subject: { userId?: string; email?: string }, request: RequestContext, now: number): Promise<void> {
	for (const key of (await settleAttempt(db, reservation, 'failure')).lockedKeys) {
		const scope = key.slice(0, key.indexOf(':'));
		await recordSecurityEvent(db, { type: 'login.locked', ...subject, ...request, detail: { scope } }, new Date(now));
	}
}

/**
 * Checks an email and password. The attempt is reserved with the throttle before any hash is
 * computed (see throttle.ts), so parallel guesses get the answers a sequence would. A one-time
 * password works once, until it expires: its first log-in uses it up, atomically, so two parallel
 * log-ins with it cannot both succeed. Every outcome is a security event (ASVS 5.0 §16.3.1).
 */
export async function logIn(
	db: Db,
	input: { email: string; password: string },
	request: RequestContext,
	now = Date.now()
): Promise<LogInResult> {
	const at = new Date(now);
	const attempt = await reserveAttempt(db, passwordKeys(input.email, request), now);
	const found = await findUserByEmail(db, input.email);
	// The typed email is logged only when no account has it: an account is named by its id.
	const subject = found ? { userId: found.id } : { email: input.email };
	if (!attempt.allowed) {
		const detail = { locked: attempt.locked, retryAfterSeconds: Math.ceil(attempt.retryAfterMs / 1000) };
		await recordSecurityEvent(db, { type: 'login.throttled', ...subject, ...request, detail }, at);
		return { ok: false, reason: 'throttled', message: throttleMessage(attempt, 'log-in') };
	}

	const valid = found
		? await verifyPasswordHash(found.passwordHash, input.password)
		: (await verifyPasswordHash(await decoyPasswordHash(), input.password), false);
	const failed = async (reason: string): Promise<LogInResult> => {
		await recordSecurityEvent(db, { type: 'login.failed', ...subject, ...request, detail: { reason } }, at);
		await recordLocks(db, attempt.reservation, subject, request, now);
		return { ok: false, reason: 'invalid', message: WRONG_CREDENTIALS };
	};
	if (!found) return await failed('unknown-account');
	if (!valid) return await failed('wrong-password');
	if (!found.active) return await failed('inactive');
	if (found.mustChangePassword && !await useOneTimePassword(db, found, now)) {
		// The ordinary answer: an expired one-time password must not confirm that the account exists.
		await recordSecurityEvent(db, { type: 'one-time-password.expired', userId: found.id, ...request }, at);
		return await failed('one-time-password-expired');
	}
	await settleAttempt(db, attempt.reservation, 'success');
	await recordSecurityEvent(db, { type: 'login.succeeded', userId: found.id, ...request, detail: { oneTimePassword: found.mustChangePassword } }, at);
	return { ok: true, user: found, oneTimePassword: found.mustChangePassword };
}

/**
 * Uses up a one-time password that still works: its expiry becomes now, in one conditional write,
 * so of two parallel log-ins with it exactly one succeeds. False when it had expired or been used,
 * or was replaced meanwhile.
 */
async function useOneTimePassword(db: Db, found: User, now: number): Promise<boolean> {
	const used = await dbRun(db
		.update(user)
		.set({ oneTimePasswordExpiresAt: now })
		.where(
			and(
				eq(user.id, found.id),
				eq(user.passwordHash, found.passwordHash),
				eq(user.mustChangePassword, true),
				or(isNull(user.oneTimePasswordExpiresAt), gt(user.oneTimePasswordExpiresAt, now))
			)
		));
	return used.changes === 1;
}

type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword';
export type ChangePasswordResult =
	| { ok: true }
	| { ok: false; throttled: boolean; errors: Partial<Record<PasswordField, string>> };

/**
 * Changes the password and ends every session of the user; the caller issues a fresh one. The
 * check of the current password is throttled with the same keys as log-in (the account and the
 * address): a stolen session gets no more guesses than the log-in form gives (ASVS 5.0 §6.3.1).
 * The current password of a session opened with a one-time password is that one-time password,
 * accepted here although its log-in used it up: this session exists to replace it.
 */
export async function changePassword(
	db: Db,
	userId: string,
	input: { currentPassword: string; newPassword: string; confirmPassword: string },
	request: RequestContext,
	now = Date.now()
): Promise<ChangePasswordResult> {
	const at = new Date(now);
	const refused = async (reason: string, errors: Partial<Record<PasswordField, string>>): Promise<ChangePasswordResult> => {
		await recordSecurityEvent(db, { type: 'password.change-failed', userId, ...request, detail: { reason } }, at);
		return { ok: false, throttled: false, errors };
	};
	const found = await dbGet(db.select().from(user).where(eq(user.id, userId)));
	if (!found) return { ok: false, throttled: false, errors: { currentPassword: 'Your account was not found. Log in again.' } };
	const attempt = await reserveAttempt(db, passwordKeys(found.email, request), now);
	if (!attempt.allowed) {
		const detail = { locked: attempt.locked, retryAfterSeconds: Math.ceil(attempt.retryAfterMs / 1000) };
		await recordSecurityEvent(db, { type: 'password.change-throttled', userId, ...request, detail }, at);
		return { ok: false, throttled: true, errors: { currentPassword: throttleMessage(attempt, 'password') } };
	}
	if (!(await verifyPasswordHash(found.passwordHash, input.currentPassword))) {
		const result = await refused('wrong-current-password', { currentPassword: 'Your current password is not right.' });
		await recordLocks(db, attempt.reservation, { userId }, request, now);
		return result;
	}
	await settleAttempt(db, attempt.reservation, 'success');
	const problem = await checkNewPassword(input.newPassword, { email: found.email, displayName: found.displayName });
	if (problem) return await refused('new-password-refused', { newPassword: problem });
	if (input.newPassword === input.currentPassword) {
		return await refused('new-password-unchanged', { newPassword: 'Choose a password different from your current one.' });
	}
	if (input.newPassword !== input.confirmPassword) {
		return await refused('confirmation-differs', { confirmPassword: 'The two new passwords are not the same.' });
	}
	const passwordHash = await hashPassword(input.newPassword);
	await writeTransaction(db, async () => {
			await dbRun(db.update(user)
				.set({ passwordHash, mustChangePassword: false, oneTimePasswordExpiresAt: null })
				.where(eq(user.id, userId)));
			await invalidateUserSessions(db, userId);
			await recordSecurityEvent(db, { type: 'password.changed', userId, ...request, detail: { fromOneTimePassword: found.mustChangePassword } }, at);
		});
	return { ok: true };
}

import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { writeTransaction, type Db } from '$lib/core/database';
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
	writeTransaction(db, () => {
			db.insert(user).values(row).run();
			for (const role of new Set(input.roles)) db.insert(userRole).values({ userId: row.id, role }).run();
		});
	return row;
}

export function findUserByEmail(db: Db, email: string): User | undefined {
	return db.select().from(user).where(eq(user.email, normaliseEmail(email))).get();
}

export function rolesOf(db: Db, userId: string): Role[] {
	return db
		.select({ role: userRole.role })
		.from(userRole)
		.where(eq(userRole.userId, userId))
		.all()
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
function recordLocks(db: Db, reservation: Reservation, subject: { userId?: string; email?: string }, request: RequestContext, now: number): void {
	for (const key of settleAttempt(db, reservation, 'failure').lockedKeys) {
		const scope = key.slice(0, key.indexOf(':'));
		recordSecurityEvent(db, { type: 'login.locked', ...subject, ...request, detail: { scope } }, new Date(now));
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
	const attempt = reserveAttempt(db, passwordKeys(input.email, request), now);
	const found = findUserByEmail(db, input.email);
	// The typed email is logged only when no account has it: an account is named by its id.
	const subject = found ? { userId: found.id } : { email: input.email };
	if (!attempt.allowed) {
		const detail = { locked: attempt.locked, retryAfterSeconds: Math.ceil(attempt.retryAfterMs / 1000) };
		recordSecurityEvent(db, { type: 'login.throttled', ...subject, ...request, detail }, at);
		return { ok: false, reason: 'throttled', message: throttleMessage(attempt, 'log-in') };
	}

	const valid = found
		? await verifyPasswordHash(found.passwordHash, input.password)
		: (await verifyPasswordHash(await decoyPasswordHash(), input.password), false);
	const failed = (reason: string): LogInResult => {
		recordSecurityEvent(db, { type: 'login.failed', ...subject, ...request, detail: { reason } }, at);
		recordLocks(db, attempt.reservation, subject, request, now);
		return { ok: false, reason: 'invalid', message: WRONG_CREDENTIALS };
	};
	if (!found) return failed('unknown-account');
	if (!valid) return failed('wrong-password');
	if (!found.active) return failed('inactive');
	if (found.mustChangePassword && !useOneTimePassword(db, found, now)) {
		// The ordinary answer: an expired one-time password must not confirm that the account exists.
		recordSecurityEvent(db, { type: 'one-time-password.expired', userId: found.id, ...request }, at);
		return failed('one-time-password-expired');
	}
	settleAttempt(db, attempt.reservation, 'success');
	recordSecurityEvent(db, { type: 'login.succeeded', userId: found.id, ...request, detail: { oneTimePassword: found.mustChangePassword } }, at);
	return { ok: true, user: found, oneTimePassword: found.mustChangePassword };
}

/**
 * Uses up a one-time password that still works: its expiry becomes now, in one conditional write,
 * so of two parallel log-ins with it exactly one succeeds. False when it had expired or been used,
 * or was replaced meanwhile.
 */
function useOneTimePassword(db: Db, found: User, now: number): boolean {
	const used = db
		.update(user)
		.set({ oneTimePasswordExpiresAt: now })
		.where(
			and(
				eq(user.id, found.id),
				eq(user.passwordHash, found.passwordHash),
				eq(user.mustChangePassword, true),
				or(isNull(user.oneTimePasswordExpiresAt), gt(user.oneTimePasswordExpiresAt, now))
			)
		)
		.run();
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
	const refused = (reason: string, errors: Partial<Record<PasswordField, string>>): ChangePasswordResult => {
		recordSecurityEvent(db, { type: 'password.change-failed', userId, ...request, detail: { reason } }, at);
		return { ok: false, throttled: false, errors };
	};
	const found = db.select().from(user).where(eq(user.id, userId)).get();
	if (!found) return { ok: false, throttled: false, errors: { currentPassword: 'Your account was not found. Log in again.' } };
	const attempt = reserveAttempt(db, passwordKeys(found.email, request), now);
	if (!attempt.allowed) {
		const detail = { locked: attempt.locked, retryAfterSeconds: Math.ceil(attempt.retryAfterMs / 1000) };
		recordSecurityEvent(db, { type: 'password.change-throttled', userId, ...request, detail }, at);
		return { ok: false, throttled: true, errors: { currentPassword: throttleMessage(attempt, 'password') } };
	}
	if (!(await verifyPasswordHash(found.passwordHash, input.currentPassword))) {
		const result = refused('wrong-current-password', { currentPassword: 'Your current password is not right.' });
		recordLocks(db, attempt.reservation, { userId }, request, now);
		return result;
	}
	settleAttempt(db, attempt.reservation, 'success');
	const problem = await checkNewPassword(input.newPassword, { email: found.email, displayName: found.displayName });
	if (problem) return refused('new-password-refused', { newPassword: problem });
	if (input.newPassword === input.currentPassword) {
		return refused('new-password-unchanged', { newPassword: 'Choose a password different from your current one.' });
	}
	if (input.newPassword !== input.confirmPassword) {
		return refused('confirmation-differs', { confirmPassword: 'The two new passwords are not the same.' });
	}
	const passwordHash = await hashPassword(input.newPassword);
	writeTransaction(db, () => {
			db.update(user)
				.set({ passwordHash, mustChangePassword: false, oneTimePasswordExpiresAt: null })
				.where(eq(user.id, userId))
				.run();
			invalidateUserSessions(db, userId);
			recordSecurityEvent(db, { type: 'password.changed', userId, ...request, detail: { fromOneTimePassword: found.mustChangePassword } }, at);
		});
	return { ok: true };
}

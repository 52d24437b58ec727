import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { user, userRole, type Role, type User } from '$lib/server/db/schema';
import { checkNewPassword, decoyPasswordHash, hashPassword, verifyPasswordHash } from './password';
import { invalidateUserSessions } from './session';
import {
	accountKey,
	addressKey,
	checkThrottle,
	clearFailures,
	recordFailure,
	throttleMessage
} from './throttle';

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export interface NewUser {
	organisationId: string;
	email: string;
	displayName: string;
	password: string;
	roles: Role[];
	mustChangePassword?: boolean;
}

export async function createUser(db: Db, input: NewUser, now = new Date()): Promise<User> {
	const passwordHash = await hashPassword(input.password);
	const row: User = {
		id: crypto.randomUUID(),
		organisationId: input.organisationId,
		email: normaliseEmail(input.email),
		displayName: input.displayName.trim(),
		passwordHash,
		mustChangePassword: input.mustChangePassword ?? false,
		active: true,
		createdAt: now.toISOString()
	};
	db.$client
		.transaction(() => {
			db.insert(user).values(row).run();
			for (const role of new Set(input.roles)) db.insert(userRole).values({ userId: row.id, role }).run();
		})
		.immediate();
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
	| { ok: true; user: User }
	| { ok: false; reason: 'invalid' | 'throttled'; message: string };

export async function logIn(
	db: Db,
	input: { email: string; password: string; address: string },
	now = Date.now()
): Promise<LogInResult> {
	const keys = [accountKey(input.email), addressKey(input.address)];
	// Throttle before hashing: each argon2id verification costs real CPU.
	const decision = checkThrottle(db, keys, now);
	if (!decision.allowed) return { ok: false, reason: 'throttled', message: throttleMessage(decision) };

	const found = findUserByEmail(db, input.email);
	const valid = found
		? await verifyPasswordHash(found.passwordHash, input.password)
		: (await verifyPasswordHash(await decoyPasswordHash(), input.password), false);
	if (!found || !valid || !found.active) {
		recordFailure(db, keys, now);
		return { ok: false, reason: 'invalid', message: WRONG_CREDENTIALS };
	}
	clearFailures(db, accountKey(input.email));
	return { ok: true, user: found };
}

export type ChangePasswordResult =
	| { ok: true }
	| { ok: false; errors: Partial<Record<'currentPassword' | 'newPassword' | 'confirmPassword', string>> };

/** Changes the password and ends every session of the user; the caller issues a fresh one. */
export async function changePassword(
	db: Db,
	userId: string,
	input: { currentPassword: string; newPassword: string; confirmPassword: string }
): Promise<ChangePasswordResult> {
	const found = db.select().from(user).where(eq(user.id, userId)).get();
	if (!found) return { ok: false, errors: { currentPassword: 'Your account was not found. Log in again.' } };
	if (!(await verifyPasswordHash(found.passwordHash, input.currentPassword))) {
		return { ok: false, errors: { currentPassword: 'Your current password is not right.' } };
	}
	const problem = checkNewPassword(input.newPassword, { email: found.email });
	if (problem) return { ok: false, errors: { newPassword: problem } };
	if (input.newPassword === input.currentPassword) {
		return { ok: false, errors: { newPassword: 'Choose a password different from your current one.' } };
	}
	if (input.newPassword !== input.confirmPassword) {
		return { ok: false, errors: { confirmPassword: 'The two new passwords are not the same.' } };
	}
	const passwordHash = await hashPassword(input.newPassword);
	db.$client
		.transaction(() => {
			db.update(user).set({ passwordHash, mustChangePassword: false }).where(eq(user.id, userId)).run();
			invalidateUserSessions(db, userId);
		})
		.immediate();
	return { ok: true };
}

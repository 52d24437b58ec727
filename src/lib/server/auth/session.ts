import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { session, user, userRole, type Role, type Session } from '$lib/server/db/schema';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/** Sliding expiry (Lucia guide): 30 days, renewed when the session is used in its last 15 days. */
export const SESSION_LIFETIME_MS = 30 * DAY;
export const SESSION_RENEW_WITHIN_MS = 15 * DAY;
/**
 * Inactivity timeout (OWASP ASVS 5.0 §7.3): a session unused for 7 days ends, so a forgotten log-in
 * on a shared training-centre computer does not stay open for a month.
 */
export const SESSION_IDLE_TIMEOUT_MS = 7 * DAY;
/** Absolute lifetime: however often it is used, a session ends 90 days after log-in. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 90 * DAY;
/** lastSeenAt is written at most this often, so reading a page does not always cost a write. */
const LAST_SEEN_RESOLUTION_MS = MINUTE;

export interface SessionUser {
	id: string;
	email: string;
	displayName: string;
	organisationId: string;
	mustChangePassword: boolean;
	roles: Role[];
}

export type SessionValidation =
	| { session: Session; user: SessionUser; renewed: boolean }
	| { session: null; user: null; renewed: false };

/** 20 random bytes (160 bits) from the CSPRNG, base32-encoded. */
export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** Only the SHA-256 of the token is stored: a copy of the database does not hold live tokens. */
export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function createSession(db: Db, token: string, userId: string, now = Date.now()): Session {
	const row: Session = {
		id: sessionIdFromToken(token),
		userId,
		expiresAt: now + SESSION_LIFETIME_MS,
		absoluteExpiresAt: now + SESSION_ABSOLUTE_LIFETIME_MS,
		lastSeenAt: now,
		createdAt: now
	};
	db.insert(session).values(row).run();
	return row;
}

export function validateSessionToken(db: Db, token: string, now = Date.now()): SessionValidation {
	const none = { session: null, user: null, renewed: false } as const;
	// Tokens we issue are 32 base32 characters; anything else cannot match and is not hashed.
	if (!/^[a-z2-7]{32}$/.test(token)) return none;
	const id = sessionIdFromToken(token);
	const row = db
		.select({ session, user })
		.from(session)
		.innerJoin(user, eq(session.userId, user.id))
		.where(eq(session.id, id))
		.get();
	if (!row) return none;
	const current = row.session;
	const expired =
		now >= current.expiresAt ||
		now >= current.absoluteExpiresAt ||
		now - current.lastSeenAt >= SESSION_IDLE_TIMEOUT_MS ||
		!row.user.active;
	if (expired) {
		db.delete(session).where(eq(session.id, id)).run();
		return none;
	}
	let renewed = false;
	const updated: Session = { ...current };
	if (now >= current.expiresAt - SESSION_RENEW_WITHIN_MS) {
		updated.expiresAt = Math.min(now + SESSION_LIFETIME_MS, current.absoluteExpiresAt);
		renewed = updated.expiresAt !== current.expiresAt;
	}
	if (renewed || now - current.lastSeenAt >= LAST_SEEN_RESOLUTION_MS) {
		updated.lastSeenAt = now;
		db.update(session)
			.set({ expiresAt: updated.expiresAt, lastSeenAt: updated.lastSeenAt })
			.where(eq(session.id, id))
			.run();
	}
	const roles = db
		.select({ role: userRole.role })
		.from(userRole)
		.where(eq(userRole.userId, row.user.id))
		.all()
		.map((r) => r.role);
	return {
		session: updated,
		user: {
			id: row.user.id,
			email: row.user.email,
			displayName: row.user.displayName,
			organisationId: row.user.organisationId,
			mustChangePassword: row.user.mustChangePassword,
			roles
		},
		renewed
	};
}

export function invalidateSession(db: Db, sessionId: string): void {
	db.delete(session).where(eq(session.id, sessionId)).run();
}

/** Ends every session of a user: on password change (keeping none) and on deactivation. */
export function invalidateUserSessions(db: Db, userId: string): void {
	db.delete(session).where(eq(session.userId, userId)).run();
}

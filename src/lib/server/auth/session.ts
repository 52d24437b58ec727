import { dbRun, preparedStatements } from '$lib/core/database';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { ROLES, session, type Role, type Session } from '$lib/server/db/schema';
import { mfaRequiredFor } from './mfa-policy';

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
	/** TOTP enrolment confirmed (mfa.ts). */
	mfaEnrolled: boolean;
	/** Whether this user must use MFA: staff always, learners when the centre asks (mfa.ts). */
	mfaRequired: boolean;
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

export async function createSession(db: Db, token: string, userId: string, now = Date.now()): Promise<Session> {
	const row: Session = {
		id: sessionIdFromToken(token),
		userId,
		expiresAt: now + SESSION_LIFETIME_MS,
		absoluteExpiresAt: now + SESSION_ABSOLUTE_LIFETIME_MS,
		lastSeenAt: now,
		createdAt: now,
		mfaVerified: false
	};
	await dbRun(db.insert(session).values(row));
	return row;
}

interface SessionRow {
	id: string;
	userId: string;
	expiresAt: number;
	absoluteExpiresAt: number;
	lastSeenAt: number;
	createdAt: number;
	mfaVerified: number;
	email: string;
	displayName: string;
	organisationId: string;
	mustChangePassword: number;
	active: number;
	mfaEnrolled: number;
	requireMfaForLearners: number;
	roles: string | null;
}

/**
 * The session, its user and the user's roles in one prepared statement, kept per connection: every
 * request runs it, so it is neither rebuilt nor re-prepared each time.
 */
const lookups = preparedStatements((client) => ({
	session: client.prepare<[string], SessionRow>(
		client.engine === 'postgres'
			? `SELECT s.id, s.user_id AS "userId", s.expires_at AS "expiresAt", s.absolute_expires_at AS "absoluteExpiresAt",
			        s.last_seen_at AS "lastSeenAt", s.created_at AS "createdAt", s.mfa_verified::int AS "mfaVerified", u.email,
			        u.display_name AS "displayName", u.organisation_id AS "organisationId",
			        u.must_change_password::int AS "mustChangePassword", u.active::int AS active,
			        (u.mfa_enrolled_at IS NOT NULL)::int AS "mfaEnrolled", o.require_mfa_for_learners::int AS "requireMfaForLearners",
			        (SELECT string_agg(r.role, ',') FROM user_role r WHERE r.user_id = u.id) AS roles
			 FROM session s JOIN "user" u ON u.id = s.user_id JOIN organisation o ON o.id = u.organisation_id
			 WHERE s.id = ?`
			: `SELECT s.id, s.user_id AS userId, s.expires_at AS expiresAt, s.absolute_expires_at AS absoluteExpiresAt,
			        s.last_seen_at AS lastSeenAt, s.created_at AS createdAt, s.mfa_verified AS mfaVerified, u.email,
			        u.display_name AS displayName, u.organisation_id AS organisationId,
			        u.must_change_password AS mustChangePassword, u.active,
			        u.mfa_enrolled_at IS NOT NULL AS mfaEnrolled, o.require_mfa_for_learners AS requireMfaForLearners,
			        (SELECT group_concat(r.role) FROM user_role r WHERE r.user_id = u.id) AS roles
			 FROM session s JOIN user u ON u.id = s.user_id JOIN organisation o ON o.id = u.organisation_id
			 WHERE s.id = ?`
	)
}));
/** The session, its user and the user's roles in one prepared statement (every request runs it). */
function sessionLookup(db: Db) {
	return lookups(db).session;
}

export async function validateSessionToken(db: Db, token: string, now = Date.now()): Promise<SessionValidation> {
	const none = { session: null, user: null, renewed: false } as const;
	// Tokens we issue are 32 base32 characters; anything else cannot match and is not hashed.
	if (!/^[a-z2-7]{32}$/.test(token)) return none;
	const id = sessionIdFromToken(token);
	const row = await sessionLookup(db).get(id);
	if (!row) return none;
	const current: Session = {
		id: row.id,
		userId: row.userId,
		expiresAt: row.expiresAt,
		absoluteExpiresAt: row.absoluteExpiresAt,
		lastSeenAt: row.lastSeenAt,
		createdAt: row.createdAt,
		mfaVerified: row.mfaVerified === 1
	};
	const expired =
		now >= current.expiresAt ||
		now >= current.absoluteExpiresAt ||
		now - current.lastSeenAt >= SESSION_IDLE_TIMEOUT_MS ||
		row.active !== 1;
	if (expired) {
		await dbRun(db.delete(session).where(eq(session.id, id)));
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
		await dbRun(db.update(session)
			.set({ expiresAt: updated.expiresAt, lastSeenAt: updated.lastSeenAt })
			.where(eq(session.id, id)));
	}
	const roles = (row.roles ?? '').split(',').filter((r): r is Role => (ROLES as readonly string[]).includes(r));
	return {
		session: updated,
		user: {
			id: row.userId,
			email: row.email,
			displayName: row.displayName,
			organisationId: row.organisationId,
			mustChangePassword: row.mustChangePassword === 1,
			roles,
			mfaEnrolled: row.mfaEnrolled === 1,
			mfaRequired: mfaRequiredFor(roles, row.requireMfaForLearners === 1)
		},
		renewed
	};
}

/** The session passed the second factor (a code from the app or a recovery code). */
export async function markSessionMfaVerified(db: Db, sessionId: string): Promise<void> {
	await dbRun(db.update(session).set({ mfaVerified: true }).where(eq(session.id, sessionId)));
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await dbRun(db.delete(session).where(eq(session.id, sessionId)));
}

/** Ends every session of a user: on password change (keeping none) and on deactivation. */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await dbRun(db.delete(session).where(eq(session.userId, userId)));
}

import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { dbRun, dbGet, writeTransaction, type Db } from '$lib/core/database';
import { passwordReset, user, type User } from '$lib/server/db/schema';
import { recordSecurityEvent, type RequestContext } from '$lib/server/security/events';
import type { Mailer } from '$lib/server/mail';
import { checkNewPassword, hashPassword } from './password';
import { invalidateUserSessions } from './session';
import { accountKey, clearFailures, reserveAttempt, resetAddressKey, resetKey, throttleMessage } from './throttle';
import { findUserByEmail } from './user';

/**
 * Self-service password reset by an emailed link (ASVS 5.0 §6.4.1, §6.4.2):
 *
 * - the link carries 32 random bytes; only their SHA-256 is stored, so a copy of the database holds
 *   no working link;
 * - it works once, for 30 minutes, and asking again retires every earlier link of the account;
 * - the answer to a request is the same whether or not an account has the email, and it comes
 *   before the mail is handed to the server, so neither its words nor its timing tell;
 * - requests are throttled per typed email and per address (throttle.ts, RESET_POLICY), so nobody
 *   floods a mailbox;
 * - the new password passes the same rules as any other (password.ts); setting it ends every
 *   session of the account, clears a one-time password, and the user then logs in with it (staff
 *   still give their second factor).
 */

export const RESET_LINK_LIFETIME_MS = 30 * 60_000;

function tokenHash(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

function generateResetToken(): string {
	return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
}

export type ResetRequestResult =
	| {
			ok: true;
			/**
			 * The mail's delivery, settled after the answer: a caller must not wait for it (an
			 * account's request would then take longer than an unknown email's). Never rejects.
			 */
			delivery: Promise<void>;
	  }
	| { ok: false; message: string };

/** The one answer to every accepted request, account or not. */
export const RESET_REQUESTED =
	'If an account has this email address, we have sent it a link to choose a new password. The link works for 30 minutes, once. Check your spam folder if it has not arrived in a few minutes.';

/**
 * Asks for a reset link for the typed email. Sends a link when an active account has it; otherwise
 * sends nothing, and answers the same.
 */
export async function requestPasswordReset(
	db: Db,
	mailer: Mailer,
	input: { email: string; origin: string },
	request: RequestContext,
	now = Date.now()
): Promise<ResetRequestResult> {
	const at = new Date(now);
	const attempt = await reserveAttempt(db, [resetKey(input.email), resetAddressKey(request.address ?? 'unknown')], now);
	const found = await findUserByEmail(db, input.email);
	const subject = found ? { userId: found.id } : { email: input.email };
	if (!attempt.allowed) {
		const detail = { throttled: true, locked: attempt.locked, retryAfterSeconds: Math.ceil(attempt.retryAfterMs / 1000) };
		await recordSecurityEvent(db, { type: 'password.reset.requested', ...subject, ...request, detail }, at);
		return { ok: false, message: throttleMessage(attempt, 'reset') };
	}
	if (!found || !found.active) {
		await recordSecurityEvent(db, { type: 'password.reset.requested', ...subject, ...request, detail: { sent: false, reason: found ? 'inactive' : 'unknown-account' } }, at);
		return { ok: true, delivery: Promise.resolve() };
	}
	const token = generateResetToken();
	await writeTransaction(db, async () => {
			// A newer link retires the older ones: only the last mail received works.
			await dbRun(db.update(passwordReset).set({ usedAt: now }).where(and(eq(passwordReset.userId, found.id), isNull(passwordReset.usedAt))));
			await dbRun(db.insert(passwordReset)
				.values({ id: crypto.randomUUID(), userId: found.id, tokenHash: tokenHash(token), createdAt: now, expiresAt: now + RESET_LINK_LIFETIME_MS, usedAt: null }));
			await recordSecurityEvent(db, { type: 'password.reset.requested', userId: found.id, ...request, detail: { sent: true } }, at);
		});
	const link = `${input.origin}/login/reset/${token}`;
	const delivery = mailer.send({ to: found.email, subject: 'Choose a new password for Custodian', text: resetMailText(found, link) }).catch((error: unknown) => {
		// The user sees the same answer either way; the operator sees why no mail went.
		process.stderr.write(JSON.stringify({ t: new Date().toISOString(), error: 'password-reset mail not sent', cause: String(error) }) + '\n');
	});
	return { ok: true, delivery };
}

/**
 * A link to choose a password, made for a user by the centre rather than asked for (an external
 * quality assurer's invitation, issue 17): the same kind of link as a reset, retiring the older ones,
 * working once, for `lifetimeMs`. Returns the token, for the caller to send; only its hash is kept.
 */
export async function issueSetPasswordLink(db: Db, userId: string, lifetimeMs: number, now = Date.now()): Promise<string> {
	const token = generateResetToken();
	await writeTransaction(db, async () => {
			await dbRun(db.update(passwordReset).set({ usedAt: now }).where(and(eq(passwordReset.userId, userId), isNull(passwordReset.usedAt))));
			await dbRun(db.insert(passwordReset).values({ id: crypto.randomUUID(), userId, tokenHash: tokenHash(token), createdAt: now, expiresAt: now + lifetimeMs, usedAt: null }));
		});
	return token;
}

function resetMailText(found: User, link: string): string {
	return [
		`Hello ${found.displayName},`,
		'',
		'Someone (we hope you) asked to choose a new password for your Custodian account. Open this link to choose one:',
		'',
		link,
		'',
		'The link works for 30 minutes, once. If you did not ask, ignore this email: your password stays as it is.',
		''
	].join('\n');
}

/** The account a link works for, or null when it is unknown, used, retired, expired or the account is inactive. */
export async function findResetLink(db: Db, token: string, now = Date.now()): Promise<{ resetId: string; user: User } | null> {
	if (token.length === 0 || token.length > 100) return null;
	const row = await dbGet(db
		.select()
		.from(passwordReset)
		.innerJoin(user, eq(user.id, passwordReset.userId))
		.where(and(eq(passwordReset.tokenHash, tokenHash(token)), isNull(passwordReset.usedAt), gt(passwordReset.expiresAt, now))));
	if (!row || !row.user.active) return null;
	return { resetId: row.password_reset.id, user: row.user };
}

/** The one message for every link that does not work: it must not say which reason applies. */
export const LINK_NOT_WORKING = 'This link does not work: it has expired (links work for 30 minutes), has been used, or a newer link was sent. Ask for a new one.';

type ResetField = 'newPassword' | 'confirmPassword';
export type CompleteResetResult =
	| { ok: true; user: User }
	| { ok: false; reason: 'link'; message: string }
	| { ok: false; reason: 'invalid'; errors: Partial<Record<ResetField, string>> };

/**
 * Sets the new password through a link. The link is used up in the same write that sets the
 * password, conditionally, so of two parallel uses exactly one succeeds.
 */
export async function completePasswordReset(
	db: Db,
	token: string,
	input: { newPassword: string; confirmPassword: string },
	request: RequestContext,
	now = Date.now()
): Promise<CompleteResetResult> {
	const at = new Date(now);
	const refused = async (userId: string | null): Promise<CompleteResetResult> => {
		await recordSecurityEvent(db, { type: 'password.reset.refused', userId, ...request }, at);
		return { ok: false, reason: 'link', message: LINK_NOT_WORKING };
	};
	const link = await findResetLink(db, token, now);
	if (!link) return await refused(null);
	const found = link.user;
	const problem = await checkNewPassword(input.newPassword, { email: found.email, displayName: found.displayName });
	if (problem) return { ok: false, reason: 'invalid', errors: { newPassword: problem } };
	if (input.newPassword !== input.confirmPassword) return { ok: false, reason: 'invalid', errors: { confirmPassword: 'The two new passwords are not the same.' } };
	const passwordHash = await hashPassword(input.newPassword);
	const done = await writeTransaction(db, async () => {
			const used = await dbRun(db
				.update(passwordReset)
				.set({ usedAt: now })
				.where(and(eq(passwordReset.id, link.resetId), isNull(passwordReset.usedAt), gt(passwordReset.expiresAt, now))));
			if (used.changes !== 1) return false;
			await dbRun(db.update(user).set({ passwordHash, mustChangePassword: false, oneTimePasswordExpiresAt: null }).where(eq(user.id, found.id)));
			// Every other link of the account goes too, and every session: whoever knew the old password is out.
			await dbRun(db.update(passwordReset).set({ usedAt: now }).where(and(eq(passwordReset.userId, found.id), isNull(passwordReset.usedAt))));
			await invalidateUserSessions(db, found.id);
			// They proved they hold the mailbox: past wrong passwords no longer stand between them and a log-in.
			await clearFailures(db, accountKey(found.email));
			await recordSecurityEvent(db, { type: 'password.reset.completed', userId: found.id, ...request, detail: { fromOneTimePassword: found.mustChangePassword } }, at);
			return true;
		});
	if (!done) return await refused(found.id);
	return { ok: true, user: found };
}

import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { renderSVG } from 'uqr';
import { dbRun, dbAll, dbGet, writeTransaction, type Db } from '$lib/core/database';
import { recoveryCode, user } from '$lib/server/db/schema';
import { recordActorEvent, recordSecurityEvent, type Actor, type RequestContext } from '$lib/server/security/events';
import { openSecret, sealSecret, SecretUnreadableError, type SecretPlace } from '$lib/server/security/secrets';
import { invalidateUserSessions } from './session';
import { clearFailures, mfaKey, reserveAttempt, settleAttempt, throttleMessage } from './throttle';

/**
 * TOTP multi-factor authentication after RFC 6238 and the Lucia guide's 2FA example: HMAC-SHA-1,
 * 30-second steps, 6 digits (what every authenticator app reads from an otpauth URI), and ten
 * single-use recovery codes.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** One step either side of now: the clock drift RFC 6238 §5.2 recommends allowing at most. */
export const TOTP_TOLERANCE_STEPS = 1;
export const TOTP_ISSUER = 'Custodian';
export const RECOVERY_CODE_COUNT = 10;
/** 20 bytes: the key length RFC 4226 §4 recommends (R6) for HMAC-SHA-1. */
const TOTP_KEY_BYTES = 20;
/**
 * 15 bytes (120 bits): a lookup secret of at least 112 bits may be stored with a plain hash
 * (ASVS 5.0 §6.5.2), so SHA-256 is enough and no password hash is needed.
 */
const RECOVERY_CODE_BYTES = 15;

// ── TOTP ────────────────────────────────────────────────────────────────────────────────────

export function generateTotpKey(): Uint8Array {
	const key = new Uint8Array(TOTP_KEY_BYTES);
	crypto.getRandomValues(key);
	return key;
}

export function totpKeyUri(key: Uint8Array, accountName: string): string {
	return createTOTPKeyURI(TOTP_ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The key as an authenticator app asks for it when typed by hand: base32, in groups of four. */
export function totpKeyForManualEntry(key: Uint8Array): string {
	return encodeBase32LowerCaseNoPadding(key).toUpperCase().match(/.{1,4}/g)!.join(' ');
}

/** The enrolment QR code as inline SVG, made on the server: the key never goes to a third party. */
export function totpQrSvg(uri: string): string {
	return renderSVG(uri, { ecc: 'M', border: 2 });
}

/** RFC 6238 §4.2: T = floor((now - T0) / X) with T0 = 0. */
export function totpStepAt(nowMs: number): number {
	return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCodeFor(key: Uint8Array, step: number): string {
	return generateHOTP(key, BigInt(step), TOTP_DIGITS);
}

/**
 * The time step whose code `code` is, within the tolerance and after `lastStep`, or null. A step
 * at or before the last one accepted is never matched: RFC 6238 §5.2 forbids accepting an OTP
 * twice, and a later step already used means any earlier code is stale (ASVS 5.0 §6.5.1).
 */
export function matchTotpStep(key: Uint8Array, code: string, nowMs: number, lastStep: number | null): number | null {
	if (!/^[0-9]{6}$/.test(code)) return null;
	const given = new TextEncoder().encode(code);
	const now = totpStepAt(nowMs);
	let matched: number | null = null;
	// Every candidate is computed and compared, so the time taken does not say which step matched.
	for (let step = now - TOTP_TOLERANCE_STEPS; step <= now + TOTP_TOLERANCE_STEPS; step++) {
		const expected = new TextEncoder().encode(totpCodeFor(key, step));
		if (constantTimeEqual(given, expected) && (lastStep === null || step > lastStep) && matched === null) {
			matched = step;
		}
	}
	return matched;
}

// ── Recovery codes ──────────────────────────────────────────────────────────────────────────

export function generateRecoveryCode(): string {
	const bytes = new Uint8Array(RECOVERY_CODE_BYTES);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/g)!.join('-');
}

/** Spaces, hyphens and case do not matter when a code is typed back. */
export function normaliseRecoveryCode(input: string): string {
	return input.toLowerCase().replace(/[\s-]/g, '');
}

function hashRecoveryCode(code: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(normaliseRecoveryCode(code))));
}

/** Replaces every recovery code of the user; the new codes are returned once and never stored. */
async function replaceRecoveryCodes(db: Db, userId: string): Promise<string[]> {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
	await dbRun(db.delete(recoveryCode).where(eq(recoveryCode.userId, userId)));
	for (const code of codes) await dbRun(db.insert(recoveryCode).values({ userId, codeHash: hashRecoveryCode(code) }));
	return codes;
}

/** Marks an unused recovery code used; false when it is not one of the user's unused codes. */
async function spendRecoveryCode(db: Db, userId: string, input: string, now: Date): Promise<{ spent: boolean; remaining: number }> {
	const given = new TextEncoder().encode(hashRecoveryCode(input));
	const unused = await dbAll(db
		.select({ codeHash: recoveryCode.codeHash })
		.from(recoveryCode)
		.where(and(eq(recoveryCode.userId, userId), isNull(recoveryCode.usedAt))));
	let found: string | null = null;
	// Compared in constant time with every unused code rather than looked up by hash.
	for (const row of unused) {
		if (constantTimeEqual(given, new TextEncoder().encode(row.codeHash)) && found === null) found = row.codeHash;
	}
	if (found === null) return { spent: false, remaining: unused.length };
	const spent = await dbRun(db
		.update(recoveryCode)
		.set({ usedAt: now.toISOString() })
		.where(and(eq(recoveryCode.userId, userId), eq(recoveryCode.codeHash, found), isNull(recoveryCode.usedAt))));
	return { spent: spent.changes === 1, remaining: unused.length - spent.changes };
}

export async function unusedRecoveryCodeCount(db: Db, userId: string): Promise<number> {
	return (await dbAll(db
		.select({ codeHash: recoveryCode.codeHash })
		.from(recoveryCode)
		.where(and(eq(recoveryCode.userId, userId), isNull(recoveryCode.usedAt))))).length;
}

// ── Status ──────────────────────────────────────────────────────────────────────────────────

export interface MfaStatus {
	enrolled: boolean;
	enrolledAt: string | null;
	recoveryCodesLeft: number;
}

export async function mfaStatus(db: Db, userId: string): Promise<MfaStatus> {
	const row = await dbGet(db.select({ enrolledAt: user.mfaEnrolledAt }).from(user).where(eq(user.id, userId)));
	return {
		enrolled: !!row?.enrolledAt,
		enrolledAt: row?.enrolledAt ?? null,
		recoveryCodesLeft: await unusedRecoveryCodeCount(db, userId)
	};
}

// ── Checking a code ─────────────────────────────────────────────────────────────────────────

export type MfaError = { code: 'invalid' | 'throttled' | 'not-enrolled' | 'already-enrolled' | 'key-unreadable'; field: 'code'; message: string };
export type MfaResult<T = object> = ({ ok: true } & T) | { ok: false; error: MfaError };

export const WRONG_CODE = 'That code is not right. Enter the 6-digit code your authenticator app shows now.';
const WRONG_CODE_OR_RECOVERY = 'That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your unused recovery codes.';

/**
 * Every check of a code goes through here: the attempt is reserved (counted as a failure) before
 * the code is checked and refused unchecked while the user's second factor is throttled (ASVS 5.0
 * §6.3.1); a right code takes the failure back and clears the count.
 */
async function throttledCheck<T>(
	db: Db,
	userId: string,
	context: RequestContext,
	check: () => MfaResult<T> | Promise<MfaResult<T>>,
	now: number
): Promise<MfaResult<T>> {
	const attempt = await reserveAttempt(db, [mfaKey(userId)], now);
	if (!attempt.allowed) {
		await recordSecurityEvent(db, { type: 'mfa.throttled', userId, ...context, detail: { locked: attempt.locked } });
		return { ok: false, error: { code: 'throttled', field: 'code', message: throttleMessage(attempt, 'code') } };
	}
	const result = await check();
	// Only a wrong code counts: a form refused for another reason checked nothing.
	const failed = !result.ok && result.error.code === 'invalid';
	await settleAttempt(db, attempt.reservation, failed ? 'failure' : 'success');
	if (failed) await recordSecurityEvent(db, { type: 'mfa.failed', userId, ...context });
	return result;
}

/** Where a user's TOTP key is stored (SECRETS_KEY encrypts it there: security/secrets.ts). */
export function totpKeyPlace(userId: string): SecretPlace {
	return { table: 'user', column: 'totp_key', row: userId };
}

/** The TOTP key as it is stored for this user: encrypted under SECRETS_KEY when that is set. */
export function storedTotpKey(userId: string, keyHex: string): string {
	return sealSecret(keyHex, totpKeyPlace(userId));
}

const KEY_UNREADABLE: MfaError = {
	code: 'key-unreadable',
	field: 'code',
	message: 'Custodian cannot check codes from your authenticator app just now: the server cannot read its stored key (a setting, SECRETS_KEY, is missing the key it was saved under). Use one of your recovery codes, or ask your administrator.'
};

/**
 * Accepts the code for one step, once: the step is written only if it is later than the last one
 * accepted, in the same statement, so two requests racing with one code cannot both succeed.
 */
async function acceptTotp(db: Db, userId: string, storedKey: string, code: string, lastStep: number | null, now: number): Promise<boolean | 'key-unreadable'> {
	let keyHex: string;
	try {
		keyHex = openSecret(storedKey, totpKeyPlace(userId));
	} catch (error) {
		if (!(error instanceof SecretUnreadableError)) throw error;
		// For the administrator (the user is told only that the key cannot be read): the setting to fix.
		console.error(`MFA for user ${userId}: ${error.message}`);
		return 'key-unreadable';
	}
	const step = matchTotpStep(decodeHex(keyHex), code, now, lastStep);
	if (step === null) return false;
	const accepted = await dbRun(db
		.update(user)
		.set({ totpLastStep: step })
		.where(and(eq(user.id, userId), or(isNull(user.totpLastStep), lt(user.totpLastStep, step)))));
	return accepted.changes === 1;
}

async function enrolledKey(db: Db, userId: string) {
	return await dbGet(db
		.select({ key: user.totpKey, enrolledAt: user.mfaEnrolledAt, lastStep: user.totpLastStep, email: user.email })
		.from(user)
		.where(eq(user.id, userId)));
}

const NOT_ENROLLED: MfaError = { code: 'not-enrolled', field: 'code', message: 'MFA is not set up for this account.' };

/**
 * Enrolment, confirmed by a first code from the app: only then are the key and the enrolment
 * stored, and the ten recovery codes made (returned here, to be shown once).
 */
export async function confirmEnrolment(
	db: Db,
	userId: string,
	input: { keyHex: string; code: string },
	context: RequestContext,
	now = Date.now()
): Promise<MfaResult<{ recoveryCodes: string[] }>> {
	if (!/^[0-9a-f]{40}$/.test(input.keyHex)) {
		return { ok: false, error: { code: 'invalid', field: 'code', message: 'The set-up expired. Reload the page and scan the new QR code.' } };
	}
	const current = await enrolledKey(db, userId);
	if (!current) return { ok: false, error: NOT_ENROLLED };
	if (current.enrolledAt) {
		return { ok: false, error: { code: 'already-enrolled', field: 'code', message: 'MFA is already set up for this account.' } };
	}
	return await throttledCheck<{ recoveryCodes: string[] }>(db, userId, context, async () => {
		const step = matchTotpStep(decodeHex(input.keyHex), input.code.trim(), now, null);
		if (step === null) return { ok: false, error: { code: 'invalid', field: 'code', message: WRONG_CODE } };
		const recoveryCodes = await writeTransaction(db, async () => {
				await dbRun(db.update(user)
					.set({ totpKey: storedTotpKey(userId, input.keyHex), mfaEnrolledAt: new Date(now).toISOString(), totpLastStep: step })
					.where(eq(user.id, userId)));
				return await replaceRecoveryCodes(db, userId);
			});
		await recordSecurityEvent(db, { type: 'mfa.enrolled', userId, actorId: userId, email: current.email, ...context });
		return { ok: true, recoveryCodes };
	}, now);
}

/**
 * The second step of log-in: a code from the app, or one of the recovery codes (each once). The
 * caller marks the session verified on success.
 */
export async function verifySecondFactor(
	db: Db,
	userId: string,
	input: string,
	context: RequestContext,
	now = Date.now()
): Promise<MfaResult<{ method: 'totp' | 'recovery-code' }>> {
	const current = await enrolledKey(db, userId);
	if (!current?.key || !current.enrolledAt) return { ok: false, error: NOT_ENROLLED };
	const code = input.trim();
	return await throttledCheck<{ method: 'totp' | 'recovery-code' }>(db, userId, context, async () => {
		if (/^[0-9]{6}$/.test(code)) {
			const accepted = await acceptTotp(db, userId, current.key!, code, current.lastStep, now);
			if (accepted === 'key-unreadable') return { ok: false, error: KEY_UNREADABLE };
			if (!accepted) {
				return { ok: false, error: { code: 'invalid', field: 'code', message: WRONG_CODE_OR_RECOVERY } };
			}
			await recordSecurityEvent(db, { type: 'mfa.verified', userId, email: current.email, ...context, detail: { method: 'totp' } });
			return { ok: true, method: 'totp' };
		}
		const { spent, remaining } = await spendRecoveryCode(db, userId, code, new Date(now));
		if (!spent) return { ok: false, error: { code: 'invalid', field: 'code', message: WRONG_CODE_OR_RECOVERY } };
		await recordSecurityEvent(db, { type: 'mfa.recovery-code-used', userId, email: current.email, ...context, detail: { remaining } });
		await recordSecurityEvent(db, { type: 'mfa.verified', userId, email: current.email, ...context, detail: { method: 'recovery-code' } });
		return { ok: true, method: 'recovery-code' };
	}, now);
}

/** New recovery codes (the old ones stop working), after a current code from the app. */
export async function regenerateRecoveryCodes(
	db: Db,
	userId: string,
	code: string,
	context: RequestContext,
	now = Date.now()
): Promise<MfaResult<{ recoveryCodes: string[] }>> {
	const current = await enrolledKey(db, userId);
	if (!current?.key || !current.enrolledAt) return { ok: false, error: NOT_ENROLLED };
	return await throttledCheck<{ recoveryCodes: string[] }>(db, userId, context, async () => {
		const accepted = await acceptTotp(db, userId, current.key!, code.trim(), current.lastStep, now);
		if (accepted === 'key-unreadable') return { ok: false, error: KEY_UNREADABLE };
		if (!accepted) {
			return { ok: false, error: { code: 'invalid', field: 'code', message: WRONG_CODE } };
		}
		const recoveryCodes = await writeTransaction(db, async () => await replaceRecoveryCodes(db, userId));
		await recordSecurityEvent(db, { type: 'mfa.recovery-codes-regenerated', userId, actorId: userId, email: current.email, ...context });
		return { ok: true, recoveryCodes };
	}, now);
}

async function clearMfa(db: Db, userId: string): Promise<void> {
	await dbRun(db.update(user).set({ totpKey: null, mfaEnrolledAt: null, totpLastStep: null }).where(eq(user.id, userId)));
	await dbRun(db.delete(recoveryCode).where(eq(recoveryCode.userId, userId)));
}

/**
 * A user turns MFA off themselves (only where it is not required; the page checks), after a
 * current code, so a session left open is not enough to remove the second factor.
 */
export async function turnOffMfa(db: Db, userId: string, code: string, context: RequestContext, now = Date.now()): Promise<MfaResult> {
	const current = await enrolledKey(db, userId);
	if (!current?.key || !current.enrolledAt) return { ok: false, error: NOT_ENROLLED };
	return await throttledCheck<object>(db, userId, context, async () => {
		const accepted = await acceptTotp(db, userId, current.key!, code.trim(), current.lastStep, now);
		if (accepted === 'key-unreadable') return { ok: false, error: KEY_UNREADABLE };
		if (!accepted) {
			return { ok: false, error: { code: 'invalid', field: 'code', message: WRONG_CODE } };
		}
		await writeTransaction(db, async () => await clearMfa(db, userId));
		await recordSecurityEvent(db, { type: 'mfa.reset', userId, actorId: userId, email: current.email, ...context, detail: { by: 'self' } });
		return { ok: true };
	}, now);
}

/**
 * An administrator's reset, for a user who lost their device and codes: the key, enrolment and
 * recovery codes are cleared and every session of the user ends, so the next log-in enrols anew.
 */
export async function resetMfa(db: Db, userId: string, by: Actor): Promise<boolean> {
	const current = await enrolledKey(db, userId);
	if (!current) return false;
	await writeTransaction(db, async () => {
			await clearMfa(db, userId);
			await invalidateUserSessions(db, userId);
		});
	await clearFailures(db, mfaKey(userId));
	await recordActorEvent(db, by, { type: 'mfa.reset', userId, email: current.email, detail: { by: 'admin' } });
	return true;
}

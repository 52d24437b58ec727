import { dbRun, dbAll, dbGet } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { Db } from '$lib/core/database';
import { createServerTestDb } from '$lib/server/testing';
import { recoveryCode, securityEvent, session, user, userRole } from '$lib/server/db/schema';
import type { Role } from '$lib/server/db/schema';
import {
	RECOVERY_CODE_COUNT,
	TOTP_PERIOD_SECONDS,
	confirmEnrolment,
	generateTotpKey,
	matchTotpStep,
	mfaStatus,
	normaliseRecoveryCode,
	regenerateRecoveryCodes,
	resetMfa,
	totpCodeFor,
	totpKeyUri,
	totpStepAt,
	turnOffMfa,
	verifySecondFactor
} from './mfa';
import { createSession, generateSessionToken, validateSessionToken } from './session';
import { pendingStepFor, MFA_ENROL_STEP, MFA_VERIFY_STEP, PASSWORD_CHANGE_STEP } from './steps';

const CONTEXT = { address: '192.0.2.1', routeId: '/login/mfa', requestId: null };
const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);

async function addUser(db: Db, roles: Role[] = ['assessor']): Promise<string> {
	const id = crypto.randomUUID();
	await dbRun(db.insert(user)
		.values({ id, organisationId: 'centre-1', email: `${id}@example.org`, displayName: 'Test User', passwordHash: 'x', createdAt: new Date(T0).toISOString() }));
	for (const role of roles) await dbRun(db.insert(userRole).values({ userId: id, role }));
	return id;
}

/** A user enrolled with a known key at T0; returns the key and the recovery codes shown. */
async function enrolled(db: Db, roles: Role[] = ['assessor']) {
	const userId = await addUser(db, roles);
	const key = generateTotpKey();
	const result = await confirmEnrolment(db, userId, { keyHex: encodeHexLowerCase(key), code: totpCodeFor(key, totpStepAt(T0)) }, CONTEXT, T0);
	if (!result.ok) throw new Error(result.error.message);
	return { userId, key, recoveryCodes: result.recoveryCodes };
}

const eventsOf = async (db: Db, userId: string) =>
	await dbAll(db.select().from(securityEvent).where(eq(securityEvent.userId, userId)));

describe('TOTP codes (RFC 6238)', () => {
	// RFC 6238 Appendix B, SHA-1, key "12345678901234567890": the 8-digit codes end in our 6 digits.
	const key = new TextEncoder().encode('12345678901234567890');
	const vectors: [number, string][] = [
		[59, '94287082'],
		[1111111109, '07081804'],
		[1111111111, '14050471'],
		[1234567890, '89005924'],
		[2000000000, '69279037'],
		[20000000000, '65353130']
	];
	for (const [seconds, code] of vectors) {
		it(`gives the RFC 6238 test vector at T = ${seconds} s`, () => {
			const step = totpStepAt(seconds * 1000);
			expect(generateHOTP(key, BigInt(step), 8)).toBe(code);
			expect(totpCodeFor(key, step)).toBe(code.slice(-6));
		});
	}

	it('accepts the codes of the previous, current and next step and no other', () => {
		fc.assert(
			// Steps from 5, so that step + offset is never before the epoch.
			fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 5, max: 2 ** 31 }), fc.integer({ min: -4, max: 4 }), (k, step, offset) => {
				const code = totpCodeFor(k, step + offset);
				const nowMs = step * TOTP_PERIOD_SECONDS * 1000 + 1;
				const matched = matchTotpStep(k, code, nowMs, null);
				// Within the window the code matches its own step, or an earlier step of the window that
				// happens to have the same six digits (one chance in a million per pair).
				if (Math.abs(offset) <= 1) {
					expect(matched).not.toBeNull();
					if (matched !== step + offset) expect([matched! < step + offset, totpCodeFor(k, matched!)]).toEqual([true, code]);
				}
				// A code of a step further away only matches if it happens to equal a nearer step's.
				else if (matched !== null) expect(totpCodeFor(k, matched)).toBe(code);
			})
		);
	});

	it('never matches a step at or before the last one accepted', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.integer({ min: 2, max: 2 ** 31 }), fc.integer({ min: -1, max: 1 }), (k, step, offset) => {
				const nowMs = step * TOTP_PERIOD_SECONDS * 1000;
				const matched = matchTotpStep(k, totpCodeFor(k, step + offset), nowMs, step + 1);
				expect(matched).toBeNull();
			})
		);
	});

	it('refuses anything that is not six digits', () => {
		const k = generateTotpKey();
		for (const code of ['', '12345', '1234567', 'abcdef', ' 123456']) expect(matchTotpStep(k, code, T0, null)).toBeNull();
	});

	it('makes an otpauth URI for the Custodian issuer with the key in base32', () => {
		const uri = totpKeyUri(decodeHex('3132333435363738393031323334353637383930'), 'gareth@example.org');
		expect(uri).toBe('otpauth://totp/Custodian:gareth%40example.org?issuer=Custodian&algorithm=SHA1&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=30&digits=6');
	});

	it('draws every key from the CSPRNG: 20 bytes, never the same twice', () => {
		const keys = new Set(Array.from({ length: 100 }, () => encodeHexLowerCase(generateTotpKey())));
		expect(keys.size).toBe(100);
		for (const k of keys) expect(k).toMatch(/^[0-9a-f]{40}$/);
	});
});

describe('who must use MFA', () => {
	it('puts the second factor first, then the password change, then enrolment', () => {
		const base = { id: 'u', email: 'u@example.org', displayName: 'U', organisationId: 'centre-1', roles: ['admin'] as Role[] };
		const fresh = { id: 's', userId: 'u', expiresAt: 0, absoluteExpiresAt: 0, lastSeenAt: 0, createdAt: 0, mfaVerified: false };
		const verified = { ...fresh, mfaVerified: true };
		expect(pendingStepFor({ ...base, mustChangePassword: true, mfaEnrolled: true, mfaRequired: true }, fresh)).toBe(MFA_VERIFY_STEP);
		expect(pendingStepFor({ ...base, mustChangePassword: true, mfaEnrolled: true, mfaRequired: true }, verified)).toBe(PASSWORD_CHANGE_STEP);
		expect(pendingStepFor({ ...base, mustChangePassword: true, mfaEnrolled: false, mfaRequired: true }, fresh)).toBe(PASSWORD_CHANGE_STEP);
		expect(pendingStepFor({ ...base, mustChangePassword: false, mfaEnrolled: false, mfaRequired: true }, fresh)).toBe(MFA_ENROL_STEP);
		expect(pendingStepFor({ ...base, mustChangePassword: false, mfaEnrolled: true, mfaRequired: true }, verified)).toBeNull();
		expect(pendingStepFor({ ...base, mustChangePassword: false, mfaEnrolled: false, mfaRequired: false }, fresh)).toBeNull();
	});

	it('reports enrolment, the requirement and the verified session through the session lookup', async () => {
		const db = await createServerTestDb();
		const { userId } = await enrolled(db, ['tutor']);
		const token = generateSessionToken();
		await createSession(db, token, userId, T0);
		const result = await validateSessionToken(db, token, T0);
		expect(result.user).toMatchObject({ mfaEnrolled: true, mfaRequired: true });
		expect(result.session?.mfaVerified).toBe(false);
	});
});

describe('enrolment', () => {
	it('stores the key only once a first code from the app confirms it', async () => {
		const db = await createServerTestDb();
		const userId = await addUser(db);
		const key = generateTotpKey();
		const wrong = await confirmEnrolment(db, userId, { keyHex: encodeHexLowerCase(key), code: '000000' === totpCodeFor(key, totpStepAt(T0)) ? '111111' : '000000' }, CONTEXT, T0);
		expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid', field: 'code' } });
		expect((await mfaStatus(db, userId)).enrolled).toBe(false);
		expect((await dbGet(db.select().from(user).where(eq(user.id, userId))))?.totpKey).toBeNull();

		const right = await confirmEnrolment(db, userId, { keyHex: encodeHexLowerCase(key), code: totpCodeFor(key, totpStepAt(T0)) }, CONTEXT, T0);
		expect(right.ok).toBe(true);
		expect(await mfaStatus(db, userId)).toMatchObject({ enrolled: true, recoveryCodesLeft: RECOVERY_CODE_COUNT });
		expect((await eventsOf(db, userId)).map((e) => e.type)).toEqual(['mfa.failed', 'mfa.enrolled']);
	});

	it('refuses a second enrolment over an existing one', async () => {
		const db = await createServerTestDb();
		const { userId } = await enrolled(db);
		const other = generateTotpKey();
		const again = await confirmEnrolment(db, userId, { keyHex: encodeHexLowerCase(other), code: totpCodeFor(other, totpStepAt(T0)) }, CONTEXT, T0);
		expect(again).toMatchObject({ ok: false, error: { code: 'already-enrolled' } });
	});

	it('refuses a key that is not 20 bytes of hex', async () => {
		const db = await createServerTestDb();
		const userId = await addUser(db);
		expect(await confirmEnrolment(db, userId, { keyHex: 'zz', code: '123456' }, CONTEXT, T0)).toMatchObject({ ok: false, error: { field: 'code' } });
	});
});

describe('the second step of log-in', () => {
	it('accepts a code once: the same code is refused the second time (RFC 6238 §5.2)', async () => {
		const db = await createServerTestDb();
		const { userId, key } = await enrolled(db);
		const later = T0 + 60_000;
		const code = totpCodeFor(key, totpStepAt(later));
		expect(await verifySecondFactor(db, userId, code, CONTEXT, later)).toEqual({ ok: true, method: 'totp' });
		expect(await verifySecondFactor(db, userId, code, CONTEXT, later)).toMatchObject({ ok: false, error: { code: 'invalid' } });
	});

	it('refuses the enrolment code and any earlier step once a later one was accepted', async () => {
		const db = await createServerTestDb();
		const { userId, key } = await enrolled(db);
		// The enrolment used step T0; the same step a moment later is a replay.
		expect((await verifySecondFactor(db, userId, totpCodeFor(key, totpStepAt(T0)), CONTEXT, T0 + 1000)).ok).toBe(false);
		const later = T0 + 90_000;
		expect((await verifySecondFactor(db, userId, totpCodeFor(key, totpStepAt(later) + 1), CONTEXT, later)).ok).toBe(true);
		expect((await verifySecondFactor(db, userId, totpCodeFor(key, totpStepAt(later)), CONTEXT, later)).ok).toBe(false);
	});

	it('accepts each recovery code once, in any case and with or without hyphens', async () => {
		const db = await createServerTestDb();
		const { userId, recoveryCodes } = await enrolled(db);
		expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
		expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
		for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){5}$/);

		const typed = ` ${normaliseRecoveryCode(recoveryCodes[3]!).toUpperCase()} `;
		expect(await verifySecondFactor(db, userId, typed, CONTEXT, T0)).toEqual({ ok: true, method: 'recovery-code' });
		expect(await verifySecondFactor(db, userId, recoveryCodes[3]!, CONTEXT, T0)).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect((await mfaStatus(db, userId)).recoveryCodesLeft).toBe(RECOVERY_CODE_COUNT - 1);
		const used = (await eventsOf(db, userId)).find((e) => e.type === 'mfa.recovery-code-used');
		expect(used?.detail).toEqual({ remaining: RECOVERY_CODE_COUNT - 1 });
	});

	it('stores only the SHA-256 of recovery codes and never a code in the security log', async () => {
		const db = await createServerTestDb();
		const { userId, recoveryCodes } = await enrolled(db);
		await verifySecondFactor(db, userId, recoveryCodes[0]!, CONTEXT, T0);
		const stored = JSON.stringify(await dbAll(db.select().from(recoveryCode))) + JSON.stringify(await eventsOf(db, userId));
		for (const code of recoveryCodes) {
			expect(stored).not.toContain(code);
			expect(stored).not.toContain(normaliseRecoveryCode(code));
		}
		for (const row of await dbAll(db.select().from(recoveryCode))) expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('stops checking codes after repeated wrong ones, even a right one, and logs the throttling', async () => {
		const db = await createServerTestDb();
		const { userId, key } = await enrolled(db);
		const now = T0 + 120_000;
		const right = totpCodeFor(key, totpStepAt(now));
		const wrong = right === '123456' ? '654321' : '123456';
		for (let i = 0; i < 4; i++) await verifySecondFactor(db, userId, wrong, CONTEXT, now);
		expect(await verifySecondFactor(db, userId, right, CONTEXT, now)).toMatchObject({ ok: false, error: { code: 'throttled', field: 'code' } });
		const types = (await eventsOf(db, userId)).map((e) => e.type);
		expect(types.filter((t) => t === 'mfa.failed').length).toBeGreaterThanOrEqual(3);
		expect(types).toContain('mfa.throttled');
	});
});

describe('managing MFA', () => {
	it('regenerating recovery codes needs a current code and makes the old codes stop working', async () => {
		const db = await createServerTestDb();
		const { userId, key, recoveryCodes } = await enrolled(db);
		const now = T0 + 60_000;
		expect((await regenerateRecoveryCodes(db, userId, 'abcdef', CONTEXT, now)).ok).toBe(false);
		const result = await regenerateRecoveryCodes(db, userId, totpCodeFor(key, totpStepAt(now)), CONTEXT, now);
		if (!result.ok) throw new Error(result.error.message);
		expect(result.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
		expect((await verifySecondFactor(db, userId, recoveryCodes[0]!, CONTEXT, now)).ok).toBe(false);
		expect((await verifySecondFactor(db, userId, result.recoveryCodes[0]!, CONTEXT, now)).ok).toBe(true);
		expect((await eventsOf(db, userId)).map((e) => e.type)).toContain('mfa.recovery-codes-regenerated');
	});

	it('a user turns MFA off with a current code, which clears the key and the codes', async () => {
		const db = await createServerTestDb();
		const { userId, key } = await enrolled(db, ['learner']);
		const now = T0 + 60_000;
		expect((await turnOffMfa(db, userId, totpCodeFor(key, totpStepAt(now)), CONTEXT, now)).ok).toBe(true);
		expect(await mfaStatus(db, userId)).toEqual({ enrolled: false, enrolledAt: null, recoveryCodesLeft: 0 });
	});

	it('an administrator’s reset clears key, enrolment and codes, ends every session and is logged with the actor', async () => {
		const db = await createServerTestDb();
		const { userId } = await enrolled(db);
		const adminId = await addUser(db, ['admin']);
		await createSession(db, generateSessionToken(), userId, T0);
		await createSession(db, generateSessionToken(), userId, T0);
		expect(await resetMfa(db, userId, { id: adminId, ...CONTEXT, routeId: '/(guarded)/admin/users/[userId]' })).toBe(true);

		const row = (await dbGet(db.select().from(user).where(eq(user.id, userId))))!;
		expect([row.totpKey, row.mfaEnrolledAt, row.totpLastStep]).toEqual([null, null, null]);
		expect(await dbAll(db.select().from(recoveryCode).where(eq(recoveryCode.userId, userId)))).toEqual([]);
		expect(await dbAll(db.select().from(session).where(eq(session.userId, userId)))).toEqual([]);
		const reset = (await eventsOf(db, userId)).find((e) => e.type === 'mfa.reset');
		expect(reset).toMatchObject({ actorId: adminId, detail: { by: 'admin' } });
	});

	it('resetting an account that does not exist changes nothing and says so', async () => {
		const db = await createServerTestDb();
		expect(await resetMfa(db, 'no-such-user', { id: 'admin', ...CONTEXT })).toBe(false);
		expect(await dbAll(db.select().from(securityEvent))).toEqual([]);
	});
});

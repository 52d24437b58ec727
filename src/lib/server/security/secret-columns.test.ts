import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { dbGet, dbQuery, dbRun, type Db } from '$lib/core/database';
import { closeTestDatabase, openTestDatabase } from '$lib/core/testing-database';
import { CRITERIA } from '$lib/criteria';
import { DEMO_ORGANISATION_ID, seedDemoData } from '$lib/server/demo';
import { user } from '$lib/server/db/schema';
import { recordObservation } from '$lib/server/other-evidence';
import { confirmEnrolment, generateTotpKey, totpCodeFor, totpStepAt, verifySecondFactor } from '$lib/server/auth/mfa';
import { toolJwks, toolSigningKey, toolSigningKeyOrNull } from '$lib/server/lti/keys';
import { badgeCredential, learnerBadges, processBadgeChecks } from '$lib/server/badges/issuing';
import { checkBadge } from '$lib/server/badges/verification';
import { saveLrsSettings } from '$lib/server/xapi/settings';
import { sendTestStatement, XAPI_DELIVERY } from '$lib/server/xapi/outbox';
import { xapiCentre } from '$lib/server/xapi/record';
import { startStandInLrs } from '$lib/server/xapi/testing';
import { kicksSettled } from '$lib/server/jobs/kick';
import { serviceSigner } from '$lib/server/lti/services/deps';
import { ltiServiceDeps } from '$lib/server/lti/services-wiring';
import { resealSecrets } from './secret-columns';

const KEY = randomBytes(32).toString('base64');
const NEXT = randomBytes(32).toString('base64');
const ORIGIN = 'http://127.0.0.1:4173';
const CONTEXT = { address: '192.0.2.1', routeId: '/login/mfa', requestId: null };
const saved = { SECRETS_KEY: process.env.SECRETS_KEY, SECRETS_KEY_PREVIOUS: process.env.SECRETS_KEY_PREVIOUS };
let db: Db;
let centre: string;

/** The settings as the server would read them; undefined unsets one. */
function configure(settings: { SECRETS_KEY?: string; SECRETS_KEY_PREVIOUS?: string }): void {
	for (const name of ['SECRETS_KEY', 'SECRETS_KEY_PREVIOUS'] as const) {
		if (settings[name] === undefined) delete process.env[name];
		else process.env[name] = settings[name];
	}
}

const idOf = async (email: string) => (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
/** One column of every row of a table, read with raw SQL: what a copy of the database holds. */
const raw = async (table: string, column: string) => (await dbQuery<{ value: string | null }>(db, sql`select ${sql.identifier(column)} as "value" from ${sql.identifier(table)}`)).map((r) => r.value);

/** Every secret the demo centre can hold: an LTI key, a badge key, an LRS secret, TOTP keys (the demo staff's and one enrolled now). */
async function everySecret(): Promise<{ learner: string; totpKey: Uint8Array; userId: string }> {
	await toolSigningKey(db);
	const learner = await idOf('learner@custodian.test');
	const assessor = await idOf('assessor@custodian.test');
	const recorded = await recordObservation(db, assessor, learner, { observedOn: '2026-03-02', setting: 'Front desk', description: 'Handled customer records.', criteria: CRITERIA.map((c) => c.code) });
	if (!recorded.ok) throw new Error(recorded.error.message);
	expect(await processBadgeChecks(db, ORIGIN, { learnerId: learner })).toBe(1);
	expect(await saveLrsSettings(db, centre, { endpoint: 'https://lrs.example.org/xapi', key: 'centre-key', secret: 'lrs-s3cret', enabled: false }, { id: 'admin-test' })).toEqual({ ok: true });
	const userId = await idOf('learner2@custodian.test');
	const totpKey = generateTotpKey();
	const now = Date.now();
	const enrolled = await confirmEnrolment(db, userId, { keyHex: encodeHexLowerCase(totpKey), code: totpCodeFor(totpKey, totpStepAt(now)) }, CONTEXT, now);
	expect(enrolled.ok).toBe(true);
	return { learner, totpKey, userId };
}

const COLUMNS = [
	['lti_tool_key', 'private_jwk'],
	['badge_issuer_key', 'secret_key_multibase'],
	['xapi_lrs', 'secret'],
	['user', 'totp_key']
] as const;

async function storedValues(): Promise<string[]> {
	const values: string[] = [];
	for (const [table, column] of COLUMNS) for (const v of await raw(table, column)) if (v !== null) values.push(v);
	return values;
}

beforeEach(async () => {
	configure({});
	db = await openTestDatabase();
	await seedDemoData(db);
	centre = DEMO_ORGANISATION_ID;
});

afterEach(() => {
	configure(saved);
	closeTestDatabase(db);
});

describe('secrets in the database file with SECRETS_KEY set', () => {
	beforeEach(() => configure({ SECRETS_KEY: KEY }));

	it('holds the LTI private key encrypted, and still signs what the JWKS verifies', async () => {
		const { kid, privateKey } = await toolSigningKey(db);
		const [stored] = await raw('lti_tool_key', 'private_jwk');
		expect(stored).toMatch(/^enc:v1:/);
		for (const part of ['"d"', '"p"', '"q"', 'RSA']) expect(stored).not.toContain(part);
		const token = await new SignJWT({ sub: 'tool' }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
		await expect(jwtVerify(token, createLocalJWKSet(await toolJwks(db)))).resolves.toBeTruthy();
	});

	it('holds the badge issuer key encrypted, and a badge issued with it verifies', async () => {
		const { learner } = await everySecret();
		const [stored] = await raw('badge_issuer_key', 'secret_key_multibase');
		expect(stored).toMatch(/^enc:v1:/);
		expect(stored).not.toMatch(/:z[1-9A-HJ-NP-Za-km-z]{40,}/);
		const [view] = await learnerBadges(db, ORIGIN, learner);
		const credential = (await badgeCredential(db, learner, view!.id))!;
		expect(await checkBadge(db, ORIGIN, credential)).toMatchObject({ outcome: 'valid' });
	});

	it('holds the LRS secret encrypted, and sends it in the Basic auth header', async () => {
		const lrs = await startStandInLrs();
		try {
			expect(await saveLrsSettings(db, centre, { endpoint: lrs.endpoint, key: 'centre-key', secret: 'lrs-s3cret:x', enabled: false }, { id: 'admin-test' })).toEqual({ ok: true });
			const [stored] = await raw('xapi_lrs', 'secret');
			expect(stored).toMatch(/^enc:v1:/);
			expect(stored).not.toContain('lrs-s3cret');
			expect(await sendTestStatement(db, centre, xapiCentre())).toMatchObject({ ok: true, status: 204 });
			expect(lrs.puts[0]!.headers.authorization).toBe(`Basic ${Buffer.from('centre-key:lrs-s3cret:x').toString('base64')}`);
		} finally {
			await kicksSettled(db, XAPI_DELIVERY);
			await lrs.close();
		}
	});

	it('holds TOTP keys encrypted, and accepts a code from the app', async () => {
		const userId = await idOf('learner2@custodian.test');
		const key = generateTotpKey();
		const t0 = Date.now();
		const enrolled = await confirmEnrolment(db, userId, { keyHex: encodeHexLowerCase(key), code: totpCodeFor(key, totpStepAt(t0)) }, CONTEXT, t0);
		expect(enrolled.ok).toBe(true);
		const stored = (await dbQuery<{ value: string }>(db, sql`select totp_key as "value" from ${sql.identifier('user')} where id = ${userId}`))[0]!.value;
		expect(stored).toMatch(/^enc:v1:/);
		expect(stored).not.toContain(encodeHexLowerCase(key));
		const later = t0 + 60_000;
		expect(await verifySecondFactor(db, userId, totpCodeFor(key, totpStepAt(later)), CONTEXT, later)).toEqual({ ok: true, method: 'totp' });
	});
});

describe('re-encryption at start', () => {
	it('encrypts values stored in clear, after which every feature still works', async () => {
		const { totpKey, userId, learner } = await everySecret();
		for (const value of await storedValues()) expect(value).not.toMatch(/^enc:/);
		configure({ SECRETS_KEY: KEY });
		const counts = await resealSecrets(db, { batch: 2 });
		expect(counts['lti_tool_key.private_jwk']).toBe(1);
		expect(counts['badge_issuer_key.secret_key_multibase']).toBe(1);
		expect(counts['xapi_lrs.secret']).toBe(1);
		expect(counts['user.totp_key']).toBeGreaterThan(2); // more than one batch
		for (const value of await storedValues()) expect(value).toMatch(/^enc:v1:/);
		// Nothing left to do the second time.
		expect(Object.values(await resealSecrets(db))).toEqual([0, 0, 0, 0]);
		const later = Date.now() + 60_000;
		expect(await verifySecondFactor(db, userId, totpCodeFor(totpKey, totpStepAt(later)), CONTEXT, later)).toMatchObject({ ok: true });
		expect(await toolSigningKeyOrNull(db)).not.toBeNull();
		const [view] = await learnerBadges(db, ORIGIN, learner);
		expect(await checkBadge(db, ORIGIN, (await badgeCredential(db, learner, view!.id))!)).toMatchObject({ outcome: 'valid' });
	});

	it('rotates: values under the previous key read, are re-encrypted under the new one, and then read with the new key alone', async () => {
		configure({ SECRETS_KEY: KEY });
		const { totpKey, userId } = await everySecret();
		const underOld = await storedValues();
		configure({ SECRETS_KEY: NEXT, SECRETS_KEY_PREVIOUS: KEY });
		// Before the start's re-encryption, the previous key still reads.
		expect(await toolSigningKeyOrNull(db)).not.toBeNull();
		const counts = await resealSecrets(db);
		expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(underOld.length);
		const underNew = await storedValues();
		expect(underNew).toHaveLength(underOld.length);
		for (const value of underNew) {
			expect(value).toMatch(/^enc:v1:/);
			expect(underOld).not.toContain(value);
		}
		configure({ SECRETS_KEY: NEXT });
		expect(Object.values(await resealSecrets(db))).toEqual([0, 0, 0, 0]);
		const later = Date.now() + 60_000;
		expect(await verifySecondFactor(db, userId, totpCodeFor(totpKey, totpStepAt(later)), CONTEXT, later)).toMatchObject({ ok: true });
		const lrs = await startStandInLrs();
		try {
			await saveLrsSettings(db, centre, { endpoint: lrs.endpoint, key: 'centre-key', secret: '', enabled: false }, { id: 'admin-test' });
			expect(await sendTestStatement(db, centre, xapiCentre())).toMatchObject({ ok: true });
			expect(lrs.puts[0]!.headers.authorization).toBe(`Basic ${Buffer.from('centre-key:lrs-s3cret').toString('base64')}`);
		} finally {
			await kicksSettled(db, XAPI_DELIVERY);
			await lrs.close();
		}
	});

	it('refuses to start, naming the setting, when a value is under a key it was not given; the feature says it cannot use its key', async () => {
		configure({ SECRETS_KEY: KEY });
		const { totpKey, userId } = await everySecret();
		configure({ SECRETS_KEY: NEXT });
		await expect(resealSecrets(db)).rejects.toThrow(/encrypted under key [0-9a-f]{8}, which neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS holds/);
		// Without any key too: nothing can read them.
		configure({});
		await expect(resealSecrets(db)).rejects.toThrow(/neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS holds/);
		// A request meeting one anyway is told, without a 500.
		configure({ SECRETS_KEY: NEXT });
		const later = Date.now() + 60_000;
		expect(await verifySecondFactor(db, userId, totpCodeFor(totpKey, totpStepAt(later)), CONTEXT, later)).toMatchObject({ ok: false, error: { code: 'key-unreadable', message: expect.stringContaining('SECRETS_KEY') } });
		expect(await toolSigningKeyOrNull(db)).toBeNull();
		expect(await serviceSigner(db, ltiServiceDeps())).toMatchObject({ ok: false, error: { code: 'lti.key-unreadable', retryable: true } });
	});

	it('without SECRETS_KEY keeps every value in clear and every feature working', async () => {
		const { totpKey, userId, learner } = await everySecret();
		expect(Object.values(await resealSecrets(db))).toEqual([0, 0, 0, 0]);
		const values = await storedValues();
		expect(values).toContain('lrs-s3cret');
		for (const value of values) expect(value).not.toMatch(/^enc:/);
		const later = Date.now() + 60_000;
		expect(await verifySecondFactor(db, userId, totpCodeFor(totpKey, totpStepAt(later)), CONTEXT, later)).toMatchObject({ ok: true });
		const [view] = await learnerBadges(db, ORIGIN, learner);
		expect(await checkBadge(db, ORIGIN, (await badgeCredential(db, learner, view!.id))!)).toMatchObject({ outcome: 'valid' });
	});

	it('does not decrypt a secret copied into another row', async () => {
		configure({ SECRETS_KEY: KEY });
		const first = await idOf('learner2@custodian.test');
		const other = await idOf('learner@custodian.test');
		const key = generateTotpKey();
		const t0 = Date.now();
		expect((await confirmEnrolment(db, first, { keyHex: encodeHexLowerCase(key), code: totpCodeFor(key, totpStepAt(t0)) }, CONTEXT, t0)).ok).toBe(true);
		const stolen = (await dbGet(db.select({ totpKey: user.totpKey }).from(user).where(eq(user.id, first))))!.totpKey;
		await dbRun(db.update(user).set({ totpKey: stolen, mfaEnrolledAt: new Date(t0).toISOString() }).where(eq(user.id, other)));
		const later = t0 + 60_000;
		expect(await verifySecondFactor(db, other, totpCodeFor(key, totpStepAt(later)), CONTEXT, later)).toMatchObject({ ok: false, error: { code: 'key-unreadable' } });
		await expect(resealSecrets(db, { env: { SECRETS_KEY: NEXT, SECRETS_KEY_PREVIOUS: KEY } })).rejects.toThrow(/user\.totp_key does not decrypt .*copied from another row/);
	});
});

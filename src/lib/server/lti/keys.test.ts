import { describe, expect, it } from 'vitest';
import { jwtVerify, SignJWT, createLocalJWKSet } from 'jose';
import { createServerTestDb } from '$lib/server/testing';
import { KEY_GRACE_MS, KEY_ROTATE_AFTER_MS, rotateToolKey, toolJwks, toolKeyList, toolSigningKey } from './keys';

const DAY = 24 * 60 * 60 * 1000;

describe('tool keys', () => {
	it('signs with a key whose public half the JWKS publishes, without any private part', async () => {
		const db = await createServerTestDb();
		const { kid, privateKey } = await toolSigningKey(db);
		const jwks = await toolJwks(db);
		expect(jwks.keys.map((k) => k.kid)).toEqual([kid]);
		for (const key of jwks.keys) {
			expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
			for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
		}
		const token = await new SignJWT({ sub: 'tool' }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
		await expect(jwtVerify(token, createLocalJWKSet(jwks))).resolves.toBeTruthy();
	});

	it('rotates: the new key signs, the old one stays published for the grace period, then goes', async () => {
		const db = await createServerTestDb();
		const start = new Date('2026-01-01T00:00:00Z');
		const first = (await toolSigningKey(db, start)).kid;
		const second = await rotateToolKey(db, new Date(start.getTime() + DAY));
		expect((await toolSigningKey(db, new Date(start.getTime() + DAY))).kid).toBe(second);
		expect((await toolJwks(db, new Date(start.getTime() + 2 * DAY))).keys.map((k) => k.kid)).toEqual([second, first]);
		expect((await toolJwks(db, new Date(start.getTime() + DAY + KEY_GRACE_MS + 1))).keys.map((k) => k.kid)).toEqual([second]);
		// The next rotation after the grace period removes the expired key for good.
		await rotateToolKey(db, new Date(start.getTime() + DAY + KEY_GRACE_MS + 2));
		expect((await toolKeyList(db)).map((k) => k.kid)).not.toContain(first);
	});

	it('rotates by itself once the key in use is old', async () => {
		const db = await createServerTestDb();
		const start = new Date('2026-01-01T00:00:00Z');
		const first = (await toolSigningKey(db, start)).kid;
		expect((await toolSigningKey(db, new Date(start.getTime() + KEY_ROTATE_AFTER_MS - 1))).kid).toBe(first);
		const later = (await toolSigningKey(db, new Date(start.getTime() + KEY_ROTATE_AFTER_MS))).kid;
		expect(later).not.toBe(first);
		expect((await toolJwks(db, new Date(start.getTime() + KEY_ROTATE_AFTER_MS))).keys.map((k) => k.kid)).toEqual([later, first]);
	});
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { isSealed, needsResealing, openSecret, sealSecret, sealedKeyId, secretsKeyring, secretsStatus, SecretUnreadableError } from './secrets';

const KEY = randomBytes(32).toString('base64');
const OLD = randomBytes(32).toString('base64');
const WITH_KEY = { SECRETS_KEY: KEY };
const PLACE = { table: 'xapi_lrs', column: 'secret', row: 'centre-1' };
const keyIdOf = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 8);

function unreadable(run: () => unknown): SecretUnreadableError {
	try {
		run();
	} catch (error) {
		if (error instanceof SecretUnreadableError) return error;
		throw error;
	}
	throw new Error('expected the value to be unreadable');
}

describe('secrets at rest', () => {
	it('stores a value as enc:v1:<key id>:<iv>:<ciphertext>, with a fresh IV each time, and reads it back', () => {
		const first = sealSecret('s3cret:with colon', PLACE, WITH_KEY);
		const second = sealSecret('s3cret:with colon', PLACE, WITH_KEY);
		expect(first).toMatch(new RegExp(`^enc:v1:${keyIdOf(KEY)}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$`));
		expect(first).not.toContain('s3cret');
		expect(first.split(':')[3]).not.toBe(second.split(':')[3]);
		expect(isSealed(first)).toBe(true);
		expect(sealedKeyId(first)).toBe(keyIdOf(KEY));
		expect(openSecret(first, PLACE, WITH_KEY)).toBe('s3cret:with colon');
		expect(openSecret(second, PLACE, WITH_KEY)).toBe('s3cret:with colon');
	});

	it('round-trips any string, empty, long and non-ASCII ones too', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.string({ maxLength: 40 }), (value, row) => {
				const place = { ...PLACE, row };
				expect(openSecret(sealSecret(value, place, WITH_KEY), place, WITH_KEY)).toBe(value);
			})
		);
	});

	it('does not decrypt a value copied to another row or another column', () => {
		const sealed = sealSecret('s3cret', PLACE, WITH_KEY);
		expect(unreadable(() => openSecret(sealed, { ...PLACE, row: 'centre-2' }, WITH_KEY))).toMatchObject({ reason: 'altered' });
		expect(unreadable(() => openSecret(sealed, { table: 'user', column: 'totp_key', row: 'centre-1' }, WITH_KEY)).message).toMatch(/user\.totp_key .*altered, or copied from another row/);
	});

	it('refuses a tampered ciphertext, IV or tag', () => {
		const sealed = sealSecret('s3cret-value', PLACE, WITH_KEY);
		const [, , id, iv, body] = sealed.split(':') as [string, string, string, string, string];
		const flip = (text: string, at: number) => {
			const bytes = Buffer.from(text, 'base64url');
			bytes[at]! ^= 1;
			return bytes.toString('base64url');
		};
		const bodyBytes = Buffer.from(body, 'base64url').length;
		for (const tampered of [
			`enc:v1:${id}:${iv}:${flip(body, 0)}`,
			`enc:v1:${id}:${iv}:${flip(body, bodyBytes - 1)}`,
			`enc:v1:${id}:${flip(iv, 3)}:${body}`
		]) {
			expect(unreadable(() => openSecret(tampered, PLACE, WITH_KEY)).reason).toBe('altered');
		}
	});

	it('reads values under a key in SECRETS_KEY_PREVIOUS, and writes under SECRETS_KEY only', () => {
		const underOld = sealSecret('s3cret', PLACE, { SECRETS_KEY: OLD });
		const rotated = { SECRETS_KEY: KEY, SECRETS_KEY_PREVIOUS: ` ${randomBytes(32).toString('base64')}, ${OLD} ` };
		expect(openSecret(underOld, PLACE, rotated)).toBe('s3cret');
		expect(needsResealing(underOld, rotated)).toBe(true);
		const resealed = sealSecret('s3cret', PLACE, rotated);
		expect(sealedKeyId(resealed)).toBe(keyIdOf(KEY));
		expect(needsResealing(resealed, rotated)).toBe(false);
		expect(secretsStatus(rotated)).toEqual({ encrypted: true, keyId: keyIdOf(KEY), previousKeys: 2 });
	});

	it('stops a read under an unknown key with an error naming the settings', () => {
		const underOld = sealSecret('s3cret', PLACE, { SECRETS_KEY: OLD });
		const error = unreadable(() => openSecret(underOld, PLACE, WITH_KEY));
		expect(error.reason).toBe('unknown-key');
		expect(error.message).toBe(`A secret in xapi_lrs.secret is encrypted under key ${keyIdOf(OLD)}, which neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS holds: set SECRETS_KEY (or add the old key to SECRETS_KEY_PREVIOUS)`);
		expect(error.message).not.toContain(OLD);
		// Without any key, an encrypted value is as unreadable.
		expect(unreadable(() => openSecret(underOld, PLACE, {})).reason).toBe('unknown-key');
	});

	it('without SECRETS_KEY writes and reads values in clear, as before', () => {
		expect(sealSecret('s3cret', PLACE, {})).toBe('s3cret');
		expect(openSecret('s3cret', PLACE, {})).toBe('s3cret');
		expect(needsResealing('s3cret', {})).toBe(false);
		expect(secretsStatus({ SECRETS_KEY: '  ' })).toEqual({ encrypted: false });
		// A clear value keeps reading once a key is set (until the start encrypts it).
		expect(openSecret('s3cret', PLACE, WITH_KEY)).toBe('s3cret');
		expect(needsResealing('s3cret', WITH_KEY)).toBe(true);
	});

	it('refuses a SECRETS_KEY or SECRETS_KEY_PREVIOUS that is not base64 of 32 bytes, naming the setting', () => {
		expect(() => secretsKeyring({ SECRETS_KEY: 'correct horse battery staple' })).toThrow('SECRETS_KEY is not 32 random bytes in base64 (make one with: openssl rand -base64 32)');
		expect(() => secretsKeyring({ SECRETS_KEY: randomBytes(16).toString('base64') })).toThrow(/^SECRETS_KEY is not 32 random bytes/);
		expect(() => secretsKeyring({ SECRETS_KEY: KEY.slice(0, -2) })).toThrow(/^SECRETS_KEY is not 32 random bytes/);
		expect(() => secretsKeyring({ SECRETS_KEY: KEY, SECRETS_KEY_PREVIOUS: `${OLD},nope` })).toThrow(/^SECRETS_KEY_PREVIOUS \(key 2\) is not 32 random bytes/);
		expect(() => secretsKeyring({ SECRETS_KEY_PREVIOUS: OLD })).toThrow(/^SECRETS_KEY_PREVIOUS is set but SECRETS_KEY is not/);
	});
});

import { describe, expect, it } from 'vitest';
import { checkNewPassword, hashPassword, verifyPasswordHash } from './password';

describe('passwords', () => {
	it('hashes with argon2id at the OWASP parameters (19 MiB, 2 iterations, parallelism 1)', async () => {
		const hash = await hashPassword('correct horse battery staple');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
	});

	it('verifies the right password and refuses a wrong one', async () => {
		const hash = await hashPassword('correct horse battery staple');
		expect(await verifyPasswordHash(hash, 'correct horse battery staple')).toBe(true);
		expect(await verifyPasswordHash(hash, 'correct horse battery stapler')).toBe(false);
	});

	it('salts each hash, so the same password never hashes the same twice', async () => {
		expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
	});

	it('treats a malformed stored hash as a mismatch instead of failing', async () => {
		expect(await verifyPasswordHash('not-a-hash', 'anything')).toBe(false);
	});

	it('refuses new passwords that are short, the email address, or one repeated character', () => {
		expect(checkNewPassword('short', { email: 'a@b.org' })).toMatch(/at least 12/);
		expect(checkNewPassword('someone@example.org', { email: 'Someone@Example.org' })).toMatch(/email/);
		expect(checkNewPassword('aaaaaaaaaaaaaaa', { email: 'a@b.org' })).toMatch(/repeat/);
		expect(checkNewPassword('x'.repeat(129), { email: 'a@b.org' })).toMatch(/at most/);
		expect(checkNewPassword('a sentence I will remember', { email: 'a@b.org' })).toBeNull();
	});
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dictionary } from '@zxcvbn-ts/language-common';
import { generateOneTimePassword } from '$lib/server/user-admin';
import { checkNewPassword, hashPassword, passwordVariants, verifyPasswordHash } from './password';

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

	it('refuses new passwords that are short, the email address, or one repeated character', async () => {
		expect(await checkNewPassword('short', { email: 'a@b.org' })).toMatch(/at least 12/);
		expect(await checkNewPassword('someone@example.org', { email: 'Someone@Example.org' })).toMatch(/email/);
		expect(await checkNewPassword('aaaaaaaaaaaaaaa', { email: 'a@b.org' })).toMatch(/repeat/);
		expect(await checkNewPassword('x'.repeat(129), { email: 'a@b.org' })).toMatch(/at most/);
		expect(await checkNewPassword('a sentence I will remember', { email: 'a@b.org' })).toBeNull();
	});

	it('refuses password1234 and its disguises as a common password', async () => {
		for (const password of ['password1234', 'PASSWORD1234', 'Password1234!', 'P@ssw0rd12345', 'qwertyuiop123', 'pass-word-1234', 'iloveyouiloveyou']) {
			expect(await checkNewPassword(password, { email: 'a@b.org' }), password).toMatch(/common and breached passwords/);
		}
	});

	it('refuses any listed password of four or more letters padded with digits and symbols, in any case', async () => {
		const listed = dictionary['passwords-common'].filter((p) => /^\p{L}{4,}$/u.test(p));
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...listed),
				fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
				fc.stringMatching(/^[0-9!?#*.]{0,4}$/),
				async (word, upper, prefix) => {
					const cased = [...word].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
					const padded = `${prefix}${cased}`.padEnd(12, '7');
					expect(await checkNewPassword(padded, { email: 'someone@example.org' })).toMatch(/common and breached passwords|repeat/);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('never refuses a one-time password the app generates', async () => {
		for (let i = 0; i < 300; i++) {
			expect(await checkNewPassword(generateOneTimePassword(), { email: 'someone@example.org', displayName: 'Some One' })).toBeNull();
		}
	});

	it('refuses a password containing the user’s name, email local part or the app’s name, ignoring case and accents', async () => {
		const context = { email: 'tomas.obriain@example.org', displayName: 'Tomás Ó Briain' };
		expect(await checkNewPassword('walking with Tomas in May', context)).toMatch(/your name/);
		expect(await checkNewPassword('my BRIAIN is tired today', context)).toMatch(/your name/);
		expect(await checkNewPassword('tomas.obriain rules ok', context)).toMatch(/your name/);
		expect(await checkNewPassword('Custodian-Demo-2026', context)).toMatch(/name of this app/);
		// One-letter and two-letter names ("Ó") are not words to avoid.
		expect(await checkNewPassword('over the hills far away', context)).toBeNull();
	});

	it('looks up the forms attackers derive from a listed password', () => {
		expect(passwordVariants('Password1234!')).toContain('password');
		expect(passwordVariants('P@ssw0rd')).toContain('password');
		expect(passwordVariants('qwerty qwerty')).toContain('qwerty');
		// A base of fewer than four letters is not looked up on its own.
		expect(passwordVariants('abc918273645')).not.toContain('abc');
	});
});

import { hash, verify } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet: argon2id with 19 MiB memory, 2 iterations, parallelism 1.
// @node-rs/argon2 defaults to argon2id; memoryCost is in KiB.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

export async function verifyPasswordHash(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		// A malformed stored hash is not a match; it must not become a 500 on the log-in page.
		return false;
	}
}

/**
 * A hash of a random password, verified against when the account does not exist, so that a
 * failed log-in takes as long whether or not the email is known.
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
	decoyHash ??= hashPassword(crypto.randomUUID());
	return decoyHash;
}

/** Who is choosing the password: words from their account must not be in it (ASVS 5.0 §6.2.11). */
export interface PasswordContext {
	email: string;
	displayName?: string;
}

/** The product's own name: the first word an attacker tries against this site (ASVS 5.0 §6.2.11). */
const APP_WORDS = ['custodian'];

/**
 * Lower-cased, compatibility-normalised and without accents, so "Pässword", "PASSWORD" and
 * "password" are one password to the lists.
 */
function normalise(text: string): string {
	return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The ranked list of common and breached passwords that @zxcvbn-ts/language-common ships (about
 * 49,000, MIT licence), as a Set built on the first check: importing it costs ~50 ms and ~5 MB,
 * which a server that never sees a password change need not pay. Works offline: nothing is fetched.
 */
let commonPasswords: Promise<ReadonlySet<string>> | undefined;
function commonPasswordSet(): Promise<ReadonlySet<string>> {
	commonPasswords ??= import('@zxcvbn-ts/language-common')
		.then(({ dictionary }) => new Set(dictionary['passwords-common'].map(normalise)))
		.catch((error: unknown) => {
			commonPasswords = undefined; // a failed load is retried by the next check, not cached
			throw error;
		});
	return commonPasswords;
}

// Common substitutions ("p@ssw0rd"); "1" is tried as both i and l.
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't' };
const deLeet = (text: string, one: 'i' | 'l') => text.replace(/[@43!0$57]|1/g, (c) => (c === '1' ? one : LEET[c]!));

/**
 * The forms of a password that attackers derive from a listed one: the password itself, without
 * separators, without the digits and symbols around it ("Password1234!" is "password"), undone
 * substitutions, and the unit of a repetition ("qwertyqwerty"). A base shorter than 4 letters is
 * not looked up: "abc" + twelve random digits is not a listed password.
 */
export function passwordVariants(password: string): Set<string> {
	const base = normalise(password).trim().replace(/\s+/g, ' ');
	const variants = new Set<string>([base, base.replace(/[\s\-_.]+/g, '')]);
	for (const form of [...variants]) {
		const stripped = form.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
		if (stripped.length >= 4) variants.add(stripped);
	}
	for (const form of [...variants]) {
		variants.add(deLeet(form, 'i'));
		variants.add(deLeet(form, 'l'));
	}
	for (const form of [...variants]) {
		const unit = /^(.+?)\1+$/u.exec(form)?.[1];
		if (unit && unit.length >= 4) variants.add(unit);
	}
	return variants;
}

/** Words of the account the password must not contain: the email's local part and each name of 3+ letters. */
function accountWords(context: PasswordContext): string[] {
	const local = normalise(context.email.trim()).split('@')[0] ?? '';
	const names = normalise(context.displayName ?? '').split(/[^\p{L}]+/u);
	return [local, ...names].filter((word) => word.length >= 3);
}

/**
 * Returns a message for the user when the new password is not acceptable, or null. ASVS 5.0 §6.2.1
 * (at least 8, here 12, characters), §6.2.4 and §6.2.12 (not a common or breached password),
 * §6.2.11 (no context-specific words).
 */
export async function checkNewPassword(password: string, context: PasswordContext): Promise<string | null> {
	if (password.length < PASSWORD_MIN_LENGTH)
		return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
	if (password.length > PASSWORD_MAX_LENGTH)
		return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
	if (password.trim().toLowerCase() === context.email.trim().toLowerCase())
		return 'Your password must not be your email address.';
	if (/^(.)\1+$/.test(password)) return 'Do not repeat one character.';
	const variants = passwordVariants(password);
	const squeezed = [...variants].map((v) => v.replace(/[^\p{L}\p{N}]+/gu, ''));
	if (squeezed.some((v) => accountWords(context).some((word) => v.includes(word.replace(/[^\p{L}\p{N}]+/gu, ''))))) {
		return 'Your password must not contain your name or the first part of your email address.';
	}
	if (squeezed.some((v) => APP_WORDS.some((word) => v.includes(word)))) {
		return 'Your password must not contain the name of this app.';
	}
	const common = await commonPasswordSet();
	if ([...variants].some((v) => common.has(v))) {
		return 'This password is on a list of common and breached passwords that attackers try first. Choose another: a short sentence you will remember works well.';
	}
	return null;
}

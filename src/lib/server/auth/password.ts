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

/** Returns a message for the user when the new password is not acceptable, or null. */
export function checkNewPassword(password: string, context: { email: string }): string | null {
	if (password.length < PASSWORD_MIN_LENGTH)
		return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
	if (password.length > PASSWORD_MAX_LENGTH)
		return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
	if (password.trim().toLowerCase() === context.email.trim().toLowerCase())
		return 'Your password must not be your email address.';
	if (/^(.)\1+$/.test(password)) return 'Do not repeat one character.';
	return null;
}

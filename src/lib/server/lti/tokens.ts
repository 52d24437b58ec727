/** One-time secrets of the LTI flows (state, nonce, registration links, hand-off codes): 32 bytes from the CSPRNG. */
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(): string {
	return randomBytes(32).toString('base64url');
}

/** Only the SHA-256 of a secret is stored: a copy of the database holds none that still work. */
export function secretHash(secret: string): string {
	return createHash('sha256').update(secret).digest('hex');
}

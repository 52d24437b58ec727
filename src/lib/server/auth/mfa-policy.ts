import type { Role } from '$lib/server/db/schema';

/**
 * Who must use multi-factor authentication. Apart from the TOTP machinery (mfa.ts) because the
 * session lookup asks it on every request, and mfa.ts in turn ends sessions (session.ts).
 */

/** Staff always (ASVS 5.0 §6.3.3, L2); learners when their centre asks for it. */
export function mfaRequiredFor(roles: readonly Role[], requireMfaForLearners: boolean): boolean {
	return roles.some((r) => r !== 'learner') || (requireMfaForLearners && roles.includes('learner'));
}

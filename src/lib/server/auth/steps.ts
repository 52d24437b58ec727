import type { Session } from '$lib/server/db/schema';
import type { SessionUser } from './session';

/**
 * A step a signed-in user must complete before anything else: while one is pending, every other
 * route (except log-out) sends the user to it. The route is named by its id (event.route.id).
 */
export interface PendingStep {
	routeId: string;
	path: string;
}

export const PASSWORD_CHANGE_STEP: PendingStep = {
	routeId: '/(guarded)/account/password',
	path: '/account/password'
};

/**
 * The second step of log-in, for a user enrolled in MFA whose session has not passed it yet. It
 * lives with the user's own account pages, which need a session but no role.
 */
export const MFA_VERIFY_STEP: PendingStep = {
	routeId: '/(guarded)/account/mfa/verify',
	path: '/account/mfa/verify'
};

/** MFA enrolment, for a user who must use MFA and has not set it up. */
export const MFA_ENROL_STEP: PendingStep = {
	routeId: '/(guarded)/account/mfa',
	path: '/account/mfa'
};

/** Routes a user with a pending step may still use: the step itself and log-out. */
const ALWAYS_ALLOWED = new Set(['/logout']);

export function pendingStepFor(user: SessionUser, session: Session): PendingStep | null {
	// Until the second factor is given the user is not authenticated (ASVS 5.0 §6.3.3), so not
	// even the password change comes first.
	if (user.mfaEnrolled && !session.mfaVerified) return MFA_VERIFY_STEP;
	// A one-time password must be replaced before the account is used (ASVS 5.0 §6.4.1).
	if (user.mustChangePassword) return PASSWORD_CHANGE_STEP;
	// Staff set up MFA before reaching any page (ASVS 5.0 §6.3.3); after the password change, so
	// a one-time password is never the only thing that guarded the enrolment.
	if (user.mfaRequired && !user.mfaEnrolled) return MFA_ENROL_STEP;
	return null;
}

/** Where to send a user for a step, bringing them back to `redirectTo` afterwards. */
export function stepUrl(step: PendingStep, redirectTo: string | null): string {
	return redirectTo ? `${step.path}?redirectTo=${encodeURIComponent(redirectTo)}` : step.path;
}

export function allowedDuringStep(step: PendingStep, routeId: string | null): boolean {
	return routeId === step.routeId || (routeId !== null && ALWAYS_ALLOWED.has(routeId));
}

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

/** Routes a user with a pending step may still use: the step itself and log-out. */
const ALWAYS_ALLOWED = new Set(['/logout']);

export function pendingStepFor(user: SessionUser, _session: Session): PendingStep | null {
	// A one-time password must be replaced before the account is used (ASVS 5.0 §6.4.1).
	if (user.mustChangePassword) return PASSWORD_CHANGE_STEP;
	return null;
}

export function allowedDuringStep(step: PendingStep, routeId: string | null): boolean {
	return routeId === step.routeId || (routeId !== null && ALWAYS_ALLOWED.has(routeId));
}

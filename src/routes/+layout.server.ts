import type { LayoutServerLoad } from './$types';
import { AREAS } from '$lib/server/auth/access';
import { MFA_VERIFY_STEP, pendingStepFor } from '$lib/server/auth/steps';
import { getDb } from '$lib/server/db';
import { unreadCount } from '$lib/server/notifications/store';

export const load = (async ({ locals, url }) => {
	// Read so that this load runs again on every navigation: the bell's count stays current.
	void url.pathname;
	// Someone who has given only the password is not yet anyone: no name, no areas (ASVS 5.0 §6.3.3).
	const halfway = locals.user && locals.session && pendingStepFor(locals.user, locals.session) === MFA_VERIFY_STEP;
	const user = halfway ? null : locals.user;
	return {
		user: user
			? {
					displayName: user.displayName,
					email: user.email,
					roles: user.roles,
					unread: await unreadCount(getDb(), user.id),
					areas: AREAS.filter((a) => user.roles.includes(a.role)).map(({ prefix, label }) => ({ href: prefix, label }))
				}
			: null
	};
}) satisfies LayoutServerLoad;

import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { recordSecurityEvent, requestContext } from '$lib/server/security/events';

export const load = (({ locals }) => {
	// Just logged out of a session begun in an LMS's frame (the action below): this page says so, in
	// that frame, where the log-in page (which no site may frame) would show nothing.
	if (locals.signedOutOfFrame) return { signedOutOfFrame: true };
	redirect(303, '/');
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, cookies, getClientAddress, route }) => {
		// The platforms that may frame this session's pages (hooks.server.ts), kept for the answer.
		const inFrame = locals.sessionCookie === 'frame' && (locals.frameAncestors?.length ?? 0) > 0;
		if (locals.session) {
			const db = getDb();
			await invalidateSession(db, locals.session.id);
			await recordSecurityEvent(db, { type: 'logout', userId: locals.session.userId, ...requestContext({ getClientAddress, route, locals }) });
		}
		deleteSessionCookie(cookies, 'top');
		deleteSessionCookie(cookies, 'frame');
		if (inFrame) {
			locals.session = null;
			locals.user = null;
			locals.signedOutOfFrame = true;
			return {};
		}
		redirect(303, '/login');
	}
} satisfies Actions;

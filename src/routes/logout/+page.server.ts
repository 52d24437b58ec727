import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { recordSecurityEvent, requestContext } from '$lib/server/security/events';

export const load = (() => {
	redirect(303, '/');
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, cookies, getClientAddress, route }) => {
		if (locals.session) {
			const db = getDb();
			await invalidateSession(db, locals.session.id);
			await recordSecurityEvent(db, { type: 'logout', userId: locals.session.userId, ...requestContext({ getClientAddress, route, locals }) });
		}
		deleteSessionCookie(cookies, 'top');
		deleteSessionCookie(cookies, 'frame');
		redirect(303, '/login');
	}
} satisfies Actions;

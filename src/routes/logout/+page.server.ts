import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { deleteSessionCookie } from '$lib/server/auth/cookie';

export const load = (() => {
	redirect(303, '/');
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) invalidateSession(getDb(), locals.session.id);
		deleteSessionCookie(cookies);
		redirect(303, '/login');
	}
} satisfies Actions;

import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithUser, requireUser, withUser } from '$lib/server/auth/access';
import { markAllRead, notificationsOf, unreadCount } from '$lib/server/notifications/store';

export const load = withUser((async ({ locals, url }) => {
	const user = requireUser(locals);
	const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
	const db = getDb();
	return { notifications: await notificationsOf(db, user.id, Number.isFinite(page) ? page : 1), unread: await unreadCount(db, user.id) };
}) satisfies PageServerLoad);

export const actions = actionsWithUser({
	readAll: async ({ locals }) => {
		const user = requireUser(locals);
		await markAllRead(getDb(), user.id);
		redirect(303, '/notifications');
	}
}) satisfies Actions;

import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireUser, withUser } from '$lib/server/auth/access';
import { openNotification } from '$lib/server/notifications/store';

/** Opening a notification marks it read and leads to what it is about. Only the user's own: anyone else's is 404. */
export const GET = withUser((async ({ locals, params }) => {
	const user = requireUser(locals);
	const link = await openNotification(getDb(), user.id, params.notificationId);
	if (!link) error(404, { message: 'That notification was not found.' });
	redirect(303, link);
}) satisfies RequestHandler);

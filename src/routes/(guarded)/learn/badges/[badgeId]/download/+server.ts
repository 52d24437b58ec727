import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { badgeCredential } from '$lib/server/badges/issuing';

/** The learner's own signed badge, exactly as issued, as a .json file; another's answers like a missing one. */
export const GET: RequestHandler = withRole('learner', async ({ locals, params }) => {
	const credential = await badgeCredential(getDb(), locals.user!.id, params.badgeId);
	if (!credential) error(404, { message: 'That badge was not found.' });
	return new Response(JSON.stringify(credential, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="open-badge-${params.badgeId.replace(/[^A-Za-z0-9-]/g, '')}.json"`
		}
	});
});

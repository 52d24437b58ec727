import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { libraryEntry } from '$lib/server/authoring';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (async ({ locals, params, url }) => {
	const entry = await libraryEntry(getDb(), locals.user!, params.scenarioId);
	if (!entry) error(404, { message: 'That scenario was not found.' });
	return { entry, published: url.searchParams.get('published')?.slice(0, 100) ?? null };
}) satisfies PageServerLoad);

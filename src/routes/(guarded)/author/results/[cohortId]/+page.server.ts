import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { cohortResults } from '$lib/server/results';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (async ({ locals, params }) => {
	const results = await cohortResults(getDb(), locals.user!.organisationId, params.cohortId);
	if (!results) error(404, { message: 'That cohort was not found.' });
	return { results };
}) satisfies PageServerLoad);

import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { witnessesForAssessor } from '$lib/server/witnesses';

export const load = withRole('assessor', (async ({ locals }) => {
	return { witnesses: await witnessesForAssessor(getDb(), locals.user!.id) };
}) satisfies PageServerLoad);

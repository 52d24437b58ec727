import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { assessedLearner } from '$lib/server/assessment';
import { attemptsOf } from '$lib/server/attempts';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('assessor', (async ({ locals, params }) => {
	const db = getDb();
	const learner = await assessedLearner(db, locals.user!.id, params.learnerId);
	if (!learner) error(404, { message: 'There is no learner you assess at this address.' });
	return { learner: { id: learner.id, name: learner.name }, ended: (await attemptsOf(db, learner.id)).filter((a) => a.status === 'ended').length };
}) satisfies PageServerLoad);

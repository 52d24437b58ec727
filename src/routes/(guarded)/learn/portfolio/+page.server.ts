import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { attemptsOf } from '$lib/server/attempts';
import { documentsOf } from '$lib/server/portfolio/documents';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('learner', (async ({ locals }) => {
	const db = getDb();
	const learnerId = locals.user!.id;
	const attempts = await attemptsOf(db, learnerId);
	return {
		ended: attempts
			.filter((a) => a.status === 'ended')
			.map((a) => ({ id: a.id, title: a.title, endedAt: a.endedAt, passed: a.passed, score: a.score, verdict: a.verdict })),
		inProgress: attempts.filter((a) => a.status === 'in-progress').length,
		documents: await documentsOf(db, learnerId)
	};
}) satisfies PageServerLoad);

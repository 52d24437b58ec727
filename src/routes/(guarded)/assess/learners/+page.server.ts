import { mapInOrder } from '$lib/core/in-order';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { assessedLearners } from '$lib/server/assessment';
import { learnerCoverage } from '$lib/server/coverage';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('assessor', (async ({ locals }) => {
	const db = getDb();
	return {
		learners: await mapInOrder((await assessedLearners(db, locals.user!.id)), async (l) => {
			const coverage = await learnerCoverage(db, l.id);
			return { ...l, signedOff: coverage.filter((row) => row.state === 'signed-off').length, criteria: coverage.length };
		})
	};
}) satisfies PageServerLoad);

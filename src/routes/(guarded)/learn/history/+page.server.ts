import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { attemptsOf } from '$lib/server/attempts';
import { LEARNER_GROUP_LABELS, learnerGroupFilter, learnerGroupOf } from '$lib/server/attempt-counts';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('learner', (async ({ locals, url }) => {
	const attempts = await attemptsOf(getDb(), locals.user!.id);
	const group = learnerGroupFilter(url.searchParams);
	return {
		attempts: group ? attempts.filter((a) => learnerGroupOf(a.standing) === group) : attempts,
		total: attempts.length,
		filter: group ? { group, label: LEARNER_GROUP_LABELS[group] } : null
	};
}) satisfies PageServerLoad);

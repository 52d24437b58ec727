import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { listCohorts } from '$lib/server/cohorts';
import { endedAttemptCount } from '$lib/server/results';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (({ locals }) => {
	const db = getDb();
	return { cohorts: listCohorts(db, locals.user!.organisationId).map((c) => ({ ...c, attempts: endedAttemptCount(db, c.id) })) };
}) satisfies PageServerLoad);

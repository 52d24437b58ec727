import { mapInOrder } from '$lib/core/in-order';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { listCohorts } from '$lib/server/cohorts';
import { endedAttemptCount } from '$lib/server/results';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (async ({ locals }) => {
	const db = getDb();
	return { cohorts: await mapInOrder((await listCohorts(db, locals.user!.organisationId)), async (c) => ({ ...c, attempts: await endedAttemptCount(db, c.id) })) };
}) satisfies PageServerLoad);

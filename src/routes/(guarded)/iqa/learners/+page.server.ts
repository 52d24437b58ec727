import { mapInOrder } from '$lib/core/in-order';
import { dbAll } from '$lib/core/database';
import { count, eq } from 'drizzle-orm';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { iqaSample } from '$lib/server/db/quality';
import { cohortsOfUser } from '$lib/server/user-admin';
import { LEARNER_STATUS_LABELS, learnerStandingOf, learnersOf } from '$lib/server/retention/records';

/** The centre's learners for the IQA: cohorts, where they stand, how much of their work is sampled, and the evidence pack. */
export const load = withRole('iqa', (async ({ locals }) => {
	const db = getDb();
	const samples = new Map(
		(await dbAll(db
			.select({ learnerId: iqaSample.learnerId, n: count() })
			.from(iqaSample)
			.where(eq(iqaSample.organisationId, locals.user!.organisationId))
			.groupBy(iqaSample.learnerId)))
			.map((r) => [r.learnerId, r.n])
	);
	const learners = await mapInOrder(await learnersOf(db, locals.user!.organisationId), async (l) => {
		const standing = await learnerStandingOf(db, l.id);
		return {
			...l,
			cohorts: (await cohortsOfUser(db, l.id))
				.filter((c) => c.role === 'learner')
				.map((c) => c.name),
			status: standing.status,
			statusOn: standing.statusOn,
			certifiedOn: standing.certifiedOn,
			samples: samples.get(l.id) ?? 0
		};
	});
	return { learners, statusLabels: LEARNER_STATUS_LABELS };
}) satisfies PageServerLoad);

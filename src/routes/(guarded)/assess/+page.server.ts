import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { QUEUE_STATE_LABELS, OUTCOME_LABELS, QUEUE_STATES, assessmentQueue, countersignaturesToGive, queueFilters } from '$lib/server/assessment';
import { withRole } from '$lib/server/auth/access';
import { assessorCounts } from '$lib/server/attempt-counts';
import { workplaceCountersignaturesToGive, workplaceQueue } from '$lib/server/workplace/review';

export const load = withRole('assessor', (async ({ locals, url }) => {
	const filters = queueFilters(url.searchParams);
	const db = getDb();
	const queue = await assessmentQueue(db, locals.user!.id, filters);
	const home = await assessorCounts(db, locals.user!.id);
	return {
		home,
		name: locals.user!.displayName,
		filters: { learner: filters.learnerId ?? '', scenario: filters.scenarioId ?? '', state: filters.state ?? '' },
		filtered: Boolean(filters.learnerId || filters.scenarioId || filters.state),
		states: QUEUE_STATES.map((state) => ({ state, label: QUEUE_STATE_LABELS[state], count: queue.counts[state] })),
		outcomeLabels: OUTCOME_LABELS,
		/** Trainees' decisions this (qualified) assessor may countersign. */
		toCountersign: await countersignaturesToGive(db, locals.user!.id),
		/** Workplace evidence of the assessor's learners, beside the attempts (issue 17). */
		workplace: await workplaceQueue(db, locals.user!.id),
		workplaceToCountersign: await workplaceCountersignaturesToGive(db, locals.user!.id),
		...queue
	};
}) satisfies PageServerLoad);

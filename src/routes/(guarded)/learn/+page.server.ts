import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { attemptsOf } from '$lib/server/attempts';
import { coverageCounts, learnerCoverage } from '$lib/server/coverage';
import type { AttemptSummary } from '$lib/views/learning';
import { currentScenarios } from '$lib/server/scenarios';
import { assignmentsOfLearner } from '$lib/server/cohorts';
import { withRole } from '$lib/server/auth/access';
import { learnerCounts, overdueAssignments } from '$lib/server/attempt-counts';

/** The learner's best ended attempt at a scenario: a pass before a fail, then the higher score. */
function best(attempts: readonly AttemptSummary[]): AttemptSummary | undefined {
	const ended = attempts.filter((a) => a.status === 'ended');
	return ended.sort((a, b) => Number(b.passed) - Number(a.passed) || (b.score ?? 0) - (a.score ?? 0))[0];
}

export const load = withRole('learner', (async ({ locals }) => {
	const user = locals.user!;
	const db = getDb();
	const scenarios = await currentScenarios(db);
	const attempts = await attemptsOf(db, user.id);
	const coverage = await learnerCoverage(db, user.id);
	return {
		name: user.displayName,
		counts: await learnerCounts(db, { id: user.id, name: user.displayName }, attempts),
		assignments: await assignmentsOfLearner(db, user.id),
		/** The assignments the counts call overdue, marked so in the list. */
		overdue: (await overdueAssignments(db, { id: user.id, name: user.displayName })).map((o) => o.scenarioId),
		scenarios: scenarios.map((s) => {
			const mine = attempts.filter((a) => a.scenarioId === s.scenarioId);
			return {
				id: s.scenarioId,
				title: s.title,
				difficulty: s.difficulty,
				criteria: s.criteria,
				attempts: mine.length,
				best: best(mine) ?? null,
				inProgress: mine.find((a) => a.status === 'in-progress')?.id ?? null
			};
		}),
		inProgress: attempts.filter((a) => a.status === 'in-progress'),
		coverage: coverageCounts(coverage),
		criteriaTotal: coverage.length
	};
}) satisfies PageServerLoad);

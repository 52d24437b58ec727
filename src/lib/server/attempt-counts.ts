/**
 * Where am I: the counts on the learner's and the assessor's home pages, each linking to the list it
 * counts. Counted from the statuses server/attempt-status.ts decides, so a count and the badges in
 * the list it links to always agree.
 */
import { mapInOrder } from '$lib/core/in-order';
import { dbAll } from '$lib/core/database';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import type { AttemptSummary } from '$lib/views/learning';
import type { AttemptState, AttemptStatus, HomeCount, OverdueAssignment } from '$lib/views/attempt-status';
import { attemptStatuses } from '$lib/server/attempt-status';
import { assignmentsOfLearner } from '$lib/server/cohorts';
import { learnersAssessedBy } from '$lib/server/cohort-membership';
import { assessmentQueue } from '$lib/server/assessment/queue';

/** The groups the learner's home counts and their history filters by. */
export const LEARNER_GROUPS = ['in-progress', 'awaiting', 'resubmission'] as const;
export type LearnerGroup = (typeof LEARNER_GROUPS)[number];
export const LEARNER_GROUP_LABELS: Record<LearnerGroup, string> = {
	'in-progress': 'In progress',
	awaiting: 'Awaiting assessment',
	resubmission: 'Resubmission asked'
};

/** States in which the attempt has been handed in: an assignment with one is not overdue. */
const HANDED_IN: readonly AttemptState[] = ['submitted', 'being-assessed', 'awaiting-countersignature', 'sent-back', 'signed-off', 'not-yet-met', 'resubmission-asked'];

export function learnerGroupOf(status: AttemptStatus): LearnerGroup | null {
	switch (status.state) {
		case 'in-progress':
		case 'reflecting':
			return 'in-progress';
		case 'submitted':
		case 'being-assessed':
		// A trainee's decision not yet countersigned is still, for the learner, awaiting assessment.
		case 'awaiting-countersignature':
		case 'sent-back':
			return 'awaiting';
		case 'resubmission-asked':
			return 'resubmission';
		case 'not-yet-met':
			// Not yet competent asks for another go, until the learner has started one.
			return status.tone === 'red' ? 'resubmission' : null;
		default:
			return null;
	}
}

/** A history filter from a URL's query: one of the groups, or undefined for everything. */
export function learnerGroupFilter(params: URLSearchParams): LearnerGroup | undefined {
	const value = params.get('state');
	return (LEARNER_GROUPS as readonly string[]).includes(value ?? '') ? (value as LearnerGroup) : undefined;
}

/** The learner's assignments past their due date with no attempt at the scenario handed in. */
export async function overdueAssignments(db: Db, learner: { id: string; name: string }, now = new Date()): Promise<OverdueAssignment[]> {
	const overdue = (await assignmentsOfLearner(db, learner.id, now)).filter((a) => a.daysLeft < 0);
	if (overdue.length === 0) return [];
	const rows = await dbAll(db.select({ id: attempt.id, scenarioId: attempt.scenarioId }).from(attempt).where(eq(attempt.ownerId, learner.id)));
	const statuses = await attemptStatuses(db, rows.map((r) => r.id), 'learner');
	const handedIn = new Set(rows.filter((r) => HANDED_IN.includes(statuses.get(r.id)!.state)).map((r) => r.scenarioId));
	return overdue
		.filter((a) => !handedIn.has(a.scenarioId))
		.map((a) => ({ learnerId: learner.id, learnerName: learner.name, scenarioId: a.scenarioId, title: a.title, dueOn: a.dueOn, daysOverdue: -a.daysLeft }));
}

/** The learner's home counts, from their attempts (server/attempts.ts attemptsOf) and assignments. */
export async function learnerCounts(db: Db, learner: { id: string; name: string }, attempts: readonly AttemptSummary[], now = new Date()): Promise<HomeCount[]> {
	const count = (group: LearnerGroup) => attempts.filter((a) => learnerGroupOf(a.standing) === group).length;
	return [
		{ key: 'in-progress', label: LEARNER_GROUP_LABELS['in-progress'], count: count('in-progress'), href: '/learn/history?state=in-progress', tone: 'red' },
		{ key: 'awaiting', label: LEARNER_GROUP_LABELS.awaiting, count: count('awaiting'), href: '/learn/history?state=awaiting', tone: 'amber' },
		{ key: 'resubmission', label: LEARNER_GROUP_LABELS.resubmission, count: count('resubmission'), href: '/learn/history?state=resubmission', tone: 'red' },
		{ key: 'overdue', label: 'Overdue assignments', count: (await overdueAssignments(db, learner, now)).length, href: '/learn#your-assignments', tone: 'red' }
	];
}

/** The assessor's home counts, and the overdue assignments of the learners they assess (listed on the page). */
export async function assessorCounts(db: Db, assessorId: string, now = new Date()): Promise<{ counts: HomeCount[]; overdue: OverdueAssignment[] }> {
	const queue = await assessmentQueue(db, assessorId);
	const overdue = (await mapInOrder((await learnersAssessedBy(db, assessorId))
		.filter((l) => l.id !== assessorId), async (l) => await overdueAssignments(db, { id: l.id, name: l.displayName }, now))).flat()
		.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.learnerName.localeCompare(b.learnerName));
	return {
		counts: [
			{ key: 'to-mark', label: 'To mark', count: queue.counts.awaiting, href: '/assess?state=awaiting', tone: 'red' },
			{ key: 'resubmissions', label: 'Resubmissions waiting for the learner', count: queue.counts['resubmission-requested'], href: '/assess?state=resubmission-requested', tone: 'amber' },
			{ key: 'overdue', label: 'Overdue assignments of your learners', count: overdue.length, href: '/assess#overdue', tone: 'red' }
		],
		overdue
	};
}

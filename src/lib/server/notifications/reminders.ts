/**
 * Assignment reminders: due in 3 days, and overdue. The scheduled work (croner, in every instance)
 * ticks every 15 minutes (JOBS_SCHEDULE) and at start-up, and each job runs once across instances
 * (server/jobs/lease.ts). Each reminder is also one notification per learner, kind and assignment
 * due date (store.ts's unique key), so a second run — or a run after a restart — inserts nothing.
 * A new due date is a new subject, so a learner whose deadline moved hears again.
 */
import { scheduleLeased, periodOf, type ScheduledJob } from '$lib/server/jobs/lease';
import { disposeDueRecords } from '$lib/server/retention/records';
import { and, eq, isNull } from 'drizzle-orm';
import { dbAll, writeTransaction, type Db } from '$lib/core/database';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';
import { assignmentsOfLearner } from '$lib/server/cohorts';
import { overdueAssignments } from '$lib/server/attempt-counts';
import { notify } from './store';
import { deliverPendingMail } from './mail';
import { pickSamplesForAllPlans } from '$lib/server/iqa/sampling';
import { remindIqaActions } from './iqa';
import { remindEqaAccessEnding } from '$lib/server/eqa/grants';
import { GRADE_RETURN_JOB } from '$lib/server/lti/services/grade-return';
import { processBadgeChecks } from '$lib/server/badges/issuing';
import { badgeOrigin } from '$lib/server/badges/issuer';

/** How many days ahead a learner is reminded of an assignment not yet done. */
export const DUE_SOON_DAYS = 3;

/** Every 15 minutes, on the quarter hour (JOBS_SCHEDULE changes it). */
export const REMINDER_SCHEDULE = '*/15 * * * *';

/** A run that takes longer than this counts as dead (its instance stopped), and another instance takes the job over. */
const LEASE_MS = 10 * 60_000;

/**
 * The work of each tick, in order: reminders and picks first, so the e-mail they ask for goes out on
 * the same tick. Each job is claimed on its own, so one that fails never stops the others.
 */
export function reminderJobs(periodMs: number): ScheduledJob[] {
	const job = (name: string, label: string, run: (db: Db) => unknown): ScheduledJob => ({ name, label, periodMs, leaseMs: LEASE_MS, run });
	return [
		job('assignment-reminders', 'Assignment reminders (due soon, overdue)', async (db) => await remindAssignments(db)),
		// The sampling plans' rule picks: here, on the job's clock, never on reading a page.
		job('sampling-picks', 'Sampling plans’ rule picks', async (db) => await pickSamplesForAllPlans(db)),
		job('iqa-action-reminders', 'IQA actions due and overdue', async (db) => await remindIqaActions(db)),
		job('eqa-access-reminders', 'EQA access ending', async (db) => await remindEqaAccessEnding(db)),
		job('notification-mail', 'Notification e-mail still to send', (db) => deliverPendingMail(db)),
		// Scores and signed decisions for the LMS gradebooks (issue 20), with retries and a growing wait;
		// also kicked just after each commit that queues one, under the same lease.
		GRADE_RETURN_JOB,
		// Open Badges for units signed off since the last tick (a learner opening their badges gets theirs at once).
		job('badge-issuing', 'Open Badges for units signed off', async (db) => await processBadgeChecks(db, badgeOrigin())),
		// The centre's records past their retention period (issue 17 item 7); idempotent.
		job('records-disposal', 'Disposal of records past their retention period', (db) => disposeDueRecords(db, null, null))
	];
}

/** Creates the reminders due now; returns how many notifications were new. */
export async function remindAssignments(db: Db, now = new Date()): Promise<number> {
	const learners = await dbAll(db
		.selectDistinct({ id: user.id, name: user.displayName })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.where(and(eq(cohortMember.role, 'learner'), isNull(cohort.archivedAt), eq(user.active, true))));
	let added = 0;
	for (const learner of learners) {
		await writeTransaction(db, async () => {
			for (const a of await assignmentsOfLearner(db, learner.id, now)) {
				if (a.status === 'done' || a.daysLeft < 0 || a.daysLeft > DUE_SOON_DAYS) continue;
				const when = a.daysLeft === 0 ? 'today' : a.daysLeft === 1 ? 'tomorrow' : `in ${a.daysLeft} days`;
				added += await notify(db, [learner.id], { kind: 'assignment-due', subject: `${a.scenarioId}@${a.dueOn}`, title: `Due ${when} (${a.dueOn}): ${a.title}`, link: `/learn/scenarios/${a.scenarioId}` }, now);
			}
			for (const a of await overdueAssignments(db, learner, now)) {
				added += await notify(db, [learner.id], { kind: 'assignment-overdue', subject: `${a.scenarioId}@${a.dueOn}`, title: `Overdue since ${a.dueOn}: ${a.title}`, link: `/learn/scenarios/${a.scenarioId}` }, now);
			}
		});
	}
	return added;
}

/** JOBS_SCHEDULE as set, or every 15 minutes; a pattern croner cannot read stops the start, naming the setting. */
export function jobsSchedule(setting: string | undefined): string {
	const pattern = setting?.trim() || REMINDER_SCHEDULE;
	try {
		periodOf(pattern);
	} catch (error) {
		throw new Error(`JOBS_SCHEDULE "${pattern}" is not a croner pattern: ${error instanceof Error ? error.message : String(error)}`);
	}
	return pattern;
}

/**
 * Starts the reminder jobs on `schedule` (a croner pattern; six fields give seconds) in this instance,
 * and runs them once now; returns a function that stops them. A pattern croner cannot read throws.
 */
export function scheduleReminders(db: Db, schedule: string = REMINDER_SCHEDULE): () => void {
	return scheduleLeased(db, schedule, reminderJobs(periodOf(schedule)));
}

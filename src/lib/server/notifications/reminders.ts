/**
 * Assignment reminders: due in 3 days, and overdue. A scheduled job (croner, in-process) runs every
 * 15 minutes and at start-up; each reminder is one notification per learner, kind and assignment
 * due date (store.ts's unique key), so a second run — or a run after a restart — inserts nothing.
 * A new due date is a new subject, so a learner whose deadline moved hears again.
 */
import { Cron } from 'croner';
import { disposeDueRecords } from '$lib/server/retention/records';
import { and, eq, isNull } from 'drizzle-orm';
import { writeTransaction, type Db } from '$lib/core/database';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';
import { assignmentsOfLearner } from '$lib/server/cohorts';
import { overdueAssignments } from '$lib/server/attempt-counts';
import { notify } from './store';
import { deliverPendingMail } from './mail';
import { pickSamplesForAllPlans } from '$lib/server/iqa/sampling';
import { remindIqaActions } from './iqa';

/** How many days ahead a learner is reminded of an assignment not yet done. */
export const DUE_SOON_DAYS = 3;

/** Every 15 minutes, on the quarter hour. */
export const REMINDER_SCHEDULE = '*/15 * * * *';

/** Creates the reminders due now; returns how many notifications were new. */
export function remindAssignments(db: Db, now = new Date()): number {
	const learners = db
		.selectDistinct({ id: user.id, name: user.displayName })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.where(and(eq(cohortMember.role, 'learner'), isNull(cohort.archivedAt), eq(user.active, true)))
		.all();
	let added = 0;
	for (const learner of learners) {
		writeTransaction(db, () => {
			for (const a of assignmentsOfLearner(db, learner.id, now)) {
				if (a.status === 'done' || a.daysLeft < 0 || a.daysLeft > DUE_SOON_DAYS) continue;
				const when = a.daysLeft === 0 ? 'today' : a.daysLeft === 1 ? 'tomorrow' : `in ${a.daysLeft} days`;
				added += notify(db, [learner.id], { kind: 'assignment-due', subject: `${a.scenarioId}@${a.dueOn}`, title: `Due ${when} (${a.dueOn}): ${a.title}`, link: `/learn/scenarios/${a.scenarioId}` }, now);
			}
			for (const a of overdueAssignments(db, learner, now)) {
				added += notify(db, [learner.id], { kind: 'assignment-overdue', subject: `${a.scenarioId}@${a.dueOn}`, title: `Overdue since ${a.dueOn}: ${a.title}`, link: `/learn/scenarios/${a.scenarioId}` }, now);
			}
		});
	}
	return added;
}

/** Starts the reminder job (and runs it once now); returns a function that stops it. */
export function scheduleReminders(db: Db): () => void {
	const run = async () => {
		try {
			remindAssignments(db);
			// The sampling plans' rule picks: here, on the job's clock, never on reading a page.
			pickSamplesForAllPlans(db);
			remindIqaActions(db);
			await deliverPendingMail(db);
			// The centre's records past their retention period (issue 17 item 7); idempotent.
			await disposeDueRecords(db, null, null);
		} catch (error) {
			process.stderr.write(JSON.stringify({ t: new Date().toISOString(), task: 'notification-reminders', error: error instanceof Error ? error.message : String(error) }) + '\n');
		}
	};
	// protect: a run still going when the next is due is not overlapped; unref: never keeps the process alive.
	const job = new Cron(REMINDER_SCHEDULE, { protect: true, unref: true, timezone: 'UTC' }, run);
	void run();
	return () => job.stop();
}

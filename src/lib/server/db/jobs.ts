/**
 * Work shared by several app instances on one database (issue 18 item 3): job names, instance ids,
 * times, and the user ids of renders under way.
 */
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const JOB_OUTCOMES = ['ok', 'failed'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

/**
 * One row per scheduled job: who holds it now (until `leaseExpiresAt`), and how its last run went.
 * An instance runs a job only after claiming this row (server/jobs/lease.ts), so a job runs once
 * across instances; a holder that dies leaves a lease that expires, and another instance takes over.
 */
export const jobLease = sqliteTable('job_lease', {
	job: text('job').primaryKey(),
	/** The instance running the job now; null once it finished. */
	holder: text('holder'),
	/** ISO time after which the holder counts as dead; null once it finished. */
	leaseExpiresAt: text('lease_expires_at'),
	lastStartedAt: text('last_started_at').notNull(),
	lastStartedBy: text('last_started_by').notNull(),
	lastFinishedAt: text('last_finished_at'),
	lastOutcome: text('last_outcome', { enum: JOB_OUTCOMES }),
	/** The error of a failed run: its message, at most 500 characters, shown to administrators (a job's own failures, such as one e-mail not sent, are handled inside it). */
	lastError: text('last_error')
});
export type JobLease = typeof jobLease.$inferSelect;

/**
 * A portfolio PDF or evidence pack being made for a user (server/portfolio/capacity.ts): one at a time
 * per user across every instance. The slot expires, so an instance that dies mid-render frees it.
 */
export const renderSlot = sqliteTable('render_slot', {
	userId: text('user_id').primaryKey(),
	/** A random id per render, so a render that outlived its slot never frees the next one. */
	token: text('token').notNull(),
	holder: text('holder').notNull(),
	expiresAt: text('expires_at').notNull()
});

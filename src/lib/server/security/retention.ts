import { dbGet, dbRun } from '$lib/core/database';
import { lt, max } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '$lib/core/database';
import { scheduleLeased, type ScheduledJob } from '$lib/server/jobs/lease';
import { organisation, securityEvent } from '$lib/server/db/schema';

/**
 * How long the security event log keeps an event (OWASP ASVS 5.0 §16.4: logs are protected and
 * kept for a documented period). The centre chooses the period; events older than it are pruned, and
 * the database itself refuses to delete a younger one (trigger in drizzle/0012).
 */

/** A month at least: an incident is often noticed weeks after it happened. Ten years at most. */
export const SECURITY_LOG_RETENTION_MIN_DAYS = 30;
export const SECURITY_LOG_RETENTION_MAX_DAYS = 3650;
const DEFAULT_RETENTION_DAYS = 365;
const MS_PER_DAY = 86_400_000;

/** The setting as the settings form sends it (text), or as a number. */
export const securityLogRetentionDays = z.preprocess(
	(value) => (typeof value === 'number' ? String(value) : value),
	z
		.string({ error: 'Enter how many days the security log keeps an event.' })
		.trim()
		.min(1, 'Enter how many days the security log keeps an event.')
		.regex(/^\d{1,6}$/, 'Enter the period as a whole number of days, like 365.')
		.transform(Number)
		.refine(
			(n) => n >= SECURITY_LOG_RETENTION_MIN_DAYS && n <= SECURITY_LOG_RETENTION_MAX_DAYS,
			`Keep events from ${SECURITY_LOG_RETENTION_MIN_DAYS} to ${SECURITY_LOG_RETENTION_MAX_DAYS} days (about ten years).`
		)
);

/**
 * Deletes the events older than the retention period and says how many went. The period is the
 * longest any centre in the database chose, as the trigger reads it: the log is the installation's.
 */
export async function pruneSecurityEvents(db: Db, now = new Date()): Promise<number> {
	const days = (await dbGet(db.select({ days: max(organisation.securityLogRetentionDays) }).from(organisation)))?.days ?? DEFAULT_RETENTION_DAYS;
	// The trigger measures the period from the database's clock: a `now` ahead of it must not ask for
	// a delete the trigger would refuse (and so abort the whole statement).
	const cutoff = new Date(Math.min(now.getTime(), Date.now()) - days * MS_PER_DAY).toISOString();
	return (await dbRun(db.delete(securityEvent).where(lt(securityEvent.at, cutoff)))).changes;
}

/**
 * Once a day across the instances on this database: every instance checks each hour (and at start)
 * and the one whose claim wins prunes (server/jobs/lease.ts), so an instance that stopped is covered
 * by the others within the hour.
 */
export const SECURITY_LOG_PRUNING: ScheduledJob = {
	name: 'security-log-pruning',
	label: 'Pruning of the security log',
	periodMs: MS_PER_DAY,
	leaseMs: 10 * 60_000,
	run: async (db) => await pruneSecurityEvents(db)
};

/** Checks every hour on the hour; the timer never keeps the process alive. Returns the stop. */
export function scheduleSecurityLogPruning(db: Db, schedule = '0 * * * *'): () => void {
	return scheduleLeased(db, schedule, [SECURITY_LOG_PRUNING]);
}

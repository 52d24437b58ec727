/**
 * Every scheduled job of the app, as the administrator sees it: what it is, when it last ran, on
 * which instance, and how it went (job_lease, written by server/jobs/lease.ts).
 */
import type { Db } from '$lib/core/database';
import type { ScheduledWorkEntry } from '$lib/views/admin';
import { reminderJobs, REMINDER_SCHEDULE } from '$lib/server/notifications/reminders';
import { SECURITY_LOG_PRUNING } from '$lib/server/security/retention';
import { XAPI_DELIVERY } from '$lib/server/xapi/outbox';
import { periodOf, scheduledWork } from './lease';

/** Each job once, in the order a tick runs them. */
function jobs(): { name: string; label: string }[] {
	return [...reminderJobs(periodOf(REMINDER_SCHEDULE)), SECURITY_LOG_PRUNING, XAPI_DELIVERY];
}

export async function scheduledWorkView(db: Db, now: Date = new Date()): Promise<ScheduledWorkEntry[]> {
	const rows = new Map((await scheduledWork(db)).map((row) => [row.job, row]));
	return jobs().map(({ name, label }) => {
		const row = rows.get(name);
		if (!row) return { job: name, label, state: 'not-run', lastStartedAt: null, lastStartedBy: null, lastFinishedAt: null, error: null };
		const state: ScheduledWorkEntry['state'] = row.holder
			? row.leaseExpiresAt && row.leaseExpiresAt > now.toISOString()
				? 'running'
				: 'stalled'
			: (row.lastOutcome ?? 'ok');
		return { job: name, label, state, lastStartedAt: row.lastStartedAt, lastStartedBy: row.lastStartedBy, lastFinishedAt: row.lastFinishedAt, error: row.lastError };
	});
}

/**
 * Scheduled work that runs once across app instances on one database (issue 18 item 3). Every
 * instance keeps the same timer; at each tick it tries to claim the job's row in job_lease, and only
 * the instance whose claim wins runs it. A claim wins when nobody holds an unexpired lease and no run
 * started less than the job's period (less a little, for clocks and timers that drift) ago: so two
 * instances ticking together run it once, and a restart does not run it again early. The holder
 * records how the run went and releases the lease; a holder that dies leaves a lease that expires
 * after `leaseMs`, and the next tick of another instance takes the job over.
 *
 * The claim is one INSERT … ON CONFLICT DO UPDATE … WHERE statement: atomic on SQLite (one writer)
 * and on PostgreSQL (the conflicting row is locked and the WHERE re-checked), so no two claims win.
 */
import { errorText } from '$lib/core/error-text';
import { and, eq, isNull, lte, or } from 'drizzle-orm';
import { Cron } from 'croner';
import { dbAll, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { jobLease, type JobLease } from '$lib/server/db/jobs';
import { instanceId } from './instance';

export interface LeasedJob {
	/** The job's key in job_lease. */
	name: string;
	/** How often it should run: a run is due once the last one started this long ago (less the drift allowance). */
	periodMs: number;
	/** How long a run may take before its holder counts as dead and another instance may take over. */
	leaseMs: number;
}

export type RunOutcome = { ran: false } | { ran: true; ok: true } | { ran: true; ok: false; error: string };

/** Clocks of instances and their timers drift: a fifth of the period, at most a minute, is allowed. */
export function driftAllowanceMs(periodMs: number): number {
	return Math.min(Math.floor(periodMs / 5), 60_000);
}

/** Claims the job for `holder` if it is due and free; true when this claim won. */
export async function claimJob(db: Db, job: LeasedJob, holder: string, now: Date = new Date()): Promise<boolean> {
	const at = now.toISOString();
	const dueIfStartedBefore = new Date(now.getTime() - job.periodMs + driftAllowanceMs(job.periodMs)).toISOString();
	const claim = { holder, leaseExpiresAt: new Date(now.getTime() + job.leaseMs).toISOString(), lastStartedAt: at, lastStartedBy: holder };
	return (await writeTransaction(db, async () =>
		await dbAll(db
			.insert(jobLease)
			.values({ job: job.name, ...claim })
			.onConflictDoUpdate({
				target: jobLease.job,
				set: claim,
				setWhere: and(or(isNull(jobLease.holder), lte(jobLease.leaseExpiresAt, at)), lte(jobLease.lastStartedAt, dueIfStartedBefore))
			})
			.returning({ job: jobLease.job }))
	)).length === 1;
}

/**
 * Records how the holder's run went and releases the lease. A holder whose lease expired and was taken
 * over records nothing: the row is the new holder's now.
 */
export async function finishJob(db: Db, name: string, holder: string, outcome: { ok: true } | { ok: false; error: string }, now: Date = new Date()): Promise<void> {
	await writeTransaction(db, async () =>
		await dbRun(db
			.update(jobLease)
			.set({ holder: null, leaseExpiresAt: null, lastFinishedAt: now.toISOString(), lastOutcome: outcome.ok ? 'ok' : 'failed', lastError: outcome.ok ? null : outcome.error })
			.where(and(eq(jobLease.job, name), eq(jobLease.holder, holder))))
	);
}

export interface RunOptions {
	/** This instance (default: instanceId()). */
	holder?: string;
	/** The clock (tests move it). */
	clock?: () => Date;
}

/** Runs the job here if this instance wins the claim; a failing run is recorded, logged and released. */
export async function runLeased(db: Db, job: LeasedJob, run: () => unknown, { holder = instanceId(), clock = () => new Date() }: RunOptions = {}): Promise<RunOutcome> {
	if (!await claimJob(db, job, holder, clock())) return { ran: false };
	let outcome: { ok: true } | { ok: false; error: string };
	try {
		await run();
		outcome = { ok: true };
	} catch (error) {
		outcome = { ok: false, error: errorText(error).slice(0, 500) };
		process.stderr.write(JSON.stringify({ t: clock().toISOString(), task: job.name, instance: holder, error: outcome.error }) + '\n');
	}
	await finishJob(db, job.name, holder, outcome, clock());
	return { ran: true, ...outcome };
}

/**
 * The shortest gap between the pattern's next runs (croner, UTC; six fields give seconds): the
 * period of a job ticking on it.
 */
export function periodOf(pattern: string, from: Date = new Date()): number {
	const runs = new Cron(pattern, { timezone: 'UTC', paused: true }).nextRuns(8, from);
	let shortest = Infinity;
	for (let i = 1; i < runs.length; i++) shortest = Math.min(shortest, runs[i]!.getTime() - runs[i - 1]!.getTime());
	if (!Number.isFinite(shortest)) throw new Error(`The schedule "${pattern}" does not repeat.`);
	return shortest;
}

/** A job the schedule runs: its lease, its name in words for the administrator, and the work. */
export interface ScheduledJob extends LeasedJob {
	label: string;
	run: (db: Db) => unknown;
}

/**
 * Ticks on `pattern` (and once now) in every instance; at each tick runs the jobs in order, each
 * where its own claim wins, so one failing job never stops the next. The timer never keeps the
 * process alive, and a tick still going here is not overlapped. Returns the stop.
 */
export function scheduleLeased(db: Db, pattern: string, jobs: readonly ScheduledJob[], options: RunOptions = {}): () => void {
	const tick = async () => {
		for (const job of jobs) {
			try {
				await runLeased(db, job, () => job.run(db), options);
			} catch (error) {
				// The claim or the record of the finish failed (the database is gone or locked for too long):
				// the next tick tries again; an unreleased lease expires.
				process.stderr.write(JSON.stringify({ t: new Date().toISOString(), task: job.name, error: errorText(error) }) + '\n');
			}
		}
	};
	const timer = new Cron(pattern, { protect: true, unref: true, timezone: 'UTC' }, tick);
	void tick();
	return () => timer.stop();
}

/** Every job's row, for the administrator's "Scheduled work" table. */
export async function scheduledWork(db: Db): Promise<JobLease[]> {
	return await dbAll(db.select().from(jobLease).orderBy(jobLease.job));
}

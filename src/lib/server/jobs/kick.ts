/**
 * A kick: a leased job run just after the current transaction commits, off the request, so work the
 * transaction queued (an xAPI statement, a grade for the LMS) goes out at once rather than at the
 * next scheduled tick, and the request's answer never waits for the peer. The run takes the job's
 * lease (lease.ts) like the tick does, so a kick, the tick and other instances never run it at once.
 *
 * At most one kick per job and database is under way in a process: a kick asked for while one runs
 * asks it to go round again. A kick that finds the lease held (the tick, or another instance, may
 * have read its queue before this commit) tries again as the holder's lease would run out, waiting
 * longer each time. Failures are logged, never thrown: the scheduled tick takes what is left.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterCommit, type Db } from '$lib/core/database';
import { errorText } from '$lib/core/error-text';
import { runLeased, type LeasedJob } from './lease';

/** One run of the job's work, under its lease; true when it stopped with more due (a full batch). */
export type KickRun = (db: Db) => Promise<boolean>;

/** Rounds one kick runs at most while batches come back full or kicks keep arriving. */
const MAX_ROUNDS = 20;
/** The first wait for a lease another runner holds; each wait doubles, to at most a minute. */
const FIRST_WAIT_MS = 500;
const LONGEST_WAIT_MS = 60_000;

interface Kick {
	running: Promise<void>;
	/** A kick arrived while this one ran: go round once more. */
	again: boolean;
}

/** Kicks under way in this process, per job name and database. */
const underWay = new Map<string, Map<Db, Kick>>();

function kicksOf(job: LeasedJob): Map<Db, Kick> {
	let kicks = underWay.get(job.name);
	if (!kicks) underWay.set(job.name, (kicks = new Map()));
	return kicks;
}

async function drive(db: Db, job: LeasedJob, run: KickRun, kick: Kick): Promise<void> {
	// Let the request that committed answer first.
	await new Promise((done) => setImmediate(done));
	let waited = 0;
	let wait = FIRST_WAIT_MS;
	for (let round = 0; round < MAX_ROUNDS; ) {
		kick.again = false;
		let more = false;
		const outcome = await runLeased(db, job, async () => void (more = await run(db)));
		if (!outcome.ran) {
			// Held since before the lease could run out: the holder is dead, and the tick takes it over.
			if (waited >= job.leaseMs) return;
			await sleep(wait, undefined, { ref: false });
			waited += wait;
			wait = Math.min(wait * 2, LONGEST_WAIT_MS);
			continue;
		}
		round++;
		if (!outcome.ok || !(kick.again || more)) return;
	}
}

/**
 * Runs the job soon after the current transaction commits (at once outside one); nothing if the
 * transaction rolls back. `run` is the job's work, given the database.
 */
export function kickAfterCommit(db: Db, job: LeasedJob, run: KickRun): void {
	afterCommit(() => {
		const kicks = kicksOf(job);
		const under = kicks.get(db);
		if (under) {
			under.again = true;
			return;
		}
		const kick: Kick = { running: Promise.resolve(), again: false };
		kick.running = drive(db, job, run, kick)
			.catch((error: unknown) => {
				process.stderr.write(JSON.stringify({ t: new Date().toISOString(), task: job.name, kick: true, error: errorText(error) }) + '\n');
			})
			.finally(() => kicks.delete(db));
		kicks.set(db, kick);
	});
}

/** Resolves once this process's kicks of the job on the database have finished (tests; a graceful stop). */
export async function kicksSettled(db: Db, job: LeasedJob): Promise<void> {
	for (let kick = underWay.get(job.name)?.get(db); kick; kick = underWay.get(job.name)?.get(db)) await kick.running;
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { dbGet, dbRun, type Db } from '$lib/core/database';
import { closeTestDatabase, openSharedTestDatabase } from '$lib/core/testing-database';
import { jobLease } from '$lib/server/db/jobs';
import { claimJob, driftAllowanceMs, finishJob, periodOf, runLeased, scheduledWork, type LeasedJob } from './lease';

/** Two connections on one database (a file, or a PostgreSQL database) stand for two app instances. */
let one: Db;
let two: Db;

beforeEach(async () => {
	[one, two] = (await openSharedTestDatabase(2)) as [Db, Db];
});

afterEach(() => {
	closeTestDatabase(one);
	closeTestDatabase(two);
});

const JOB: LeasedJob = { name: 'reminders', periodMs: 15 * 60_000, leaseMs: 10 * 60_000 };
const T0 = Date.parse('2026-06-01T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);

describe('claiming a scheduled job across instances', () => {
	it('lets exactly one of two instances ticking together run the job', async () => {
		const runs: string[] = [];
		const outcomes = await Promise.all([
			runLeased(one, JOB, async () => void runs.push('one'), { holder: 'one', clock: () => at(0) }),
			runLeased(two, JOB, async () => void runs.push('two'), { holder: 'two', clock: () => at(0) })
		]);
		expect(runs).toHaveLength(1);
		expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
		expect(await scheduledWork(two)).toEqual([expect.objectContaining({ job: 'reminders', holder: null, lastStartedBy: runs[0], lastOutcome: 'ok' })]);
	});

	it('does not run again inside the period, and runs at the next tick after it', async () => {
		let runs = 0;
		const run = () => void runs++;
		await runLeased(one, JOB, run, { holder: 'one', clock: () => at(0) });
		// A restart of the other instance five minutes later: its start-up run finds the job done.
		expect(await runLeased(two, JOB, run, { holder: 'two', clock: () => at(5 * 60_000) })).toEqual({ ran: false });
		// The next quarter hour, a second late on this instance's clock: due.
		expect(await runLeased(two, JOB, run, { holder: 'two', clock: () => at(JOB.periodMs - 1_000) })).toEqual({ ran: true, ok: true });
		expect(runs).toBe(2);
		expect((await scheduledWork(one))[0]).toMatchObject({ lastStartedBy: 'two', lastStartedAt: at(JOB.periodMs - 1_000).toISOString() });
	});

	it('takes over the lease of an instance that died mid-run once it expires, and not before', async () => {
		expect(await claimJob(one, JOB, 'one', at(0))).toBe(true);
		// 'one' dies without finishing. Its lease holds until leaseMs have passed…
		expect(await claimJob(two, JOB, 'two', at(JOB.leaseMs - 1))).toBe(false);
		expect(await claimJob(two, { ...JOB, periodMs: 60_000 }, 'two', at(JOB.leaseMs - 1))).toBe(false);
		// …and the next tick after the job is due again takes it over.
		expect(await claimJob(two, JOB, 'two', at(JOB.periodMs))).toBe(true);
		expect((await scheduledWork(one))[0]).toMatchObject({ holder: 'two', lastStartedBy: 'two' });
		// The dead holder, back to life, records nothing over the new holder's run.
		await finishJob(one, JOB.name, 'one', { ok: true }, at(JOB.periodMs + 1));
		expect((await scheduledWork(one))[0]).toMatchObject({ holder: 'two', lastFinishedAt: null });
	});

	it('records a failing run with its error and releases the lease', async () => {
		const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		const outcome = await runLeased(one, JOB, () => Promise.reject(new Error('SMTP server refused the connection')), { holder: 'one', clock: () => at(0) });
		const logged = String(written.mock.calls[0]?.[0]);
		written.mockRestore();
		expect(outcome).toEqual({ ran: true, ok: false, error: 'SMTP server refused the connection' });
		expect(logged).toMatch(/"task":"reminders".*"instance":"one"/);
		const row = await dbGet(one.select().from(jobLease));
		expect(row).toMatchObject({ holder: null, leaseExpiresAt: null, lastOutcome: 'failed', lastError: 'SMTP server refused the connection', lastFinishedAt: at(0).toISOString() });
		// Released: the next due tick runs it again, and a success clears the error.
		expect(await runLeased(two, JOB, () => undefined, { holder: 'two', clock: () => at(JOB.periodMs) })).toEqual({ ran: true, ok: true });
		expect(await dbGet(two.select().from(jobLease))).toMatchObject({ lastOutcome: 'ok', lastError: null, lastStartedBy: 'two' });
	});

	it('keeps the jobs apart: one job’s lease never blocks another', async () => {
		expect(await claimJob(one, JOB, 'one', at(0))).toBe(true);
		expect(await claimJob(two, { ...JOB, name: 'security-log-pruning' }, 'two', at(0))).toBe(true);
		expect((await scheduledWork(one)).map((row) => [row.job, row.holder])).toEqual([['reminders', 'one'], ['security-log-pruning', 'two']]);
	});

	it('agrees with a model of the lease for any interleaving of two instances’ ticks and clocks', async () => {
		type Step = { who: 0 | 1; advanceMs: number; action: 'claim' | 'finish' };
		const job: LeasedJob = { name: 'model', periodMs: 10_000, leaseMs: 30_000 };
		const step = fc.record({ who: fc.constantFrom<0 | 1>(0, 1), advanceMs: fc.integer({ min: 0, max: 40_000 }), action: fc.constantFrom<'claim' | 'finish'>('claim', 'claim', 'finish') });
		await fc.assert(
			fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps: Step[]) => {
				await dbRun(one.delete(jobLease));
				const connections = [one, two];
				const names = ['one', 'two'];
				let now = T0;
				const model: { holder: string | null; leaseExpiresAt: number; lastStartedAt: number | null } = { holder: null, leaseExpiresAt: 0, lastStartedAt: null };
				const starts: number[] = [];
				for (const { who, advanceMs, action } of steps) {
					now += advanceMs;
					const name = names[who]!;
					if (action === 'claim') {
						const free = model.holder === null || model.leaseExpiresAt <= now;
						const due = model.lastStartedAt === null || model.lastStartedAt <= now - job.periodMs + driftAllowanceMs(job.periodMs);
						const won = await claimJob(connections[who]!, job, name, new Date(now));
						expect(won).toBe(free && due);
						if (won) {
							Object.assign(model, { holder: name, leaseExpiresAt: now + job.leaseMs, lastStartedAt: now });
							starts.push(now);
						}
					} else {
						await finishJob(connections[who]!, job.name, name, { ok: true }, new Date(now));
						if (model.holder === name) model.holder = null;
					}
				}
				// Whatever the interleaving, no two runs started closer together than the period allows.
				for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(job.periodMs - driftAllowanceMs(job.periodMs));
			}),
			{ numRuns: 200 }
		);
	});
});

describe('the period of a schedule', () => {
	it('is the shortest gap between its runs, seconds included', () => {
		expect(periodOf('*/15 * * * *')).toBe(15 * 60_000);
		expect(periodOf('*/5 * * * * *')).toBe(5_000);
		expect(periodOf('0 9,17 * * *', new Date('2026-06-01T00:00:00Z'))).toBe(8 * 3_600_000);
	});

	it('refuses a pattern croner cannot read', () => {
		expect(() => periodOf('every quarter hour')).toThrow(/five, six, or seven/);
	});
});

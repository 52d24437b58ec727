import { describe, expect, it } from 'vitest';
import { runInWorker, WORKER_YOUNG_GENERATION_MB } from './pool';

const jobs = async () => {
	const module = await import('./testing-jobs');
	return { url: module.TESTING_JOBS_URL, type: module.testingJobs };
};
type TestingJobs = Awaited<ReturnType<typeof jobs>>['type'];

describe('running a job in a worker thread', () => {
	it('runs the job off the main thread and returns its result', async () => {
		const { url } = await jobs();
		const outcome = await runInWorker<TestingJobs, 'echo'>(url, 'echo', { text: 'hello' });
		expect(outcome).toEqual({ ok: true, value: { text: 'hello', inWorker: true } });
	});

	it('runs the job in a worker whose young generation is kept small, so a warm worker holds less memory', async () => {
		const { url } = await jobs();
		const outcome = await runInWorker<TestingJobs, 'limits'>(url, 'limits', {});
		expect(outcome.ok && outcome.value.maxYoungGenerationSizeMb).toBe(WORKER_YOUNG_GENERATION_MB);
	});

	it('collects the garbage a job left once it has answered, so a warm worker does not keep it', async () => {
		const { url } = await jobs();
		const before = await runInWorker<TestingJobs, 'heapUsedMb'>(url, 'heapUsedMb', {});
		const litter = await runInWorker<TestingJobs, 'litter'>(url, 'litter', { mb: 64 });
		const after = await runInWorker<TestingJobs, 'heapUsedMb'>(url, 'heapUsedMb', {});
		expect(litter.ok && before.ok && after.ok).toBe(true);
		// 64 MB of strings were made and dropped; what is left is the heap before them, give or take.
		if (before.ok && after.ok) expect(after.value).toBeLessThan(before.value + 16);
	});

	it('cuts off a job over its budget with the message given, and keeps the event loop free meanwhile', async () => {
		const { url } = await jobs();
		// Warm a worker first, so the budget is the job's alone.
		await runInWorker<TestingJobs, 'echo'>(url, 'echo', { text: 'warm' });
		let ticks = 0;
		const ticker = setInterval(() => ticks++, 20);
		const outcome = await runInWorker<TestingJobs, 'spin'>(url, 'spin', { ms: 60_000 }, { budgetMs: 500, timeoutMessage: 'Checking took too long.' });
		clearInterval(ticker);
		expect(outcome).toEqual({ ok: false, error: { code: 'worker.timeout', message: 'Checking took too long.' } });
		// The main thread kept turning while the worker spun (a blocked loop would tick at most once).
		expect(ticks).toBeGreaterThan(5);
	});

	it('reports a job that throws as a failure and still runs the next job', async () => {
		const { url } = await jobs();
		const failed = await runInWorker<TestingJobs, 'fail'>(url, 'fail', { message: 'deliberate' });
		expect(failed).toEqual({ ok: false, error: { code: 'worker.failed', message: 'deliberate' } });
		expect(await runInWorker<TestingJobs, 'echo'>(url, 'echo', { text: 'after' })).toEqual({ ok: true, value: { text: 'after', inWorker: true } });
	});

	it('runs jobs beyond the worker limit in turn, each within its own budget', async () => {
		const { url } = await jobs();
		const outcomes = await Promise.all(Array.from({ length: 4 }, (_, i) => runInWorker<TestingJobs, 'spin'>(url, 'spin', { ms: 200 + i }, { budgetMs: 5_000 })));
		expect(outcomes).toEqual([0, 1, 2, 3].map((i) => ({ ok: true, value: { spun: 200 + i } })));
	});
});

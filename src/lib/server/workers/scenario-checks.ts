/**
 * Checking a tutor's scenario text off the event loop: each call runs one job of
 * scenario-jobs.ts in a worker thread, cut off after CHECK_BUDGET_MS with CHECK_TIMEOUT_MESSAGE.
 * Every check of user-submitted YAML (import, editor load, live check, publish, preview) goes
 * through here (issue 13).
 */
import { runInWorker, type WorkerOutcome } from './pool';
import type { scenarioJobs } from './scenario-jobs';

type ScenarioJobs = typeof scenarioJobs;

// Off the event loop, the budget bounds how long one file may occupy a worker: a 250 kB file takes
// 0.5–2.5 s on a busy two-core machine, so 10 s leaves room and still cuts off anything pathological.
export const CHECK_BUDGET_MS = 10_000;

export const CHECK_TIMEOUT_MESSAGE =
	'Checking this scenario took longer than 10 seconds, so it was stopped. Nothing was lost: make the file smaller or simpler (fewer nodes, choices or nested rules) and check it again.';

export async function runScenarioJob<K extends keyof ScenarioJobs & string>(
	job: K,
	input: Parameters<ScenarioJobs[K]>[0]
): Promise<WorkerOutcome<Awaited<ReturnType<ScenarioJobs[K]>>>> {
	// Dynamic, so that the bundler keeps the job module as a chunk a worker can start from.
	const { SCENARIO_JOBS_URL } = await import('./scenario-jobs');
	return runInWorker<ScenarioJobs, K>(SCENARIO_JOBS_URL, job, input, { budgetMs: CHECK_BUDGET_MS, timeoutMessage: CHECK_TIMEOUT_MESSAGE }) as Promise<
		WorkerOutcome<Awaited<ReturnType<ScenarioJobs[K]>>>
	>;
}

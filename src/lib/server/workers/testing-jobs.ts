/** Jobs for the pool's own tests: one that answers, one that fails, one that never finishes in time, one that tells its worker's limits. */
import { isMainThread, resourceLimits } from 'node:worker_threads';
import { serveJobs } from './pool';

export const TESTING_JOBS_URL = import.meta.url;

export const testingJobs = {
	echo: (input: { text: string }) => ({ text: input.text, inWorker: !isMainThread }),
	/** Holds its thread for `ms`, as a pathological scenario file would. */
	spin: (input: { ms: number }) => {
		const until = Date.now() + input.ms;
		while (Date.now() < until);
		return { spun: input.ms };
	},
	fail: (input: { message: string }) => {
		throw new Error(input.message);
	},
	limits: (_input: Record<string, never>) => ({ ...resourceLimits })
};

serveJobs(import.meta.url, testingJobs);

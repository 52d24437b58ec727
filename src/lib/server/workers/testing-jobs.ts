/** Jobs for the pool's own tests: one that answers, one that fails, one that never finishes in time, one that tells its worker's limits, and two that leave garbage and weigh the heap. */
import { getHeapStatistics } from 'node:v8';
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
	limits: (_input: Record<string, never>) => ({ ...resourceLimits }),
	/** Leaves `mb` of garbage behind: strings held until the job returns, so they outlive the young generation. */
	litter: (input: { mb: number }) => {
		const held: string[] = [];
		for (let i = 0; i < input.mb * 1024; i++) held.push(String(i).padEnd(1024, 'x'));
		return { made: held.length };
	},
	heapUsedMb: (_input: Record<string, never>) => getHeapStatistics().used_heap_size / 2 ** 20
};

serveJobs(import.meta.url, testingJobs);

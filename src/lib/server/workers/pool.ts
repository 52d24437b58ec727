/**
 * Work that must not hold the event loop (checking a tutor's scenario file, rendering a PDF) runs
 * in a worker thread (node:worker_threads) with a time budget: over budget, the worker is
 * terminated and the caller gets `{ ok: false, error: { code: 'worker.timeout', message } }` to
 * show. Issue 13; ASVS 5.0 V15.2 (resource-consuming operations are bounded).
 *
 * How the worker's code is found, in vitest, `vite dev` and the built server alike: a job module
 * (see scenario-jobs.ts) exports its jobs and its own URL (`import.meta.url`) and ends with
 * `serveJobs(import.meta.url, jobs)`; callers reach it only through `await import(...)`. A dynamic
 * import makes the bundler emit the module as a chunk of its own (adapter-node keeps it so), so
 * its `import.meta.url` is a file a worker can start from. A worker started on that URL runs the
 * same module, where serveJobs answers the pool's messages. Under vitest and `vite dev` the URL
 * names the .ts source, which the worker loads through tsx (a dev dependency; the built server's
 * chunks are plain JavaScript and need nothing). No second build, no file list to keep in step.
 *
 * Workers are kept warm between jobs (at most MAX_WORKERS at once, further jobs wait their turn)
 * and end after a minute idle. The budget runs from when the job reaches a ready worker.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** A job takes and returns plain data (structured-clonable) and may be async. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each job module types its own jobs
export type Jobs = Record<string, (input: any) => unknown>;

export type WorkerFailure = { code: 'worker.timeout' | 'worker.failed'; message: string };
export type WorkerOutcome<T> = { ok: true; value: T } | { ok: false; error: WorkerFailure };

export interface RunOptions {
	/** How long the job may run, in ms (default DEFAULT_BUDGET_MS). */
	budgetMs?: number;
	/** What the user is told when the budget runs out. */
	timeoutMessage?: string;
}

export const DEFAULT_BUDGET_MS = 2_000;
/** Leaves one core for the event loop, and never runs more than two jobs at once. */
const MAX_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));
const IDLE_MS = 60_000;
/** Starting a worker (loading its module) is not the job: it gets its own, generous, limit. */
const START_MS = 30_000;
/**
 * A worker's young generation, in MB (V8's default grows it to 48 MB). A job allocates fast and keeps
 * little, so a small nursery costs a few more scavenges and saves memory the server keeps while the
 * worker is warm: a 40-page portfolio render added 67 MB to the server's resident memory with V8's
 * default and 41 MB with this (issue 19; tests/bench/pdf-under-load.bench.test.ts).
 */
export const WORKER_YOUNG_GENERATION_MB = 6;

interface Message {
	id: number;
	job: string;
	input: unknown;
}
type Reply = { ready: true } | { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

interface Warm {
	worker: Worker;
	idleTimer?: ReturnType<typeof setTimeout>;
}

const idle = new Map<string, Warm[]>();
let running = 0;
const waiting: (() => void)[] = [];
let nextId = 1;

/** Runs `job` of the job module at `moduleUrl` in a worker, within the budget. */
export async function runInWorker<J extends Jobs, K extends keyof J & string>(
	moduleUrl: string,
	job: K,
	input: Parameters<J[K]>[0],
	options: RunOptions = {}
): Promise<WorkerOutcome<Awaited<ReturnType<J[K]>>>> {
	if (running >= MAX_WORKERS) await new Promise<void>((resolve) => waiting.push(resolve));
	running++;
	try {
		return (await runOnce(moduleUrl, job, input, options)) as WorkerOutcome<Awaited<ReturnType<J[K]>>>;
	} finally {
		running--;
		waiting.shift()?.();
	}
}

async function runOnce(moduleUrl: string, job: string, input: unknown, options: RunOptions): Promise<WorkerOutcome<unknown>> {
	const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
	let warm: Warm;
	try {
		warm = takeIdle(moduleUrl) ?? (await start(moduleUrl));
	} catch (error) {
		return { ok: false, error: { code: 'worker.failed', message: `The work could not be started (${error instanceof Error ? error.message : String(error)}).` } };
	}
	const { worker } = warm;
	const id = nextId++;
	return new Promise((resolve) => {
		const finish = (outcome: WorkerOutcome<unknown>, keep: boolean) => {
			clearTimeout(timer);
			worker.off('message', onMessage);
			worker.off('error', onError);
			worker.off('exit', onExit);
			if (keep) putIdle(moduleUrl, warm);
			else void worker.terminate();
			resolve(outcome);
		};
		const timer = setTimeout(() => {
			finish({ ok: false, error: { code: 'worker.timeout', message: options.timeoutMessage ?? `The work took longer than ${budgetMs / 1000} s and was stopped.` } }, false);
		}, budgetMs);
		const onMessage = (reply: Reply) => {
			if (!('id' in reply) || reply.id !== id) return;
			if (reply.ok) finish({ ok: true, value: reply.value }, true);
			else finish({ ok: false, error: { code: 'worker.failed', message: reply.message } }, true);
		};
		const onError = (error: Error) => finish({ ok: false, error: { code: 'worker.failed', message: error.message } }, false);
		const onExit = () => finish({ ok: false, error: { code: 'worker.failed', message: 'The worker stopped before it finished.' } }, false);
		worker.on('message', onMessage);
		worker.on('error', onError);
		worker.on('exit', onExit);
		worker.postMessage({ id, job, input } satisfies Message);
	});
}

function takeIdle(moduleUrl: string): Warm | undefined {
	const warm = idle.get(moduleUrl)?.pop();
	if (warm) clearTimeout(warm.idleTimer);
	return warm;
}

function putIdle(moduleUrl: string, warm: Warm): void {
	const list = idle.get(moduleUrl) ?? [];
	idle.set(moduleUrl, list);
	list.push(warm);
	warm.idleTimer = setTimeout(() => {
		list.splice(list.indexOf(warm), 1);
		void warm.worker.terminate();
	}, IDLE_MS);
	warm.idleTimer.unref();
}

const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then((tsx) => { tsx.register(); return import(workerData.jobModule); });
`;

/** A new worker on the job module, once the module has loaded and serveJobs is listening. */
function start(moduleUrl: string): Promise<Warm> {
	// The .ts source (vitest, vite dev) is loaded through tsx's loader, registered in the worker
	// before the module is imported (Node 20 does not apply `--import tsx` to a worker's entry).
	const options = { workerData: { jobModule: moduleUrl }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
	const worker = moduleUrl.endsWith('.ts') ? new Worker(TS_BOOTSTRAP, { ...options, eval: true }) : new Worker(new URL(moduleUrl), options);
	// An idle worker must not keep a script or a test run alive.
	worker.unref();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			void worker.terminate();
			reject(new Error('the worker did not start in time'));
		}, START_MS);
		const done = () => {
			clearTimeout(timer);
			worker.off('message', onMessage);
			worker.off('error', onError);
			worker.off('exit', onExit);
		};
		const onMessage = (reply: Reply) => {
			if (!('ready' in reply)) return;
			done();
			resolve({ worker });
		};
		const onError = (error: Error) => {
			done();
			reject(error);
		};
		const onExit = (code: number) => {
			done();
			reject(new Error(`the worker exited with code ${code}`));
		};
		worker.on('message', onMessage);
		worker.on('error', onError);
		worker.on('exit', onExit);
	});
}

/**
 * Called at the end of a job module: in a worker started on that module, answers the pool's
 * messages by running the named job; anywhere else (the main thread importing it), does nothing.
 */
export function serveJobs(moduleUrl: string, jobs: Jobs): void {
	if (isMainThread || !parentPort || (workerData as { jobModule?: string } | null)?.jobModule !== moduleUrl) return;
	const port = parentPort;
	const collectGarbage = garbageCollector();
	// Never rejects: a job's failure is its reply.
	const answer = async ({ id, job, input }: Message): Promise<void> => {
		try {
			const run = Object.hasOwn(jobs, job) ? jobs[job] : undefined;
			if (!run) throw new Error(`no job "${job}"`);
			port.postMessage({ id, ok: true, value: await run(input) } satisfies Reply);
		} catch (error) {
			port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies Reply);
		} finally {
			collectGarbage();
		}
	};
	port.on('message', (message: Message) => void answer(message));
	port.postMessage({ ready: true } satisfies Reply);
}

/**
 * A full collection of the worker's heap, run once a job has answered (its reply already copied to
 * the main thread). A job leaves its garbage behind, and V8 lets a warm worker's heap grow over
 * several jobs before collecting it: four 40-page portfolio renders in a row took the server from
 * +23 MB (one) to +100 MB (issue 19, tests/bench/pdf-under-load.bench.test.ts). The worker collects
 * on its own thread, before its next job, never on the event loop.
 */
function garbageCollector(): () => void {
	// --expose-gc set at run time gives `gc` to contexts made after it, as Jest's leak detector does;
	// the server's own global (made long before) never gets it.
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}

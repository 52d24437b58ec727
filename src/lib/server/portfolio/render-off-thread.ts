/**
 * Drawing a portfolio PDF off the event loop. One 20-attempt render on the main thread held it for
 * up to 218 ms in one stretch (tests/bench/portfolio.bench.test.ts), over the 50 ms the issue allows,
 * so the server renders in a worker thread (workers/pool.ts) and streams the finished file.
 */
import type { RenderOptions, RenderSummary } from './render';
import type { PortfolioContent } from './content';
import type { renderJobs } from './render-jobs';
import { runInWorker } from '$lib/server/workers/pool';

type RenderJobs = typeof renderJobs;

/** A 20-attempt portfolio renders in about a second; a slow, busy server gets thirty times that. */
export const RENDER_BUDGET_MS = 30_000;

/** The file is handed to the response in pieces, so the page can show it arriving. */
const CHUNK_BYTES = 64 * 1024;

/** Renders in a worker; same contract as renderPortfolio (chunks to onData, pause between them). */
export async function renderOffThread(content: PortfolioContent, options: RenderOptions): Promise<RenderSummary> {
	// Dynamic, so that the bundler keeps the job module as a chunk a worker can start from.
	const { RENDER_JOBS_URL } = await import('./render-jobs');
	const outcome = await runInWorker<RenderJobs, 'renderPortfolio'>(
		RENDER_JOBS_URL,
		'renderPortfolio',
		{ content, origin: options.origin, contentHash: options.contentHash, images: options.images ?? {} },
		{ budgetMs: RENDER_BUDGET_MS, timeoutMessage: 'Making this document took too long, so it was stopped. Please try again later.' }
	);
	if (!outcome.ok) throw new Error(outcome.error.message);
	const { bytes, pageCount } = outcome.value;
	const pause = options.pause ?? (() => Promise.resolve());
	for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) {
		await pause();
		options.onData(Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(CHUNK_BYTES, bytes.byteLength - at)));
	}
	return { pageCount };
}

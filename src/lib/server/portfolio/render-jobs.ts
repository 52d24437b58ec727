/**
 * The portfolio render as a worker job (see workers/pool.ts for how this module is found and
 * started). Reach it only through render-off-thread.ts, which imports it dynamically: a static
 * import would fold it into another chunk and its URL would no longer start a worker. Relative
 * imports only: under vitest and `vite dev` the worker loads this file through tsx, without $lib.
 */
import type { PortfolioContent } from './content';
import { renderPortfolio } from './render';
import { serveJobs } from '../workers/pool';

export const RENDER_JOBS_URL = import.meta.url;

export const renderJobs = {
	/** The whole file: a worker has no one to stream to but the main thread, so it hands it over once. */
	renderPortfolio: async (input: { content: PortfolioContent; origin: string; contentHash: string; images?: Record<string, Uint8Array> }) => {
		const chunks: Buffer[] = [];
		const summary = await renderPortfolio(input.content, {
			origin: input.origin,
			contentHash: input.contentHash,
			images: input.images,
			onData: (chunk) => chunks.push(chunk),
			// Alone on its thread, the render has nothing to yield to.
			pause: () => Promise.resolve()
		});
		return { pageCount: summary.pageCount, bytes: new Uint8Array(Buffer.concat(chunks)) };
	}
};

serveJobs(import.meta.url, renderJobs);

/**
 * The portfolio PDF (issue 6): a learner with 20 ended attempts, each with actions, a reflection
 * and signed decisions, plus testimony and an observation.
 *
 * 1. Generation time of the whole portfolio (render and record, as the download does), beside the
 *    time to write the same content as plain text (the floor): the ratio is the price of the PDF.
 * 2. Peak memory (RSS) while rendering.
 * 3. The longest event-loop stall while rendering: what another request would wait at worst; on
 *    the main thread, and as the server does it, in a worker thread (render-off-thread.ts), where
 *    what is left on the loop is gathering the content and hashing the file.
 * 4. Pages and bytes of the file (uploads to /verify are limited by BODY_SIZE_LIMIT, 512 KB by default).
 *
 * No timed assertions: figures only (npm run bench).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { portfolioFixture } from '../../src/lib/server/portfolio/testing';
import { issueDocument, prepareDocument } from '../../src/lib/server/portfolio/documents';
import { renderOffThread } from '../../src/lib/server/portfolio/render-off-thread';
import type { PortfolioContent } from '../../src/lib/server/portfolio/content';
import { recordFigure } from './report';

const ATTEMPTS = Number(process.env.BENCH_PORTFOLIO_ATTEMPTS ?? 20);
const RUNS = 5;

/** The same content, every field as a line of text: what any output format must at least do. */
function asPlainText(content: PortfolioContent): string {
	const lines: string[] = [content.centre, content.unit, content.learner.name, content.documentId];
	for (const row of content.coverage) lines.push(`${row.code} ${row.title} ${row.stateLabel} ${row.evidence.map((e) => e.title).join('; ')} ${row.signedBy?.name ?? ''}`);
	for (const a of content.attempts) {
		lines.push(a.title, a.version, a.brief);
		for (const t of a.transcript) lines.push(`${t.at} ${t.who} ${t.text}`);
		for (const p of a.points) lines.push(`${p.description} ${p.met} ${p.evidence.map((e) => e.text).join(' ')} ${p.feedback}`);
		if (a.reflection) lines.push(a.reflection.situation, a.reflection.task, a.reflection.action, a.reflection.result);
		for (const d of a.decisions) lines.push(`${d.outcomeLabel} ${d.feedback} ${d.nextSteps} ${d.signedName} ${d.signedAt} ${d.signatureHash}`);
	}
	for (const t of content.testimony) lines.push(`${t.witnessName} ${t.statement}`);
	for (const o of content.observations) lines.push(`${o.setting} ${o.description}`);
	return lines.join('\n');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('portfolio PDF benchmark', () => {
	it(`renders a portfolio of ${ATTEMPTS} attempts`, async () => {
		const fixture = await portfolioFixture({ attempts: ATTEMPTS });
		const request = { learnerId: fixture.learnerId, kind: 'portfolio' as const };

		const generation: number[] = [];
		const floors: number[] = [];
		const stalls: number[] = [];
		let peakRss = 0;
		let peakGrowth = 0;
		// One run first, unmeasured: the first render also parses the fonts and warms the JIT.
		await issueDocument(fixture.db, (await prepareDocument(fixture.db, request))!, { origin: 'http://localhost:3000', issuedBy: fixture.learnerId, onData: () => {} });
		let pages = 0;
		let bytes = 0;
		for (let run = 0; run < RUNS; run++) {
			const baseRss = process.memoryUsage().rss;
			const sampler = setInterval(() => {
				const rss = process.memoryUsage().rss;
				peakRss = Math.max(peakRss, rss);
				peakGrowth = Math.max(peakGrowth, rss - baseRss);
			}, 2);
			const delay = monitorEventLoopDelay({ resolution: 5 });
			delay.enable();
			const t0 = performance.now();
			const prepared = (await prepareDocument(fixture.db, request))!;
			const issued = await issueDocument(fixture.db, prepared, { origin: 'http://localhost:3000', issuedBy: fixture.learnerId, onData: () => {} });
			generation.push(performance.now() - t0);
			delay.disable();
			clearInterval(sampler);
			stalls.push(delay.max / 1e6);
			pages = issued.pageCount;
			bytes = issued.byteLength;

			const f0 = performance.now();
			const text = asPlainText((await prepareDocument(fixture.db, request))!.content);
			floors.push(performance.now() - f0);
			expect(text.length).toBeGreaterThan(1000);
		}
		expect(pages).toBeGreaterThan(ATTEMPTS);

		recordFigure({
			id: 'portfolio-pdf.ms',
			name: `portfolio: generate a PDF of ${ATTEMPTS} attempts (${pages} pages)`,
			value: median(generation),
			unit: 'ms (median)',
			baselineName: 'the same content gathered and written as plain text',
			baseline: median(floors),
			goal: { max: 1000, text: '< 1 s (issue 19)' }
		});
		recordFigure({
			id: 'portfolio-pdf.rss-mb',
			name: 'portfolio: peak RSS of the process while generating',
			value: peakRss / 2 ** 20,
			unit: 'MB',
			target: '< 250 MB',
			notes: `of which ${(peakGrowth / 2 ** 20).toFixed(1)} MB above the process before the render (the rest is vitest, the database and the fixture)`
		});
		recordFigure({
			id: 'portfolio-pdf.rss-growth-mb',
			name: 'portfolio: growth of the process’s RSS while generating, above the process before the render',
			value: peakGrowth / 2 ** 20,
			unit: 'MB',
			goal: { max: 50, text: 'a PDF render adds ≤ 50 MB (issue 19)' }
		});
		recordFigure({
			id: 'portfolio-pdf.stall-ms',
			name: 'portfolio: longest event-loop stall while generating',
			value: Math.max(...stalls),
			unit: 'ms (max)',
			target: '< 50 ms (else render in a worker)',
			notes: 'rendering yields between sections; the stall is the longest section or the final write of the file'
		});
		// As the server renders: in a worker. One run first to start the worker and load its fonts.
		const offThread = { origin: 'http://localhost:3000', issuedBy: fixture.learnerId, onData: () => {}, render: renderOffThread };
		await issueDocument(fixture.db, (await prepareDocument(fixture.db, request))!, offThread);
		const offStalls: number[] = [];
		const offTimes: number[] = [];
		const gathering: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			const delay = monitorEventLoopDelay({ resolution: 5 });
			delay.enable();
			const t0 = performance.now();
			const prepared = (await prepareDocument(fixture.db, request))!;
			gathering.push(performance.now() - t0);
			await issueDocument(fixture.db, prepared, offThread);
			offTimes.push(performance.now() - t0);
			delay.disable();
			offStalls.push(delay.max / 1e6);
		}
		recordFigure({
			id: 'portfolio-pdf.worker-stall-ms',
			name: 'portfolio: longest event-loop stall while generating in a worker thread',
			value: Math.max(...offStalls),
			unit: 'ms (max)',
			baselineName: 'the same render on the main thread',
			baseline: Math.max(...stalls),
			goal: { max: 50, text: 'no stall > 50 ms (issue 19)' },
			notes: `gathering the content on the main thread: ${median(gathering).toFixed(1)} ms (median); whole issue ${median(offTimes).toFixed(0)} ms (median)`
		});
		recordFigure({ id: 'portfolio-pdf.kib', name: `portfolio: size of the ${ATTEMPTS}-attempt PDF`, value: bytes / 1024, unit: 'KiB', target: 'uploads over BODY_SIZE_LIMIT (512 KiB default) are refused' });
	});
});

/**
 * An opt-in diagnostic (issue 19): with CUSTODIAN_LOOP_STATS_FILE set, the server appends one JSON
 * line a second to that file with how late its event loop ran in that second:
 * `{ "t": <epoch ms at the second's end>, "maxMs", "p99Ms", "meanMs" }`, the lateness of a timer due
 * every RESOLUTION_MS. A stall there is what every request on this instance waited for; the
 * benchmarks (tests/bench/pdf-under-load.bench.test.ts) read it to see the server's loop, not the
 * load generator's. Off unless the variable is set; the timers never keep the process alive.
 *
 * Not perf_hooks.monitorEventLoopDelay: its histogram, reset each second, drops the first delay after
 * the reset, so a stall that ended just as the line was written went unseen. Here the one timer
 * measures its own lateness, and only the recordable histogram is reset.
 */
import { appendFileSync } from 'node:fs';
import { createHistogram, performance } from 'node:perf_hooks';

/** The timer's period: a stall shorter than this is not seen. */
const RESOLUTION_MS = 10;

export interface LoopStatsLine {
	t: number;
	maxMs: number;
	p99Ms: number;
	meanMs: number;
}

/** Starts writing the loop's delay to `file` every `everyMs` (a second); returns how to stop. */
export function writeEventLoopStats(file: string, everyMs = 1_000): () => void {
	// In microseconds: the histogram records positive integers.
	const histogram = createHistogram();
	let last = performance.now();
	const tick = setInterval(() => {
		const now = performance.now();
		histogram.record(Math.max(1, Math.round((now - last - RESOLUTION_MS) * 1_000)));
		last = now;
	}, RESOLUTION_MS);
	tick.unref();
	const writer = setInterval(() => {
		const line: LoopStatsLine = histogram.count === 0
			? { t: Date.now(), maxMs: 0, p99Ms: 0, meanMs: 0 }
			: { t: Date.now(), maxMs: histogram.max / 1_000, p99Ms: histogram.percentile(99) / 1_000, meanMs: histogram.mean / 1_000 };
		histogram.reset();
		appendFileSync(file, JSON.stringify(line) + '\n');
	}, everyMs);
	writer.unref();
	return () => {
		clearInterval(tick);
		clearInterval(writer);
	};
}

/**
 * An opt-in diagnostic (issue 19): with CUSTODIAN_LOOP_STATS_FILE set, the server appends one JSON
 * line a second to that file with how late its event loop ran in that second
 * (perf_hooks.monitorEventLoopDelay): `{ "t": <epoch ms at the second's end>, "maxMs", "p99Ms",
 * "meanMs" }`. A stall there is what every request on this instance waited for; the benchmarks
 * (tests/bench/pdf-under-load.bench.test.ts) read it to see the server's loop, not the load
 * generator's. Off unless the variable is set; the timer never keeps the process alive.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The histogram's sampling step: a stall shorter than this is not seen. */
const RESOLUTION_MS = 10;

export interface LoopStatsLine {
	t: number;
	maxMs: number;
	p99Ms: number;
	meanMs: number;
}

/** Starts writing the loop's delay to `file` every `everyMs` (a second); returns how to stop. */
export function writeEventLoopStats(file: string, everyMs = 1_000): () => void {
	const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
	histogram.enable();
	const timer = setInterval(() => {
		// The histogram counts in nanoseconds, and only once the loop has turned at least once.
		const line: LoopStatsLine = histogram.count === 0
			? { t: Date.now(), maxMs: 0, p99Ms: 0, meanMs: 0 }
			: { t: Date.now(), maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, meanMs: histogram.mean / 1e6 };
		histogram.reset();
		appendFileSync(file, JSON.stringify(line) + '\n');
	}, everyMs);
	timer.unref();
	return () => {
		clearInterval(timer);
		histogram.disable();
	};
}

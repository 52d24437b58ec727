import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One measured figure of a benchmark, beside its baseline run in the same process where there is
 * one. scripts/bench.js collects these into one table and bench/results.json.
 */
export interface BenchFigure {
	/** e.g. 'core: search by postcode over 100,000 customers' */
	name: string;
	/** the measured value */
	value: number;
	/** e.g. 'ms (median)', 'ops/s', 'entries/s' */
	unit: string;
	/** what the baseline is, e.g. 'bare better-sqlite3 inserts of the same rows' */
	baselineName?: string;
	baseline?: number;
	/** value / baseline, when a baseline was run */
	ratio?: number;
	/** a target from an issue, as text, e.g. 'p99 < 100 ms' */
	target?: string;
	notes?: string;
}

export const FIGURES_FILE = process.env.BENCH_FIGURES_FILE ?? 'tests/.artifacts/bench-figures.jsonl';

export function recordFigure(figure: BenchFigure): void {
	const withRatio =
		figure.baseline !== undefined && figure.ratio === undefined && figure.baseline !== 0
			? { ...figure, ratio: figure.value / figure.baseline }
			: figure;
	mkdirSync(dirname(FIGURES_FILE), { recursive: true });
	appendFileSync(FIGURES_FILE, JSON.stringify(withRatio) + '\n');
	console.log(`[bench] ${figure.name}: ${figure.value.toFixed(2)} ${figure.unit}` +
		(withRatio.ratio !== undefined ? ` (baseline ${withRatio.baseline?.toFixed(2)}; ratio ${withRatio.ratio.toFixed(3)})` : ''));
}

/** Median and chosen percentiles of a list of samples (milliseconds). */
export function percentiles(samples: number[], ps: number[] = [50, 95, 99]): Record<string, number> {
	const sorted = [...samples].sort((a, b) => a - b);
	const out: Record<string, number> = {};
	for (const p of ps) {
		const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
		out[`p${p}`] = sorted[index] ?? NaN;
	}
	return out;
}

import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A goal a figure is held to (issue 19's table): `max` the value (or the ratio) must not exceed,
 * or `min` it must reach. scripts/bench.js evaluates it into `met`; a benchmark never asserts it.
 */
export interface BenchGoal {
	max?: number;
	min?: number;
	/** What the goal bounds: the figure's value (default) or its ratio to the baseline. */
	of?: 'value' | 'ratio';
	/** The goal as the issue words it, e.g. 'p99 ≤ 25 ms (issue 19)'. */
	text: string;
}

/**
 * One measured figure of a benchmark, beside its baseline run in the same process where there is
 * one. scripts/bench.js collects these into one table and bench/results.json, keyed by `id`.
 */
export interface BenchFigure {
	/**
	 * Stable across runs and sizes, lower-case, dot-separated, e.g. 'mixed-2s.pg.p99',
	 * 'audit-verify.ratio'. `npm run bench -- --only <id or prefix>` selects by it, and
	 * bench/results.json is merged by it; scripts/bench.js declares which run owns which prefix.
	 */
	id: string;
	/** e.g. 'core: search by postcode over 100,000 customers' (may name the run's sizes) */
	name: string;
	/** the measured value */
	value: number;
	/** e.g. 'ms (median)', 'ops/s', 'entries/s' */
	unit: string;
	/** what the baseline is, e.g. 'bare better-sqlite3 inserts of the same rows' */
	baselineName?: string;
	baseline?: number;
	/** the id of the baseline's own figure, where it is recorded as one (e.g. 'mixed-2s.bare.p99') */
	baselineId?: string;
	/** value / baseline, when a baseline was run */
	ratio?: number;
	/** the machine-checkable goal, where an issue gives one */
	goal?: BenchGoal;
	/** an earlier issue's target that is not a machine-checkable goal, as text */
	target?: string;
	notes?: string;
}

/** A figure as written to the figures file: with its ratio computed and the time it was recorded. */
export type RecordedFigure = BenchFigure & { ranAt: string };

export const FIGURES_FILE = process.env.BENCH_FIGURES_FILE ?? 'tests/.artifacts/bench-figures.jsonl';

/** Lower-case words of letters and digits, joined by '-' within a part and '.' between parts. */
export const FIGURE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

const recordedHere = new Set<string>();

/**
 * The ids recorded so far in this run: by this process, and under scripts/bench.js (which starts
 * each run with an empty figures file) by the other benchmark files of the run too.
 */
function recordedIds(): Set<string> {
	if (process.env.BENCH_FIGURES_FILE === undefined || !existsSync(FIGURES_FILE)) return recordedHere;
	const lines = readFileSync(FIGURES_FILE, 'utf8').split('\n').filter(Boolean);
	return new Set([...recordedHere, ...lines.map((line) => (JSON.parse(line) as { id?: string }).id).filter((id): id is string => id !== undefined)]);
}

export function recordFigure(figure: BenchFigure): void {
	if (!figure.id || !FIGURE_ID.test(figure.id)) {
		throw new Error(`recordFigure: "${figure.name}" needs an id of lower-case words joined by '-' and '.', e.g. 'mixed-2s.p99' (got ${JSON.stringify(figure.id)})`);
	}
	if (recordedIds().has(figure.id)) throw new Error(`recordFigure: the id ${figure.id} is already recorded in this run (${FIGURES_FILE}); each figure needs its own id`);
	if (figure.goal && figure.goal.max === undefined && figure.goal.min === undefined) throw new Error(`recordFigure: ${figure.id}'s goal has neither max nor min`);
	const withRatio =
		figure.baseline !== undefined && figure.ratio === undefined && figure.baseline !== 0
			? { ...figure, ratio: figure.value / figure.baseline }
			: figure;
	const recorded: RecordedFigure = { ...withRatio, ranAt: new Date().toISOString() };
	recordedHere.add(figure.id);
	mkdirSync(dirname(FIGURES_FILE), { recursive: true });
	appendFileSync(FIGURES_FILE, JSON.stringify(recorded) + '\n');
	console.log(`[bench] ${figure.id} — ${figure.name}: ${figure.value.toFixed(2)} ${figure.unit}` +
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

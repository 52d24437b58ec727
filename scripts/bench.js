// `npm run bench`: runs the benchmark runs declared below (RUNS) one after another, prints one table
// of figures with their baselines, ratios and goals, and writes them to bench/results.json.
//
//   npm run bench                          every run; bench/results.json is written afresh
//   npm run bench -- --only mixed-2s.p99   the runs whose id prefixes cover an id or prefix
//                                          (repeatable, or comma-separated); their figures replace
//                                          those of the same id in bench/results.json, the rest stay
//   npm run bench -- --list                the runs, their files, env and id prefixes
//   node scripts/bench.js tests/bench/x.bench.test.ts
//                                          vitest's file filters, run once with your env, as before;
//                                          merged by id like --only
//
// Every figure has a stable id (tests/bench/report.ts); each run owns id prefixes, and a figure
// outside its run's prefixes, or an id recorded twice, fails the bench. A run's env gives defaults:
// a variable set in your environment wins (to iterate at small sizes), except the run's `fixed` env,
// which names its figures.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{ max?: number, min?: number, of?: 'value' | 'ratio', text: string }} Goal
 * @typedef {{ id?: string, name: string, value: number, unit: string, baseline?: number, baselineName?: string,
 *   baselineId?: string, ratio?: number, goal?: Goal, target?: string, notes?: string, ranAt?: string, met?: boolean }} Figure
 * @typedef {{ name: string, file: string, prefixes: string[], env?: Record<string, string>, fixed?: Record<string, string>,
 *   about: string }} Run
 */

const MIXED = 'tests/bench/mixed-load.bench.test.ts';

/**
 * The benchmark runs of `npm run bench`, in order, each a file with its env and the id prefixes of
 * the figures it records. The mixed load runs three times (issue 19's table).
 * @type {Run[]}
 */
export const RUNS = [
	{ name: 'learner-load', file: 'tests/bench/learner-load.bench.test.ts', prefixes: ['learner-action'], about: '200 learners back to back, enhanced and full-page form posts, ÷ bare node:http' },
	{
		name: 'mixed-2s',
		file: MIXED,
		env: { BENCH_MIXED_LEARNERS: '300', BENCH_MIXED_THINK_MS: '2000', BENCH_MIXED_SECONDS: '60' },
		fixed: { BENCH_MIXED_ID: 'mixed-2s' },
		prefixes: ['mixed-2s'],
		about: '300 learners, a step every 2 s ± 50 %, 60 s; SQLite, PostgreSQL, PostgreSQL × 2, bare'
	},
	{
		name: 'mixed-1s',
		file: MIXED,
		env: { BENCH_MIXED_LEARNERS: '300', BENCH_MIXED_THINK_MS: '1000', BENCH_MIXED_SECONDS: '120' },
		fixed: { BENCH_MIXED_ID: 'mixed-1s' },
		prefixes: ['mixed-1s'],
		about: '300 learners, a step every 1 s ± 50 %, 120 s; SQLite, PostgreSQL, PostgreSQL × 2, bare'
	},
	{
		name: 'mixed-600-2s',
		file: MIXED,
		env: { BENCH_MIXED_LEARNERS: '600', BENCH_MIXED_THINK_MS: '2000', BENCH_MIXED_SECONDS: '60' },
		fixed: { BENCH_MIXED_ID: 'mixed-600-2s' },
		prefixes: ['mixed-600-2s'],
		about: '600 learners, a step every 2 s ± 50 %, 60 s; SQLite, PostgreSQL, PostgreSQL × 2, bare'
	},
	{ name: 'core-transactions', file: 'tests/bench/core-transactions.bench.test.ts', prefixes: ['core-record-disclose'], about: 'recordCustomer + disclose ÷ bare better-sqlite3' },
	{ name: 'core-audit', file: 'tests/bench/core-audit.bench.test.ts', prefixes: ['audit-append', 'audit-verify'], about: 'audit append and chain verification, 1,000,000 entries' },
	{ name: 'core-search', file: 'tests/bench/core-search.bench.test.ts', prefixes: ['seed-100k', 'search'], about: 'seed 100,000 customers, search them' },
	{ name: 'sim-runtime', file: 'tests/bench/sim-runtime.bench.test.ts', prefixes: ['sim-apply-action', 'sim-mark', 'attempt-start'], about: 'applyAction, markAttempt, startAttempt' },
	{ name: 'sim-screen', file: 'tests/bench/sim-screen.bench.test.ts', prefixes: ['sim-screen'], about: 'attempt page server time at 1,000 actions' },
	{ name: 'portfolio', file: 'tests/bench/portfolio.bench.test.ts', prefixes: ['portfolio-pdf'], about: 'a 20-attempt portfolio PDF: time, memory, event-loop stalls' },
	{ name: 'portfolio-load', file: 'tests/bench/portfolio-load.bench.test.ts', prefixes: ['portfolio-load'], about: 'a page while 8 learners loop on portfolio downloads' }
];

/**
 * Whether the id prefix `prefix` covers `id` (an id or a prefix): equal, or one begins with the
 * other at a boundary ('.' or '-'), so 'search' covers 'search-name.p99', 'mixed-2s' covers
 * 'mixed-2s.pg.p99', and 'mixed' covers 'mixed-600-2s' — but 'mixed-2s' never 'mixed-2s0'.
 * @param {string} prefix @param {string} id
 */
export function covers(prefix, id) {
	const [short, long] = prefix.length <= id.length ? [prefix, id] : [id, prefix];
	if (long === short) return true;
	return long.startsWith(short) && (long[short.length] === '.' || long[short.length] === '-');
}

/**
 * Whether `id` (a recorded figure's id) belongs to `run`: under one of its prefixes.
 * @param {Run} run @param {string} id
 */
export function owns(run, id) {
	return run.prefixes.some((p) => id === p || (id.startsWith(p) && (id[p.length] === '.' || id[p.length] === '-')));
}

/** vitest's options that take their value as the next argument (else it would read as a file filter). */
const VITEST_OPTIONS_WITH_VALUE = new Set(['-t', '--testNamePattern', '--reporter', '--outputFile', '--project', '--bail', '--retry', '--testTimeout']);

/**
 * The command line: `--only <id or prefix>` (repeatable, or comma-separated; also `--only=…`),
 * `--list`, `--help`, other options handed on to vitest (with the value of those that take one, e.g.
 * `-t <name pattern>`), the rest vitest's file filters.
 * @param {string[]} argv
 * @returns {{ only: string[], list: boolean, help: boolean, filters: string[], vitestArgs: string[] }}
 */
export function parseArgs(argv) {
	/** @type {string[]} */ const only = [];
	/** @type {string[]} */ const filters = [];
	/** @type {string[]} */ const vitestArgs = [];
	let list = false;
	let help = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = /** @type {string} */ (argv[i]);
		if (arg === '--list') list = true;
		else if (arg === '--only' || arg.startsWith('--only=')) {
			const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
			if (!value || value.startsWith('-')) throw new Error('--only needs an id or id prefix, e.g. --only mixed-2s.p99');
			only.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
		} else if (arg === '--help' || arg === '-h') help = true;
		else if (VITEST_OPTIONS_WITH_VALUE.has(arg) && i + 1 < argv.length) vitestArgs.push(arg, /** @type {string} */ (argv[++i]));
		else if (arg.startsWith('-')) vitestArgs.push(arg);
		else filters.push(arg);
	}
	if (only.length > 0 && filters.length > 0) throw new Error('give --only or file filters, not both');
	return { only, list, help, filters, vitestArgs };
}

/**
 * The runs `--only` selects, in RUNS order: each whose name or an id prefix covers one of `only`.
 * An id no run covers is an error that lists the known prefixes.
 * @param {string[]} only @param {Run[]} runs
 */
export function selectRuns(only, runs = RUNS) {
	if (only.length === 0) return runs;
	const unknown = only.filter((q) => !runs.some((r) => r.name === q || r.prefixes.some((p) => covers(p, q))));
	if (unknown.length > 0) {
		throw new Error(`no benchmark run covers ${unknown.map((q) => `"${q}"`).join(', ')}; the known id prefixes are: ${runs.flatMap((r) => r.prefixes).join(', ')}`);
	}
	return runs.filter((r) => only.some((q) => r.name === q || r.prefixes.some((p) => covers(p, q))));
}

/**
 * The env a run's vitest gets: the run's defaults, your environment over them, the run's fixed env
 * over that. `overridden` names the defaults your environment replaced.
 * @param {Run} run @param {Record<string, string | undefined>} processEnv
 */
export function runEnv(run, processEnv) {
	const defaults = run.env ?? {};
	const overridden = Object.keys(defaults).filter((k) => processEnv[k] !== undefined && processEnv[k] !== defaults[k]);
	return { env: { ...defaults, ...processEnv, ...(run.fixed ?? {}) }, overridden };
}

/**
 * Whether a figure meets its goal: undefined with no goal; false when what the goal bounds (the
 * value, or the ratio) was not measured.
 * @param {Figure} figure
 * @returns {boolean | undefined}
 */
export function goalMet(figure) {
	const goal = figure.goal;
	if (!goal) return undefined;
	const x = goal.of === 'ratio' ? figure.ratio : figure.value;
	if (x === undefined || x === null || !Number.isFinite(x)) return false;
	return (goal.max === undefined || x <= goal.max) && (goal.min === undefined || x >= goal.min);
}

/**
 * The problems in one run's figures: an id missing, recorded twice (in this run or an earlier run
 * of the same invocation), or outside the run's prefixes (then `--only` could not find it).
 * @param {Figure[]} figures @param {Run | undefined} run @param {Set<string>} seen ids recorded so far; updated
 */
export function checkFigures(figures, run, seen) {
	/** @type {string[]} */ const problems = [];
	for (const f of figures) {
		if (!f.id) {
			problems.push(`"${f.name}" has no id`);
			continue;
		}
		if (seen.has(f.id)) problems.push(`the id ${f.id} is recorded twice`);
		seen.add(f.id);
		if (run && !owns(run, f.id)) problems.push(`${f.id} is not under run ${run.name}'s prefixes (${run.prefixes.join(', ')}): add its prefix to the run in scripts/bench.js`);
	}
	return problems;
}

/**
 * bench/results.json's figures after a partial run: each earlier figure replaced in place by the
 * fresh one of the same id, the other earlier figures kept, the fresh ones with new ids appended.
 * Earlier figures with no id (written before ids) are dropped.
 * @param {Figure[]} earlier @param {Figure[]} fresh
 */
export function mergeFigures(earlier, fresh) {
	const byId = new Map(fresh.map((f) => [f.id, f]));
	/** @type {Figure[]} */ const merged = [];
	const placed = new Set();
	let dropped = 0;
	let kept = 0;
	for (const f of earlier) {
		if (!f.id) {
			dropped++;
			continue;
		}
		const replacement = byId.get(f.id);
		if (replacement) placed.add(f.id);
		else kept++;
		merged.push(replacement ?? f);
	}
	for (const f of fresh) if (!placed.has(f.id)) merged.push(f);
	return { figures: merged, kept, dropped };
}

/** @param {number | undefined} n */
const fmt = (n) => (n === undefined || n === null ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

/**
 * The figures as one text table: id, value, baseline, ratio, goal, ✓/✗ (blank with no goal), name.
 * @param {Figure[]} figures
 */
export function formatTable(figures) {
	const rows = figures.map((f) => {
		const met = goalMet(f);
		return [
			f.id ?? '(no id)',
			`${fmt(f.value)} ${f.unit}`,
			f.baseline === undefined ? '' : fmt(f.baseline),
			f.ratio === undefined ? '' : f.ratio.toFixed(3),
			f.goal?.text ?? '',
			met === undefined ? '' : met ? '✓' : '✗',
			f.name.length > 70 ? f.name.slice(0, 69) + '…' : f.name
		];
	});
	const header = ['id', 'value', 'baseline', 'ratio', 'goal', 'met', 'figure'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => /** @type {string} */ (r[i]).length)));
	/** @param {string[]} cells */
	const line = (cells) => cells.map((c, i) => c.padEnd(/** @type {number} */ (widths[i]))).join(' | ').trimEnd();
	return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** @param {Run[]} runs */
export function formatRuns(runs) {
	return runs
		.map((r) => {
			const env = Object.entries({ ...(r.env ?? {}), ...(r.fixed ?? {}) }).map(([k, v]) => `${k}=${v}`).join(' ');
			return `${r.name}\n  ${r.about}\n  file: ${r.file}${env ? `\n  env: ${env}` : ''}\n  id prefixes: ${r.prefixes.join(', ')}`;
		})
		.join('\n');
}

const USAGE = `npm run bench [-- options]
  (none)                    every run in scripts/bench.js; bench/results.json written afresh
  --only <id or prefix>     the runs covering it (repeatable, or comma-separated); their figures
                            replace those of the same id in bench/results.json, the rest stay
  --list                    the runs, their files, env and id prefixes
  <file filter>             vitest's file filters, run once with your env (merged by id)
  other options             handed on to vitest
A BENCH_* variable set in your environment overrides a run's default.`;

/** @param {string} file @returns {Figure[]} */
function readFigures(file) {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function main() {
	/** @type {ReturnType<typeof parseArgs>} */ let args;
	/** @type {Run[]} */ let runs;
	try {
		args = parseArgs(process.argv.slice(2));
		runs = args.filters.length > 0 ? [] : selectRuns(args.only);
	} catch (e) {
		console.error(`bench: ${/** @type {Error} */ (e).message}`);
		process.exit(1);
	}
	if (args.help) {
		console.log(USAGE);
		return;
	}
	if (args.list) {
		console.log(formatRuns(RUNS));
		return;
	}

	const figuresFile = 'tests/.artifacts/bench-figures.jsonl';
	mkdirSync('tests/.artifacts', { recursive: true });
	rmSync(figuresFile, { force: true });
	// Each invocation of vitest: a declared run, or (file filters) one plain vitest run as before.
	/** @type {{ run: Run | undefined, label: string, env: Record<string, string | undefined>, vitest: string[] }[]} */
	const invocations =
		args.filters.length > 0
			? [{ run: undefined, label: args.filters.join(' '), env: process.env, vitest: [...args.filters, ...args.vitestArgs] }]
			: runs.map((run) => {
					const { env, overridden } = runEnv(run, process.env);
					for (const k of overridden) console.log(`[bench] ${run.name}: ${k}=${process.env[k]} from your environment (the run's default is ${run.env?.[k]})`);
					return { run, label: run.name, env, vitest: [run.file, ...args.vitestArgs] };
				});

	/** @type {Figure[]} */ const figures = [];
	/** @type {string[]} */ const failures = [];
	const seen = new Set();
	for (const { run, label, env, vitest } of invocations) {
		console.log(`\n[bench] ── ${label} ──`);
		const before = readFigures(figuresFile).length;
		const result = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.bench.config.ts', ...vitest], {
			stdio: 'inherit',
			env: { ...env, BENCH_FIGURES_FILE: figuresFile }
		});
		const fresh = readFigures(figuresFile).slice(before);
		if (result.status !== 0) failures.push(`${label}: vitest exited with ${result.status ?? result.signal}`);
		failures.push(...checkFigures(fresh, run, seen).map((p) => `${label}: ${p}`));
		figures.push(...fresh.map((f) => ({ ...f, met: goalMet(f) })));
	}

	console.log('\n' + formatTable(figures));
	const goals = figures.filter((f) => f.met !== undefined);
	if (goals.length > 0) console.log(`\nGoals met: ${goals.filter((f) => f.met).length} of ${goals.length}${goals.some((f) => !f.met) ? ` (not met: ${goals.filter((f) => !f.met).map((f) => f.id).join(', ')})` : ''}`);

	const machine = {
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model ?? 'unknown',
		memoryGiB: Math.round(totalmem() / 2 ** 30),
		node: process.version,
		platform: process.platform
	};
	mkdirSync('bench', { recursive: true });
	// A whole run writes the file afresh; a partial one (--only, file filters) merges by id.
	const partial = args.only.length > 0 || args.filters.length > 0;
	const earlier = partial && existsSync('bench/results.json') ? JSON.parse(readFileSync('bench/results.json', 'utf8')).figures : [];
	const merged = mergeFigures(earlier, figures.filter((f) => f.id));
	writeFileSync('bench/results.json', JSON.stringify({ ranAt: new Date().toISOString(), machine, figures: merged.figures }, null, 2) + '\n');
	console.log(
		`\nWrote ${figures.length} figure${figures.length === 1 ? '' : 's'} to bench/results.json` +
			(merged.kept ? ` (kept ${merged.kept} from earlier runs)` : '') +
			(merged.dropped ? ` (dropped ${merged.dropped} earlier figures with no id)` : '')
	);
	if (failures.length > 0) {
		console.error(`\nbench: ${failures.length} problem${failures.length === 1 ? '' : 's'}:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
		process.exit(1);
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNS, checkFigures, covers, formatTable, goalMet, mergeFigures, owns, parseArgs, runEnv, selectRuns } from './bench.js';

const figure = (id: string | undefined, value: number, extra: Record<string, unknown> = {}) => ({ id, name: `figure ${id}`, value, unit: 'ms', ...extra });
const names = (runs: { name: string }[]) => runs.map((r) => r.name);

describe('npm run bench: the command line', () => {
	it('reads --only (repeated, comma-separated, or with =), --list, vitest options and file filters', () => {
		expect(parseArgs(['--only', 'mixed-2s.p99', '--only=audit-verify,sim-screen', '--list', '--reporter=verbose'])).toEqual({
			only: ['mixed-2s.p99', 'audit-verify', 'sim-screen'],
			list: true,
			help: false,
			filters: [],
			vitestArgs: ['--reporter=verbose']
		});
		expect(parseArgs(['tests/bench/core-audit.bench.test.ts'])).toEqual({ only: [], list: false, help: false, filters: ['tests/bench/core-audit.bench.test.ts'], vitestArgs: [] });
		expect(parseArgs(['--help'])).toMatchObject({ help: true });
	});

	it('keeps a vitest option with the value that follows it, so the value is not read as a file filter', () => {
		expect(parseArgs(['core-audit', '-t', 'verifies a chain', '--reporter', 'verbose', '--silent'])).toMatchObject({
			filters: ['core-audit'],
			vitestArgs: ['-t', 'verifies a chain', '--reporter', 'verbose', '--silent']
		});
		expect(parseArgs(['--only', 'audit', '-t', 'verifies'])).toMatchObject({ only: ['audit'], filters: [], vitestArgs: ['-t', 'verifies'] });
	});

	it('refuses --only without an id, and --only together with file filters', () => {
		expect(() => parseArgs(['--only'])).toThrow(/needs an id/);
		expect(() => parseArgs(['--only', '--list'])).toThrow(/needs an id/);
		expect(() => parseArgs(['--only', 'sim-screen', 'tests/bench/sim-screen.bench.test.ts'])).toThrow(/not both/);
	});
});

describe('npm run bench: which runs --only selects', () => {
	it('runs the one run whose prefix covers a figure id', () => {
		expect(names(selectRuns(['mixed-2s.p99']))).toEqual(['mixed-2s']);
		expect(names(selectRuns(['mixed-2s.pg2.p99']))).toEqual(['mixed-2s']);
		expect(names(selectRuns(['mixed-600-2s.errors']))).toEqual(['mixed-600-2s']);
		expect(names(selectRuns(['audit-verify']))).toEqual(['core-audit']);
		expect(names(selectRuns(['audit-verify.ratio']))).toEqual(['core-audit']);
		expect(names(selectRuns(['search-name.p99']))).toEqual(['core-search']);
		expect(names(selectRuns(['learner-action.nojs.ratio']))).toEqual(['learner-load']);
		expect(names(selectRuns(['sim-screen']))).toEqual(['sim-screen']);
	});

	it('runs every run a broader prefix covers, in the declared order, each once', () => {
		expect(names(selectRuns(['mixed']))).toEqual(['mixed-2s', 'mixed-1s', 'mixed-600-2s']);
		expect(names(selectRuns(['audit', 'audit-append.ratio']))).toEqual(['core-audit']);
		expect(names(selectRuns(['sim-screen', 'learner-action']))).toEqual(['learner-load', 'sim-screen']);
	});

	it('selects by a run name too', () => {
		expect(names(selectRuns(['core-search']))).toEqual(['core-search']);
		expect(names(selectRuns(['portfolio-load']))).toEqual(['portfolio-load']);
	});

	it('refuses an id no run covers, listing the known prefixes', () => {
		expect(() => selectRuns(['mixed-3s.p99'])).toThrow(/no benchmark run covers "mixed-3s.p99"; the known id prefixes are: learner-action, mixed-2s, mixed-1s, mixed-600-2s/);
		// A prefix covers at a boundary only: 'mixed-2s' is not a prefix of 'mixed-2s0'.
		expect(() => selectRuns(['mixed-2s0'])).toThrow(/no benchmark run covers/);
		expect(() => selectRuns(['sim-screen.ms', 'nothing'])).toThrow(/"nothing"/);
	});

	it('runs everything without --only', () => {
		expect(selectRuns([])).toBe(RUNS);
	});

	it('matches prefixes at "." and "-" boundaries, either way round', () => {
		expect(covers('search', 'search-name.p99')).toBe(true);
		expect(covers('mixed-2s', 'mixed-2s.pg.p99')).toBe(true);
		expect(covers('mixed-2s.pg.p99', 'mixed-2s')).toBe(true);
		expect(covers('mixed-2s', 'mixed-2s')).toBe(true);
		expect(covers('mixed-2s', 'mixed-600-2s')).toBe(false);
		expect(covers('mixed-2s', 'mixed-2sx')).toBe(false);
		expect(covers('sim', 'simulation')).toBe(false);
	});
});

describe('npm run bench: the declared runs', () => {
	it('give the mixed load three runs with their own env and id prefix', () => {
		const mixed = RUNS.filter((r) => r.file === 'tests/bench/mixed-load.bench.test.ts');
		expect(mixed.map((r) => [r.name, r.fixed?.BENCH_MIXED_ID, r.env?.BENCH_MIXED_LEARNERS, r.env?.BENCH_MIXED_THINK_MS, r.env?.BENCH_MIXED_SECONDS])).toEqual([
			['mixed-2s', 'mixed-2s', '300', '2000', '60'],
			['mixed-1s', 'mixed-1s', '300', '1000', '120'],
			['mixed-600-2s', 'mixed-600-2s', '600', '2000', '60']
		]);
	});

	it('own disjoint prefixes, so a recorded id belongs to one run only', () => {
		for (const id of ['mixed-2s.p99', 'mixed-1s.offered-ratio', 'mixed-600-2s.pg2.p99', 'audit-append.ratio', 'seed-100k.seconds', 'search-misspelt.p99', 'attempt-start.ms', 'core-record-disclose.ratio', 'portfolio-pdf.rss-mb', 'learner-action.enhanced.ratio']) {
			expect(RUNS.filter((r) => owns(r, id)), id).toHaveLength(1);
		}
		for (const run of RUNS) expect(RUNS.filter((r) => r !== run && r.prefixes.some((p) => run.prefixes.some((q) => covers(p, q)))), run.name).toEqual([]);
	});

	it('let your environment override a run’s defaults, never the env that names its figures', () => {
		const run = RUNS.find((r) => r.name === 'mixed-2s')!;
		const { env, overridden } = runEnv(run, { BENCH_MIXED_SECONDS: '10', BENCH_MIXED_ID: 'mine', PATH: '/bin' });
		expect(env).toMatchObject({ BENCH_MIXED_SECONDS: '10', BENCH_MIXED_THINK_MS: '2000', BENCH_MIXED_ID: 'mixed-2s', PATH: '/bin' });
		expect(overridden).toEqual(['BENCH_MIXED_SECONDS']);
	});
});

describe('npm run bench: goals', () => {
	it('holds the value to a max or a min, bounds included', () => {
		expect(goalMet(figure('mixed-2s.p99', 25, { goal: { max: 25, text: 'p99 ≤ 25 ms' } }))).toBe(true);
		expect(goalMet(figure('mixed-2s.p99', 25.1, { goal: { max: 25, text: 'p99 ≤ 25 ms' } }))).toBe(false);
		expect(goalMet(figure('mixed-1s.offered-ratio', 0.995, { goal: { min: 0.99, text: '≥ 0.99' } }))).toBe(true);
		expect(goalMet(figure('mixed-1s.offered-ratio', 0.91, { goal: { min: 0.99, text: '≥ 0.99' } }))).toBe(false);
		expect(goalMet(figure('mixed-600-2s.errors', 0, { goal: { max: 0, text: '0 errors' } }))).toBe(true);
	});

	it('holds the ratio to the baseline when the goal says so', () => {
		const goal = { min: 0.6, of: 'ratio', text: '≥ 0.6 of bare' };
		expect(goalMet(figure('learner-action.enhanced.ratio', 700, { baseline: 1000, ratio: 0.7, goal }))).toBe(true);
		expect(goalMet(figure('learner-action.enhanced.ratio', 500, { baseline: 1000, ratio: 0.5, goal }))).toBe(false);
	});

	it('is not met when what it bounds was not measured, and absent without a goal', () => {
		expect(goalMet(figure('audit-append.ratio', 13800, { goal: { min: 0.5, of: 'ratio', text: '≥ 0.5' } }))).toBe(false);
		expect(goalMet(figure('search-name.p99', Number.NaN, { goal: { max: 5, text: '< 5 ms' } }))).toBe(false);
		expect(goalMet(figure('search-name.p50', 2))).toBeUndefined();
	});

	it('prints ✓ or ✗ beside a goal and nothing without one', () => {
		const lines = formatTable([
			figure('mixed-2s.p99', 20, { goal: { max: 25, text: 'p99 ≤ 25 ms' } }),
			figure('mixed-1s.p99', 60, { goal: { max: 50, text: 'p99 ≤ 50 ms' } }),
			figure('mixed-2s.p50', 5)
		]).split('\n');
		expect(lines[0]).toMatch(/^id +\| value +\| baseline \| ratio \| goal +\| met \| figure$/);
		expect(lines[2]).toMatch(/^mixed-2s\.p99 .*\| p99 ≤ 25 ms \| ✓ +\| figure mixed-2s\.p99$/);
		expect(lines[3]).toMatch(/^mixed-1s\.p99 .*\| p99 ≤ 50 ms \| ✗ +\| figure mixed-1s\.p99$/);
		expect(lines[4]).toMatch(/^mixed-2s\.p50 .*\| +\| +\| figure mixed-2s\.p50$/);
	});
});

describe('npm run bench: a run’s figures', () => {
	it('are refused without an id, twice under one id, or outside the run’s prefixes', () => {
		const run = RUNS.find((r) => r.name === 'core-audit')!;
		const seen = new Set(['audit-append.ratio']);
		expect(checkFigures([figure('audit-verify.ratio', 1), figure('audit-verify.ratio', 2), figure(undefined, 3), figure('search-name.p99', 4), figure('audit-append.ratio', 5)], run, seen)).toEqual([
			'the id audit-verify.ratio is recorded twice',
			'"figure undefined" has no id',
			"search-name.p99 is not under run core-audit's prefixes (audit-append, audit-verify): add its prefix to the run in scripts/bench.js",
			'the id audit-append.ratio is recorded twice'
		]);
		expect(checkFigures([figure('audit-verify.ratio', 1)], run, new Set())).toEqual([]);
	});

	it('replace earlier figures of the same id in place, keep the others, append new ids, drop earlier ones with no id', () => {
		const earlier = [figure('a.p99', 1), figure(undefined, 2), figure('b.p99', 3), figure('c.p99', 4)];
		const fresh = [figure('c.p99', 40), figure('a.p99', 10), figure('d.p99', 50)];
		const merged = mergeFigures(earlier, fresh);
		expect(merged.figures.map((f) => [f.id, f.value])).toEqual([
			['a.p99', 10],
			['b.p99', 3],
			['c.p99', 40],
			['d.p99', 50]
		]);
		expect(merged).toMatchObject({ kept: 1, dropped: 1 });
	});
});

/** The text of each `recordFigure(…)` call in `source`, up to its closing parenthesis. */
function recordFigureCalls(source: string): string[] {
	const calls: string[] = [];
	for (let at = source.indexOf('recordFigure('); at !== -1; at = source.indexOf('recordFigure(', at + 1)) {
		let depth = 0;
		let end = at + 'recordFigure'.length;
		do {
			if (source[end] === '(') depth++;
			else if (source[end] === ')') depth--;
			end++;
		} while (depth > 0 && end < source.length);
		calls.push(source.slice(at, end));
	}
	return calls.filter((call) => !call.startsWith('recordFigure(figure: BenchFigure)'));
}

describe('npm run bench: the benchmark files', () => {
	const files = readdirSync('tests/bench').filter((f) => f.endsWith('.bench.test.ts')).map((f) => `tests/bench/${f}`);

	it('each belong to a declared run, and each run to a file', () => {
		expect(files.filter((file) => !RUNS.some((r) => r.file === file))).toEqual([]);
		expect(RUNS.filter((r) => !files.includes(r.file)).map((r) => r.name)).toEqual([]);
	});

	it('give every figure an id, under a prefix of the file’s runs', () => {
		for (const file of files) {
			const source = readFileSync(file, 'utf8');
			const calls = recordFigureCalls(source);
			expect(calls.length, file).toBeGreaterThan(0);
			expect(calls.filter((call) => !/\bid\b/.test(call)), `${file}: recordFigure without an id`).toEqual([]);
			// Each id's literal beginning (before any \${…}), e.g. 'search-' of `search-\${kind}.p99`.
			const literals = [...calls.join('\n').matchAll(/\b(?:id|baselineId): ['`]([a-z0-9.-]*)/g)].map((m) => m[1]!.replace(/[.-]$/, '')).filter(Boolean);
			const runs = RUNS.filter((r) => r.file === file);
			expect(literals.filter((id) => !runs.some((r) => owns(r, id))), file).toEqual([]);
		}
	});
});

// `npm run bench`: runs every benchmark (tests/bench/*.bench.test.ts) one after another and prints one
// table of figures with their baselines and ratios; writes them to bench/results.json.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const figuresFile = 'tests/.artifacts/bench-figures.jsonl';
mkdirSync('tests/.artifacts', { recursive: true });
rmSync(figuresFile, { force: true });
const filter = process.argv.slice(2);
const run = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.bench.config.ts', ...filter], {
	stdio: 'inherit',
	env: { ...process.env, BENCH_FIGURES_FILE: figuresFile }
});
const figures = existsSync(figuresFile)
	? readFileSync(figuresFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
	: [];

const fmt = (n) => (n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
const rows = figures.map((f) => [f.name, `${fmt(f.value)} ${f.unit}`, f.baseline === undefined ? '' : `${fmt(f.baseline)} (${f.baselineName ?? 'baseline'})`, f.ratio === undefined ? '' : f.ratio.toFixed(3), f.target ?? '']);
const header = ['figure', 'value', 'baseline', 'ratio', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
console.log('\n' + line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line(row));

const machine = {
	cpus: cpus().length,
	cpuModel: cpus()[0]?.model ?? 'unknown',
	memoryGiB: Math.round(totalmem() / 2 ** 30),
	node: process.version,
	platform: process.platform
};
mkdirSync('bench', { recursive: true });
// A run of some benchmarks (a filter was given) updates their figures and keeps the others.
let kept = [];
if (filter.length > 0 && existsSync('bench/results.json')) {
	const names = new Set(figures.map((f) => f.name));
	kept = JSON.parse(readFileSync('bench/results.json', 'utf8')).figures.filter((f) => !names.has(f.name));
}
writeFileSync('bench/results.json', JSON.stringify({ ranAt: new Date().toISOString(), machine, figures: [...kept, ...figures] }, null, 2) + '\n');
console.log(`\nWrote ${figures.length} figures to bench/results.json${kept.length ? ` (kept ${kept.length} from earlier runs)` : ''}`);
process.exit(run.status ?? 1);

// `npm test`: every check and test of the project, ending with one line that counts every test run
// (vitest and Playwright together): `N passed, N failed[, N skipped]`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium, chromiumVersion } from './chromium.js';
import { buildIfStale } from './build.js';

const ARTIFACTS = 'tests/.artifacts';
mkdirSync(ARTIFACTS, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
/** Every failed test, named again just above the summary, so a run's tail says what failed. */
const failures = [];
const firstLine = (text) => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').trim().split('\n')[0]?.slice(0, 300) ?? '';

/** How long each step took, printed with the summary (the whole command must stay under 20 minutes on 2 cores). */
const timings = [];
const minutes = (ms) => `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const started = Date.now();

function step(title, cmd, args, env = {}) {
	console.log(`\n=== ${title} ===`);
	const start = Date.now();
	const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	timings.push(`${title}: ${minutes(Date.now() - start)}`);
	return result.status === 0;
}

function readJson(path) {
	if (!existsSync(path)) return null;
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		return null;
	}
}

// 1. Types: svelte-check over the whole project.
if (!step('Generated types (svelte-kit sync)', 'npx', ['svelte-kit', 'sync']) ||
	!step('Type check (svelte-check)', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings'])) {
	problems.push('svelte-check found errors');
}

// 2. Scenario files, when the project has the checker.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
if (pkg.scripts['scenarios:check'] && !step('Scenario files (npm run scenarios:check)', 'npm', ['run', '--silent', 'scenarios:check'])) {
	problems.push('scenarios:check found errors');
}

// 3. Unit and integration tests (vitest), on SQLite; then the core's and the simulation's suites again on
// PostgreSQL (vitest.pg.config.ts: one embedded PostgreSQL for the run). `npm run test:pg` runs the
// server's there too; they are left out here to keep the whole command under 20 minutes on 2 cores.
function vitestStep(title, label, args) {
	const json = `${ARTIFACTS}/vitest-${label}.json`;
	rmSync(json, { force: true });
	const ok = step(title, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
	const report = readJson(json);
	if (report) {
		totals.passed += report.numPassedTests;
		totals.failed += report.numFailedTests;
		totals.skipped += report.numPendingTests + report.numTodoTests;
		for (const file of report.testResults ?? []) {
			for (const test of file.assertionResults ?? []) {
				if (test.status === 'failed') failures.push(`vitest${label === 'sqlite' ? '' : ` (${label})`} ${file.name.replace(`${process.cwd()}/`, '')} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
			}
		}
	}
	if (!ok && (!report || report.numFailedTests === 0)) problems.push(`vitest (${label}) did not complete`);
	return ok;
}
const vitestOk = [
	vitestStep('Unit and integration tests (vitest)', 'sqlite', []),
	vitestStep('The core and the simulation on PostgreSQL (vitest, vitest.pg.config.ts)', 'postgresql', ['--config', 'vitest.pg.config.ts', 'src/lib/core', 'src/lib/sim'])
].every(Boolean);

// 4. End-to-end tests (Playwright, headless Chromium, against the built app).
let e2eOk = false;
try {
	const chromium = await ensureChromium();
	console.log(`\nChromium: ${chromium} (${chromiumVersion(chromium)})`);
	const buildStart = Date.now();
	buildIfStale();
	timings.push(`Build (when stale): ${minutes(Date.now() - buildStart)}`);
	const playwrightJson = `${ARTIFACTS}/playwright.json`;
	rmSync(playwrightJson, { force: true });
	e2eOk = step('End-to-end tests (Playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
		PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
		CHROMIUM_PATH: chromium
	});
	const report = readJson(playwrightJson);
	if (report) {
		totals.passed += report.stats.expected + report.stats.flaky;
		totals.failed += report.stats.unexpected;
		totals.skipped += report.stats.skipped;
		const walk = (suite) => {
			for (const spec of suite.specs ?? []) {
				for (const test of spec.tests ?? []) {
					if (test.status !== 'unexpected') continue;
					const last = test.results?.at(-1);
					failures.push(`playwright ${spec.file}:${spec.line} › ${spec.title}: ${firstLine(last?.error?.message)}`);
				}
			}
			for (const child of suite.suites ?? []) walk(child);
		};
		for (const suite of report.suites ?? []) walk(suite);
	}
	if (!e2eOk && (!report || report.stats.unexpected === 0)) problems.push('Playwright did not complete');
} catch (error) {
	problems.push(`end-to-end tests could not run: ${error instanceof Error ? error.message : String(error)}`);
}

console.log('');
console.log(`Time: ${minutes(Date.now() - started)} in all`);
for (const timing of timings) console.log(`  ${timing}`);
if (failures.length > 0) {
	console.log('Failed tests:');
	for (const failure of failures) console.log(`  ${failure}`);
}
for (const problem of problems) console.log(`Problem: ${problem}`);
const ok = problems.length === 0 && totals.failed === 0 && vitestOk && e2eOk;
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);

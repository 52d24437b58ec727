/**
 * Mixed load (issue 8): 300 simulated learners for 2 minutes on the built server, each a loop of
 * page loads and actions as a learner at work makes them — the attempt page, the home page, the
 * coverage map, and actions on the attempt (a customer search through ?/op, as use:enhance posts
 * it) — with a think time between steps.
 *
 * Baseline, in the same benchmark: the bare node:http server (learner-load-bare-server.ts) loaded
 * the same way with the same mix: its actions are the same applyAction; its "page" is the attempt's
 * JSON (getAttempt), no HTML, no sessions, no SvelteKit.
 *
 * The app is loaded on each engine and instance count BENCH_MIXED_ENGINES names (issue 18), one after
 * another, each on a fresh database: "sqlite" (one instance on a SQLite file, as before issue 18),
 * "postgres" (one instance on an embedded PostgreSQL started for the run), "postgres-2" (two app
 * processes on that PostgreSQL; each request goes to the next instance in turn, as a load balancer
 * without sticky sessions sends them). The baseline runs once, after them.
 *
 * Figures: requests/s, p50/p95/p99 latency (all requests, and p99 per kind), errors. Target (issue
 * 8): no errors, p99 under 150 ms. Recorded, never asserted. SQLite's figures keep the names they
 * had before issue 18; the others name their engine and instances ("mixed load (PostgreSQL, 2
 * instances): …").
 *
 * BENCH_MIXED_LEARNERS (300), BENCH_MIXED_SECONDS (120), BENCH_MIXED_THINK_MS (1000: a step every
 * 0.5–1.5 s per learner, far brisker than a person reading a customer's record; 0 = back to back,
 * which measures saturation, where latency is queueing), BENCH_LOAD_WARMUP_SECONDS (5),
 * BENCH_MIXED_ENGINES ("sqlite,postgres,postgres-2"; an engine with "-N" runs N instances).
 *
 * The figures' ids (bench/results.json) begin with BENCH_MIXED_ID, which `npm run bench` sets per run
 * (mixed-2s, mixed-1s, mixed-600-2s; scripts/bench.js); without it, mixed[-<learners>]-<think>s from
 * the env, learners left out at 300. Then <prefix>.<figure> on SQLite, <prefix>.pg.<figure> and
 * <prefix>.pg2.<figure> on PostgreSQL with one and two instances, <prefix>.bare.<figure> the baseline;
 * figures rps, p50, p95, p99, errors, and offered-ratio: requests served without error ÷ offered
 * (learners × BENCH_MIXED_SECONDS ÷ the mean step period, the think time), with a think time only.
 */
import type { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { startAppServer, startBareServer, type AppServer, type Engine } from './load-support';
import { appTarget, MIX, newAgent, runLearners, SEARCH, type Kind, type Target } from './mixed-traffic';
import { FIGURE_ID, percentiles, recordFigure, type BenchGoal } from './report';

const LEARNERS = Number(process.env.BENCH_MIXED_LEARNERS ?? 300);
const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 120);
const THINK_MS = Number(process.env.BENCH_MIXED_THINK_MS ?? 1000);
const WARMUP_SECONDS = Number(process.env.BENCH_LOAD_WARMUP_SECONDS ?? 5);
const TARGET = 'no errors, p99 < 150 ms (issue 8)';
/** Extra node flags for the app server, e.g. "--cpu-prof --cpu-prof-dir=tests/.artifacts/prof". */
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ID = process.env.BENCH_MIXED_ID ?? `mixed${LEARNERS === 300 ? '' : `-${LEARNERS}`}-${THINK_MS % 1000 === 0 ? `${THINK_MS / 1000}s` : `${THINK_MS}ms`}`;
if (!FIGURE_ID.test(ID)) throw new Error(`BENCH_MIXED_ID: "${ID}" is not lower-case words joined by '-' and '.'`);
/** Issue 19's goals, by run (the id prefix) and figure; they hold on every engine, not on the baseline. */
const GOALS: Record<string, Record<string, BenchGoal>> = {
	'mixed-2s': { p99: { max: 25, text: 'p99 ≤ 25 ms (issue 19)' } },
	'mixed-1s': { p99: { max: 50, text: 'p99 ≤ 50 ms (issue 19)' }, 'offered-ratio': { min: 0.99, text: '≥ 0.99 of offered (issue 19)' } },
	'mixed-600-2s': { p99: { max: 50, text: 'p99 ≤ 50 ms (issue 19)' }, errors: { max: 0, text: '0 errors (issue 19)' } }
};

/** One configuration of the app under load: its engine and how many instances share the database. */
interface Setup {
	engine: Engine;
	instances: number;
	/** '' for SQLite with one instance (the figures' names from before issue 18), else ' (PostgreSQL, 2 instances)'. */
	label: string;
	/** The figures' id part after the run's prefix: '' for SQLite with one instance, else '.pg', '.pg2', '.sqlite2'. */
	idPart: string;
}

function setupOf(text: string): Setup {
	const match = /^(sqlite|postgres)(?:-(\d+))?$/.exec(text.trim());
	if (!match) throw new Error(`BENCH_MIXED_ENGINES: "${text}" is not sqlite, postgres or either with -N instances`);
	const engine = match[1] as Engine;
	const instances = Number(match[2] ?? 1);
	const label = engine === 'sqlite' && instances === 1 ? '' : ` (${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${instances} instance${instances === 1 ? '' : 's'})`;
	const idPart = engine === 'sqlite' && instances === 1 ? '' : `.${engine === 'sqlite' ? 'sqlite' : 'pg'}${instances === 1 ? '' : instances}`;
	return { engine, instances, label, idPart };
}

const SETUPS = (process.env.BENCH_MIXED_ENGINES ?? 'sqlite,postgres,postgres-2').split(',').filter((s) => s.trim()).map(setupOf);

interface MixedResult {
	seconds: number;
	latencies: number[];
	byKind: Map<Kind, number[]>;
	errors: number;
	errorKinds: Map<string, number>;
}

async function run(target: Target, agent: Agent, seconds: number): Promise<MixedResult> {
	const started = performance.now();
	const samples = await runLearners(target, agent, LEARNERS, seconds, THINK_MS);
	const byKind = new Map<Kind, number[]>();
	const errorKinds = new Map<string, number>();
	for (const s of samples) {
		if (!byKind.has(s.kind)) byKind.set(s.kind, []);
		byKind.get(s.kind)!.push(s.ms);
		if (s.problem !== null) errorKinds.set(`${s.kind}: ${s.problem}`, (errorKinds.get(`${s.kind}: ${s.problem}`) ?? 0) + 1);
	}
	const errors = samples.filter((s) => s.problem !== null).length;
	return { seconds: (performance.now() - started) / 1000, latencies: samples.map((s) => s.ms), byKind, errors, errorKinds };
}

function describeErrors(r: MixedResult): string {
	return r.errors === 0 ? 'no errors' : `${r.errors} errors (${[...r.errorKinds].map(([k, n]) => `${k}: ${n}`).join('; ')})`;
}

function summary(r: MixedResult) {
	const p = percentiles(r.latencies, [50, 95, 99]);
	const perKind = [...r.byKind].map(([kind, samples]) => `${kind} p99 ${percentiles(samples, [99]).p99!.toFixed(0)} ms (${samples.length})`).join(', ');
	// Offered: each learner offers a step per think time (the mean of think × (0.5 … 1.5)) for SECONDS.
	const offered = THINK_MS > 0 ? (LEARNERS * SECONDS) / (THINK_MS / 1000) : undefined;
	const served = r.latencies.length - r.errors;
	return { perSecond: r.latencies.length / r.seconds, p50: p.p50!, p95: p.p95!, p99: p.p99!, requests: r.latencies.length, perKind, offered, offeredRatio: offered === undefined ? undefined : served / offered };
}

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
	await Promise.all(stops.map((stop) => stop()));
});

describe('mixed load', () => {
	it(`${LEARNERS} learners loading pages and acting for ${SECONDS} s on the built server (${SETUPS.map((s) => `${s.engine} ×${s.instances}`).join(', ')}), beside the bare baseline`, async () => {
		// ── The app, on each engine and instance count in turn ──
		const appRuns: { setup: Setup; result: MixedResult }[] = [];
		for (const setup of SETUPS) {
			const app = await startAppServer(LEARNERS, { nodeArgs: APP_NODE_ARGS, engine: setup.engine, instances: setup.instances });
			stops.push(app.stop);
			const target = appTarget(app);
			const agent = newAgent(LEARNERS);
			const warm = await run(target, agent, WARMUP_SECONDS);
			if (warm.errors > 0) console.log(`[bench] mixed app${setup.label} warm-up: ${describeErrors(warm)}`);
			const result = await run(target, agent, SECONDS);
			agent.destroy();
			await app.stop();
			appRuns.push({ setup, result });
			console.log(`[bench] mixed app${setup.label}: ${JSON.stringify(summary(result))}; ${describeErrors(result)}`);
		}

		// ── The baseline ──
		const bare = await startBareServer(LEARNERS);
		stops.push(bare.stop);
		const bareSeqs = bare.attempts.map((x) => x.seq);
		const bareTarget: Target = {
			request(learner, kind) {
				const id = encodeURIComponent(bare.attempts[learner]!.id);
				if (kind === 'action') {
					return { port: bare.port, method: 'POST', path: `/op/${id}`, headers: {}, body: new URLSearchParams({ ...SEARCH, expectedActionSeq: String(bareSeqs[learner]) }).toString() };
				}
				return { port: bare.port, method: 'GET', path: `/attempt/${id}`, headers: {} };
			},
			verdict: (_kind, status) => (status === 200 ? null : `status ${status}`),
			acknowledged(learner) {
				bareSeqs[learner]!++;
			}
		};
		const bareAgent = newAgent(LEARNERS);
		await run(bareTarget, bareAgent, WARMUP_SECONDS);
		const bareResult = await run(bareTarget, bareAgent, SECONDS);
		bareAgent.destroy();
		await bare.stop();
		const b = summary(bareResult);
		console.log(`[bench] mixed bare: ${JSON.stringify(b)}; ${describeErrors(bareResult)}`);

		const common = `${LEARNERS} learners, ${SECONDS} s, mixed (${MIX.map((m) => `${m.weight}% ${m.kind}`).join(', ')}), ${THINK_MS > 0 ? `think time ${THINK_MS} ms ±50%` : 'no think time'}`;
		const baselineName = 'bare node:http server, same mix (pages as the attempt’s JSON), no SvelteKit or sessions';
		const bareName = (what: string) => `mixed load, bare node:http baseline: ${what}, ${common}`;
		const offeredNotes = (s: ReturnType<typeof summary>, r: MixedResult) => `${r.latencies.length - r.errors} requests served without error of ${s.offered?.toFixed(0)} offered (${LEARNERS} learners × ${SECONDS} s ÷ ${THINK_MS / 1000} s per step)`;
		recordFigure({ id: `${ID}.bare.rps`, name: bareName('requests per second'), value: b.perSecond, unit: 'requests/s', notes: `${b.requests} requests, ${describeErrors(bareResult)}; ${b.perKind}` });
		recordFigure({ id: `${ID}.bare.p50`, name: bareName('p50 latency'), value: b.p50, unit: 'ms (p50)' });
		recordFigure({ id: `${ID}.bare.p95`, name: bareName('p95 latency'), value: b.p95, unit: 'ms (p95)' });
		recordFigure({ id: `${ID}.bare.p99`, name: bareName('p99 latency'), value: b.p99, unit: 'ms (p99)', notes: b.perKind });
		recordFigure({ id: `${ID}.bare.errors`, name: bareName('errors'), value: bareResult.errors, unit: 'errors', notes: describeErrors(bareResult) });
		if (b.offeredRatio !== undefined) recordFigure({ id: `${ID}.bare.offered-ratio`, name: bareName('requests served ÷ offered'), value: b.offeredRatio, unit: 'of offered', notes: offeredNotes(b, bareResult) });
		for (const { setup, result } of appRuns) {
			expect(result.latencies.length).toBeGreaterThan(0);
			const a = summary(result);
			const met = `p99 ${a.p99 < 150 ? 'met' : 'NOT met'}, errors ${result.errors === 0 ? 'met' : 'NOT met'}`;
			const name = (what: string) => `mixed load${setup.label}: ${what}, ${common}`;
			const id = (figure: string) => ({ id: `${ID}${setup.idPart}.${figure}`, baselineId: `${ID}.bare.${figure}`, goal: GOALS[ID]?.[figure] });
			recordFigure({ ...id('rps'), name: name('requests per second'), value: a.perSecond, unit: 'requests/s', baselineName, baseline: b.perSecond, target: TARGET, notes: `${a.requests} requests, ${describeErrors(result)}; targets: ${met}; ${a.perKind}; baseline ${b.requests} requests, ${describeErrors(bareResult)}` });
			recordFigure({ ...id('p50'), name: name('p50 latency'), value: a.p50, unit: 'ms (p50)', baselineName: 'bare server p50', baseline: b.p50 });
			recordFigure({ ...id('p95'), name: name('p95 latency'), value: a.p95, unit: 'ms (p95)', baselineName: 'bare server p95', baseline: b.p95 });
			recordFigure({ ...id('p99'), name: name('p99 latency'), value: a.p99, unit: 'ms (p99)', baselineName: 'bare server p99', baseline: b.p99, target: 'p99 < 150 ms (issue 8)', notes: a.perKind });
			recordFigure({ ...id('errors'), name: name('errors'), value: result.errors, unit: 'errors', baselineName: 'bare server errors', baseline: bareResult.errors, target: 'no errors (issue 8)', notes: describeErrors(result) });
			if (a.offeredRatio !== undefined) {
				recordFigure({ ...id('offered-ratio'), name: name('requests served ÷ offered'), value: a.offeredRatio, unit: 'of offered', baselineName: 'bare server, served ÷ offered', baseline: b.offeredRatio, notes: offeredNotes(a, result) });
			}
		}
	});
});

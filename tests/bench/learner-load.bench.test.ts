/**
 * Learners under load (issue 5, "Benchmark"): the built server (node build) on a fresh database,
 * 200 simulated learners each logged in with an attempt at spouse-caller, all applying actions at
 * once through the attempt page's ?/op form action for a fixed time: a customer search by postcode,
 * a cheap core operation that writes its audit entry, the stored action and a transcript line.
 *
 * Baseline, in the same benchmark: a bare node:http server in a child process
 * (tests/bench/learner-load-bare-server.ts) doing the same operation through the runtime's
 * applyAction on the same kind of database, with no SvelteKit, no sessions and no page, loaded the
 * same way (200 concurrent clients, the same duration).
 *
 * Each client is a loop: one request at a time on its own keep-alive connection, the next action's
 * expectedActionSeq one more than the last acknowledged. An error is a status other than 2xx/3xx,
 * a request that failed, or an answer that says the action was refused (stale, out of date).
 *
 * Targets (issue 5): p99 under 100 ms, no errors, at least 40% of the baseline's throughput. They are
 * recorded with the figures, never asserted (npm run bench).
 *
 * Each measured run follows a warm-up of BENCH_LOAD_WARMUP_SECONDS (default 5), not counted.
 * BENCH_LOAD_SECONDS (default 30), BENCH_LEARNERS (default 200), BENCH_LOAD_MODES (default
 * "html,enhance": a form posted with accept: text/html, as without JavaScript, and as use:enhance
 * posts it, accept: application/json with x-sveltekit-action).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, it } from 'vitest';
import { startAppServer, startBareServer } from './load-support';
import { percentiles, recordFigure } from './report';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
/**
 * Think time between one learner's actions, ms (default 0: back to back). With none, 200 clients
 * keep 200 requests queued at the server, so latency is mostly queueing (Little's law: about
 * 200 / throughput); a think time measures latency at a realistic offered load instead.
 */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
/** Extra node flags for the app server, e.g. "--cpu-prof --cpu-prof-dir=tests/.artifacts/prof". */
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** A warm-up run before each measured one (JIT, page cache, connections), not counted. */
const WARMUP_SECONDS = Number(process.env.BENCH_LOAD_WARMUP_SECONDS ?? 5);
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 200);
const MODES = (process.env.BENCH_LOAD_MODES ?? 'html,enhance').split(',').filter(Boolean) as ('html' | 'enhance')[];
const TARGET = 'p99 < 100 ms, no errors, ≥ 40% of the baseline’s actions/s (issue 5)';
/**
 * Each mode's part of its figures' ids (learner-action.<part>.ratio, .p50, .p99, .errors; the
 * baseline's are learner-action.bare.*), and issue 19's goal for its actions/s ÷ the bare server's.
 */
const MODE_FIGURES = {
	enhance: { id: 'learner-action.enhanced', goal: { min: 0.6, of: 'ratio', text: '≥ 0.6 of bare (issue 19)' } },
	html: { id: 'learner-action.nojs', goal: { min: 0.3, of: 'ratio', text: '≥ 0.3 of bare (issue 19)' } }
} as const;
/** The operation: the search panel's form, by postcode, with its purpose. */
const SEARCH = { formId: 'search', operation: 'searchCustomers', postcode: 'NN15', purposeCode: 'supply-and-billing' };

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
	await Promise.all(stops.map((stop) => stop()));
});

interface Client {
	path: string;
	headers: Record<string, string>;
	seq: number;
}

interface LoadResult {
	actions: number;
	seconds: number;
	latencies: number[];
	errors: number;
	errorKinds: Map<string, number>;
}

/**
 * One loop per client for `seconds`: each posts the search with its next seq, waits for the answer,
 * and moves its seq on when the action was acknowledged. `verdict` says whether an answer is an
 * acknowledged action, or names the error.
 */
async function load(port: number, agent: Agent, clients: Client[], seconds: number, verdict: (status: number, body: string) => string | null): Promise<LoadResult> {
	const latencies: number[] = [];
	const errorKinds = new Map<string, number>();
	let actions = 0;
	let errors = 0;
	const started = performance.now();
	const deadline = started + seconds * 1000;
	const post = (client: Client) =>
		new Promise<{ status: number; body: string }>((resolve, reject) => {
			const body = new URLSearchParams({ ...SEARCH, expectedActionSeq: String(client.seq) }).toString();
			const req = request(
				{ host: '127.0.0.1', port, method: 'POST', path: client.path, agent, headers: { ...client.headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
					res.on('error', reject);
				}
			);
			req.setTimeout(30_000, () => req.destroy(new Error('timed out after 30 s')));
			req.on('error', reject);
			req.end(body);
		});
	await Promise.all(
		clients.map(async (client) => {
			// With a think time, the learners start spread over one think time, not all in one burst.
			if (THINK_MS > 0) await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
			while (performance.now() < deadline) {
				const t0 = performance.now();
				let problem: string | null;
				try {
					const { status, body } = await post(client);
					problem = verdict(status, body);
				} catch (e) {
					problem = `request failed: ${(e as Error).message}`;
				}
				latencies.push(performance.now() - t0);
				if (problem === null) {
					actions++;
					client.seq++;
				} else {
					errors++;
					errorKinds.set(problem, (errorKinds.get(problem) ?? 0) + 1);
				}
				if (THINK_MS > 0) await new Promise((r) => setTimeout(r, Math.min(THINK_MS * (0.5 + Math.random()), Math.max(0, deadline - performance.now()))));
			}
		})
	);
	const elapsed = (performance.now() - started) / 1000;
	return { actions, seconds: elapsed, latencies, errors, errorKinds };
}

const REFUSED = /moved on in another tab|is out of date|attempt\.stale|attempt has ended/;

/** accept: text/html, as a form posts without JavaScript: the page is rendered after the action. */
function htmlVerdict(status: number, body: string): string | null {
	if (status < 200 || status >= 400) return `status ${status}${REFUSED.test(body) ? ' (refused: stale)' : ''}`;
	if (REFUSED.test(body)) return 'refused as stale in a 2xx page';
	return null;
}

/** use:enhance: accept application/json with x-sveltekit-action; the action's result comes back as JSON. */
function enhanceVerdict(status: number, body: string): string | null {
	if (status < 200 || status >= 400) return `status ${status}`;
	try {
		const result = JSON.parse(body) as { type?: string; status?: number };
		if (result.type === 'success') return REFUSED.test(body) ? 'refused as stale in a success' : null;
		return `${result.type ?? 'no type'} ${result.status ?? ''}${REFUSED.test(body) ? ' (refused: stale)' : ''}`;
	} catch {
		return `status ${status}, not JSON`;
	}
}

function bareVerdict(status: number): string | null {
	return status === 200 ? null : `status ${status}`;
}

function summary(r: LoadResult) {
	const p = percentiles(r.latencies, [50, 99]);
	return { perSecond: r.actions / r.seconds, p50: p.p50!, p99: p.p99!, errors: r.errors, requests: r.latencies.length };
}

function describeErrors(r: LoadResult): string {
	return r.errors === 0 ? 'no errors' : `${r.errors} errors (${[...r.errorKinds].map(([k, n]) => `${k}: ${n}`).join('; ')})`;
}

describe('learners under load', () => {
	it(`${LEARNERS} learners applying actions through the built server for ${SECONDS} s, beside a bare node:http runtime server`, async () => {
		const server = await startAppServer(LEARNERS, { nodeArgs: APP_NODE_ARGS });
		stops.push(server.stop);
		const { port, base, learners } = server;

		// ── The load, through the app: one run per mode, the seqs carried on from run to run ──
		const appRuns: { mode: (typeof MODES)[number]; result: LoadResult }[] = [];
		// One keep-alive connection per learner, opened in the warm-up and kept through the runs.
		const appAgent = new Agent({ keepAlive: true, maxSockets: LEARNERS, maxFreeSockets: LEARNERS });
		for (const mode of MODES) {
			const modeHeaders: Record<string, string> = mode === 'html' ? { accept: 'text/html' } : { accept: 'application/json', 'x-sveltekit-action': 'true' };
			const clients: Client[] = learners.map((l) => ({ path: `${l.path}?/op`, seq: l.seq, headers: { cookie: l.cookie, origin: base, ...modeHeaders } }));
			const verdict = mode === 'html' ? htmlVerdict : enhanceVerdict;
			const warm = await load(port, appAgent, clients, WARMUP_SECONDS, verdict);
			if (warm.errors > 0) console.log(`[bench] app (${mode}) warm-up: ${describeErrors(warm)}`);
			const result = await load(port, appAgent, clients, SECONDS, verdict);
			clients.forEach((c, i) => (learners[i]!.seq = c.seq));
			appRuns.push({ mode, result });
			console.log(`[bench] app (${mode}): ${JSON.stringify(summary(result))}; ${describeErrors(result)}`);
		}
		appAgent.destroy();
		await server.stop();

		// ── The baseline: the bare server, on its own fresh database, loaded the same way ──
		const bareServer = await startBareServer(LEARNERS);
		stops.push(bareServer.stop);
		const barePort = bareServer.port;
		const bareClients: Client[] = bareServer.attempts.map((a) => ({ path: `/op/${encodeURIComponent(a.id)}`, seq: a.seq, headers: {} }));
		const bareAgent = new Agent({ keepAlive: true, maxSockets: LEARNERS, maxFreeSockets: LEARNERS });
		await load(barePort, bareAgent, bareClients, WARMUP_SECONDS, bareVerdict);
		const bareResult = await load(barePort, bareAgent, bareClients, SECONDS, bareVerdict);
		bareAgent.destroy();
		await bareServer.stop();
		const b = summary(bareResult);
		console.log(`[bench] bare: ${JSON.stringify(b)}; ${describeErrors(bareResult)}`);
		const bareCommon = `${LEARNERS} concurrent learners${THINK_MS > 0 ? ` (think time ${THINK_MS} ms ±50%)` : ''}, ${SECONDS} s, search by postcode`;
		recordFigure({ id: 'learner-action.bare.rps', name: `load, bare node:http baseline: learner actions per second, ${bareCommon}`, value: b.perSecond, unit: 'actions/s', notes: `${b.requests} requests, ${describeErrors(bareResult)}` });
		recordFigure({ id: 'learner-action.bare.p50', name: `load, bare node:http baseline: p50 latency, ${bareCommon}`, value: b.p50, unit: 'ms (p50)' });
		recordFigure({ id: 'learner-action.bare.p99', name: `load, bare node:http baseline: p99 latency, ${bareCommon}`, value: b.p99, unit: 'ms (p99)' });
		recordFigure({ id: 'learner-action.bare.errors', name: `load, bare node:http baseline: errors, ${bareCommon}`, value: bareResult.errors, unit: 'errors', notes: describeErrors(bareResult) });

		for (const { mode, result } of appRuns) {
			const a = summary(result);
			const how = mode === 'html' ? 'form posted with accept: text/html (no JavaScript: the page is rendered after the action)' : 'form posted as use:enhance does (accept: application/json, x-sveltekit-action)';
			const met = [`p99 ${a.p99 < 100 ? 'met' : 'NOT met'}`, `errors ${a.errors === 0 ? 'met' : 'NOT met'}`, `throughput ${a.perSecond / b.perSecond >= 0.4 ? 'met' : 'NOT met'}`].join(', ');
			const common = `${LEARNERS} concurrent learners${THINK_MS > 0 ? ` (think time ${THINK_MS} ms ±50%)` : ''}, ${SECONDS} s, search by postcode through ?/op (${how})`;
			const figure = MODE_FIGURES[mode];
			recordFigure({
				id: `${figure.id}.ratio`,
				name: `load: learner actions per second, ${common}`,
				value: a.perSecond,
				unit: 'actions/s',
				baselineName: 'bare node:http server, the same search through applyAction, no SvelteKit or sessions',
				baseline: b.perSecond,
				baselineId: 'learner-action.bare.rps',
				goal: figure.goal,
				target: TARGET,
				notes: `${a.requests} requests, ${describeErrors(result)}; baseline ${b.requests} requests, ${describeErrors(bareResult)}; targets: ${met}; closed loop, ${THINK_MS > 0 ? `think time ${THINK_MS} ms ±50%` : 'no think time: latency is mostly queueing (≈ learners / throughput)'}; 2 cores shared by server and load generator`
			});
			recordFigure({
				id: `${figure.id}.p50`,
				name: `load: p50 latency, ${common}`,
				value: a.p50,
				unit: 'ms (p50)',
				baselineName: 'bare node:http server p50',
				baseline: b.p50,
				baselineId: 'learner-action.bare.p50'
			});
			recordFigure({
				id: `${figure.id}.p99`,
				name: `load: p99 latency, ${common}`,
				value: a.p99,
				unit: 'ms (p99)',
				baselineName: 'bare node:http server p99',
				baseline: b.p99,
				baselineId: 'learner-action.bare.p99',
				target: 'p99 < 100 ms (issue 5)'
			});
			recordFigure({
				id: `${figure.id}.errors`,
				name: `load: errors, ${common}`,
				value: a.errors,
				unit: 'errors',
				baselineName: 'bare node:http server errors',
				baseline: bareResult.errors,
				baselineId: 'learner-action.bare.errors',
				target: 'no errors (issue 5)',
				notes: describeErrors(result)
			});
		}
	});
});

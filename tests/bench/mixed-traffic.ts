/**
 * The mixed load's learners, shared by the benchmarks that drive it (mixed-load.bench.test.ts alone,
 * pdf-under-load.bench.test.ts beside a PDF render): each learner a loop of steps — an action on their
 * attempt (a customer search through ?/op, as use:enhance posts it), the attempt page, the home page,
 * the coverage map — with a think time between steps. A Target turns a step into a request and judges
 * its answer: the app's (appTarget) or the bare baseline's, so both run the very same sequence.
 * Every request keeps when it started and ended, so a benchmark can take the latencies of a window
 * (while a PDF renders, say) beside another window's.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AppServer } from './load-support';

/** The mix of one learner's steps, by weight. */
export const MIX = [
	{ kind: 'action', weight: 55 },
	{ kind: 'attempt page', weight: 25 },
	{ kind: 'home page', weight: 10 },
	{ kind: 'coverage page', weight: 10 }
] as const;
export type Kind = (typeof MIX)[number]['kind'];

/** One learner's deterministic step sequence (a small LCG per learner), the same for app and baseline. */
function stepsFor(learner: number): () => Kind {
	let state = (learner * 2654435761) >>> 0 || 1;
	const total = MIX.reduce((sum, m) => sum + m.weight, 0);
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		let pick = state % total;
		for (const m of MIX) {
			if (pick < m.weight) return m.kind;
			pick -= m.weight;
		}
		return 'action';
	};
}

export interface Req {
	/** The server (or the app instance) this request goes to. */
	port: number;
	method: 'GET' | 'POST';
	path: string;
	headers: Record<string, string>;
	body?: string;
}

/** How a learner of the app or of the baseline turns a step into a request, and judges its answer. */
export interface Target {
	request(learner: number, kind: Kind): Req;
	verdict(kind: Kind, status: number, body: string): string | null;
	acknowledged(learner: number): void;
}

/** One request of the load: when it started and ended (Date.now()), its kind, and what was wrong, if anything. */
export interface Sample {
	start: number;
	end: number;
	ms: number;
	kind: Kind;
	problem: string | null;
}

const REFUSED = /moved on in another tab|is out of date|attempt\.stale|attempt has ended/;
/** The action every learner repeats: a customer search, as the desk's search form posts it. */
export const SEARCH = { formId: 'search', operation: 'searchCustomers', postcode: 'NN15', purposeCode: 'supply-and-billing' };

function send(agent: Agent, r: Req): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | number> = { ...r.headers };
		if (r.body !== undefined) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			headers['content-length'] = Buffer.byteLength(r.body);
		}
		const req = request({ host: '127.0.0.1', port: r.port, method: r.method, path: r.path, headers, agent }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.setTimeout(30_000, () => req.destroy(new Error('timed out after 30 s')));
		req.on('error', reject);
		req.end(r.body);
	});
}

/**
 * Keep-alive, FIFO reuse: with LIFO, a connection left at the bottom of the pool idles past the
 * server's 5 s keep-alive timeout and is reset as it is reused, a race of the load generator, not of
 * the app (the bare server showed it too). The pool is per host and port, so each instance gets up to
 * one connection per learner.
 */
export function newAgent(learners: number): Agent {
	return new Agent({ keepAlive: true, maxSockets: learners, maxFreeSockets: learners, scheduling: 'fifo' });
}

/** The app's side of the load: pages with the learner's session, actions as use:enhance posts them, each to the next instance. */
export function appTarget(app: AppServer): Target {
	const seqs = app.learners.map((l) => l.seq);
	return {
		request(learner, kind) {
			const l = app.learners[learner]!;
			const at = app.pick();
			const page = { accept: 'text/html', cookie: l.cookie };
			switch (kind) {
				case 'action':
					return {
						port: at.port,
						method: 'POST',
						path: `${l.path}?/op`,
						headers: { cookie: l.cookie, origin: at.base, accept: 'application/json', 'x-sveltekit-action': 'true' },
						body: new URLSearchParams({ ...SEARCH, expectedActionSeq: String(seqs[learner]) }).toString()
					};
				case 'attempt page':
					return { port: at.port, method: 'GET', path: l.path, headers: page };
				case 'home page':
					return { port: at.port, method: 'GET', path: '/learn', headers: page };
				case 'coverage page':
					return { port: at.port, method: 'GET', path: '/learn/coverage', headers: page };
			}
		},
		verdict(kind, status, body) {
			if (status !== 200) return `status ${status}`;
			if (kind !== 'action') return null;
			try {
				const result = JSON.parse(body) as { type?: string };
				// The first sentence in the answer's data says why (a failure's message), so errors group by cause.
				if (result.type !== 'success') return `action answered ${result.type}: ${/\\"([A-Z][^"\\]{20,160})/.exec(body)?.[1] ?? 'no message'}`;
				return REFUSED.test(body) ? 'action refused as stale' : null;
			} catch {
				return 'action answer not JSON';
			}
		},
		acknowledged(learner) {
			seqs[learner]!++;
		}
	};
}

/**
 * Learners `0 … learners - 1` of the target making steps for `seconds`, a step every
 * thinkMs × (0.5 … 1.5) each (none when thinkMs is 0), starting spread over one think time;
 * resolves with every request made. A target keeps its learners' action seq from one run to the
 * next (a warm-up, then the measured run).
 */
export async function runLearners(target: Target, agent: Agent, learners: number, seconds: number, thinkMs: number): Promise<Sample[]> {
	const samples: Sample[] = [];
	const deadline = performance.now() + seconds * 1000;
	const pause = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, deadline - performance.now()))));
	await Promise.all(
		Array.from({ length: learners }, async (_, learner) => {
			const next = stepsFor(learner);
			if (thinkMs > 0) await pause(Math.random() * thinkMs);
			while (performance.now() < deadline) {
				const kind = next();
				const start = Date.now();
				const t0 = performance.now();
				let problem: string | null;
				try {
					const { status, body } = await send(agent, target.request(learner, kind));
					problem = target.verdict(kind, status, body);
				} catch (e) {
					problem = `request failed: ${(e as Error).message}`;
				}
				samples.push({ start, end: Date.now(), ms: performance.now() - t0, kind, problem });
				if (problem === null && kind === 'action') target.acknowledged(learner);
				if (thinkMs > 0) await pause(thinkMs * (0.5 + Math.random()));
			}
		})
	);
	return samples;
}

/** The app's first `learners` learners as one load that can be run several times (see runLearners). */
export function mixedTraffic(app: AppServer, learners: number, agent: Agent) {
	if (learners > app.learners.length) throw new Error(`mixedTraffic: ${learners} learners asked for, the app has ${app.learners.length}`);
	const target = appTarget(app);
	return (seconds: number, thinkMs: number) => runLearners(target, agent, learners, seconds, thinkMs);
}

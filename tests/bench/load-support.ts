/**
 * What the load benchmarks share: the built server started on a fresh database with N learners
 * logged in, each with a spouse-caller attempt, and the bare node:http baseline server
 * (learner-load-bare-server.ts) with the same attempts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildIfStale } from '../../scripts/build.js';
import { openDatabase } from '../../src/lib/core';
import { createUser } from '../../src/lib/server/auth/user';
import { DEMO_ORGANISATION_ID } from '../../src/lib/server/demo';

const DIR = 'tests/.artifacts';
const PASSWORD = 'bench-learner-password-2026';

export function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

export function freshDatabaseFile(path: string): string {
	for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	return path;
}

async function waitFor(url: string, child: ChildProcess, seconds = 60): Promise<void> {
	const until = Date.now() + seconds * 1000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before ${url} answered`);
		try {
			const res = await fetch(url, { redirect: 'manual' });
			await res.arrayBuffer();
			if (res.status < 500) return;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > until) throw new Error(`${url} did not answer within ${seconds} s`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** Runs fn over items, at most `limit` at a time. */
export async function pooled<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				out[i] = await fn(items[i]!, i);
			}
		})
	);
	return out;
}

/** A learner logged in to the app, with an attempt: its session cookie, the attempt's page, the next action seq. */
export interface AppLearner {
	cookie: string;
	path: string;
	seq: number;
}

export interface AppServer {
	port: number;
	base: string;
	learners: AppLearner[];
	stop(): Promise<void>;
}

/**
 * The built server (node build, from its own copy of build/) on a fresh database, with `count`
 * learner accounts written to its database file and logged in over HTTP, each with a started attempt.
 */
export async function startAppServer(count: number, nodeArgs: string[] = []): Promise<AppServer> {
	buildIfStale();
	const port = await freePort();
	const base = `http://localhost:${port}`;
	mkdirSync(DIR, { recursive: true });
	const dbPath = freshDatabaseFile(`${DIR}/load-${port}.db`);
	const serverDir = `${DIR}/server-bench-${port}`;
	rmSync(serverDir, { recursive: true, force: true });
	cpSync('build', serverDir, { recursive: true });
	const app = spawn(process.execPath, [...nodeArgs, serverDir], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, DATABASE_PATH: dbPath, LOG_REQUESTS: 'false' }
	});
	const stop = async () => {
		await stopChild(app);
		rmSync(serverDir, { recursive: true, force: true });
		freshDatabaseFile(dbPath);
	};
	try {
		await waitFor(`http://127.0.0.1:${port}/login`, app);
		const db = openDatabase(dbPath);
		const t0 = performance.now();
		const emails = Array.from({ length: count }, (_, i) => `load-learner-${i}@custodian.test`);
		await pooled(emails, 4, (email, i) => createUser(db, { organisationId: DEMO_ORGANISATION_ID, email, displayName: `Load Learner ${i}`, password: PASSWORD, roles: ['learner'] }));
		db.$client.close();
		const accountsSeconds = (performance.now() - t0) / 1000;

		const formHeaders = { accept: 'text/html', origin: base, 'content-type': 'application/x-www-form-urlencoded' };
		const t1 = performance.now();
		const learners = await pooled(emails, 4, async (email) => {
			const login = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST', redirect: 'manual', headers: formHeaders, body: new URLSearchParams({ email, password: PASSWORD }) });
			await login.arrayBuffer();
			const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
			if (login.status !== 303 || !cookie) throw new Error(`log-in of ${email}: ${login.status}`);
			const start = await fetch(`http://127.0.0.1:${port}/learn/scenarios/spouse-caller?/start`, { method: 'POST', redirect: 'manual', headers: { ...formHeaders, cookie }, body: '' });
			await start.arrayBuffer();
			const location = start.headers.get('location') ?? '';
			if (start.status !== 303 || !location.startsWith('/learn/attempts/')) throw new Error(`start for ${email}: ${start.status} ${location}`);
			return { cookie, path: location, seq: 1 };
		});
		console.log(`[bench] ${count} accounts written in ${accountsSeconds.toFixed(1)} s; logged in with an attempt each in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
		return { port, base, learners, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

export interface BareServer {
	port: number;
	attempts: { id: string; seq: number }[];
	stop(): Promise<void>;
}

/** The baseline: learner-load-bare-server.ts on its own fresh database with `count` attempts. */
export async function startBareServer(count: number): Promise<BareServer> {
	const port = await freePort();
	const dbPath = freshDatabaseFile(`${DIR}/load-bare-${port}.db`);
	const bare = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/learner-load-bare-server.ts', dbPath, String(port), String(count)], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env }
	});
	const stop = async () => {
		await stopChild(bare);
		freshDatabaseFile(dbPath);
	};
	try {
		await waitFor(`http://127.0.0.1:${port}/attempts`, bare);
		const attempts = (await (await fetch(`http://127.0.0.1:${port}/attempts`)).json()) as { id: string; seq: number }[];
		if (attempts.length !== count) throw new Error(`the bare server made ${attempts.length} attempts, not ${count}`);
		return { port, attempts, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * What the load benchmarks share: the built server started on a fresh database with N learners
 * logged in, each with a spouse-caller attempt, and the bare node:http baseline server
 * (learner-load-bare-server.ts) with the same attempts.
 *
 * The app runs on SQLite (a fresh file) or on PostgreSQL (an embedded PostgreSQL started for the run,
 * as scripts/e2e-server.js does with E2E_POSTGRES), as one instance or several on the same database.
 * With several, a load generator sends each request to the next instance in turn (`AppServer.pick`),
 * as a load balancer without sticky sessions would: sessions live in the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildIfStale } from '../../scripts/build.js';
import { closeDatabase, openDatabase, prepareDatabase } from '../../src/lib/core';
import { startEmbeddedPostgres } from '../../src/lib/core/testing-postgres';
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

export type Engine = 'sqlite' | 'postgres';

/** One app process: its port and the ORIGIN it was started with (a form post must carry it). */
export interface AppInstance {
	port: number;
	base: string;
	/** The app process's pid (the node process itself: its /proc/<pid>/status has the server's memory). */
	pid: number;
}

export interface AppServer {
	/** The first instance's port and origin (the only ones with one instance). */
	port: number;
	base: string;
	instances: AppInstance[];
	/** The instance the next request goes to: each in turn, request by request. */
	pick(): AppInstance;
	learners: AppLearner[];
	stop(): Promise<void>;
}

export interface AppServerOptions {
	/** Extra node flags for the app processes, e.g. "--cpu-prof". */
	nodeArgs?: string[];
	engine?: Engine;
	/** App processes on the one database (default 1). */
	instances?: number;
	/** Extra environment for the app processes, e.g. { PORTFOLIO_RENDERS: '4' }. */
	env?: Record<string, string>;
}

/**
 * A PostgreSQL of the run's own (core/testing-postgres.ts, durable as the app's SQLite is: fsync on,
 * commits not waiting for their WAL), its default database in the C collation the app requires.
 */
async function startPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
	const server = await startEmbeddedPostgres({ durable: true });
	return { url: `${server.url}/postgres`, stop: () => server.stop().catch(() => {}) };
}

/**
 * The built server (node build, from its own copy of build/) on a fresh database, with `count`
 * learner accounts written to its database and logged in over HTTP, each with a started attempt.
 * On PostgreSQL with several instances, the first starts alone on the empty database (it migrates
 * and seeds it), then the others, as README "Several instances" says; each has its own PORT, ORIGIN
 * and INSTANCE_ID.
 */
export async function startAppServer(count: number, options: AppServerOptions = {}): Promise<AppServer> {
	const { nodeArgs = [], engine = 'sqlite', instances: instanceCount = 1, env: extraEnv = {} } = options;
	buildIfStale();
	const ports: number[] = [];
	for (let i = 0; i < instanceCount; i++) ports.push(await freePort());
	const instances: AppInstance[] = ports.map((port) => ({ port, base: `http://localhost:${port}`, pid: 0 }));
	mkdirSync(DIR, { recursive: true });
	const dbPath = freshDatabaseFile(`${DIR}/load-${ports[0]}.db`);
	const serverDir = `${DIR}/server-bench-${ports[0]}`;
	rmSync(serverDir, { recursive: true, force: true });
	cpSync('build', serverDir, { recursive: true });
	const postgres = engine === 'postgres' ? await startPostgres() : undefined;
	const databaseLocation = postgres?.url ?? dbPath;
	const apps: ChildProcess[] = [];
	const stop = async () => {
		await Promise.all(apps.map((app) => stopChild(app)));
		await postgres?.stop();
		rmSync(serverDir, { recursive: true, force: true });
		freshDatabaseFile(dbPath);
	};
	try {
		for (const [n, instance] of instances.entries()) {
			const { port, base } = instance;
			const app = spawn(process.execPath, [...nodeArgs, serverDir], {
				stdio: ['ignore', 'inherit', 'inherit'],
				env: {
					...process.env,
					PORT: String(port),
					HOST: '127.0.0.1',
					ORIGIN: base,
					DATABASE_PATH: dbPath,
					DATABASE_URL: postgres?.url ?? '',
					LOG_REQUESTS: 'false',
					...(instanceCount > 1 ? { INSTANCE_ID: `bench-${n + 1}` } : {}),
					...extraEnv
				}
			});
			apps.push(app);
			instance.pid = app.pid ?? 0;
			await waitFor(`http://127.0.0.1:${port}/login`, app);
		}
		const db = openDatabase(databaseLocation);
		await prepareDatabase(db);
		const t0 = performance.now();
		const emails = Array.from({ length: count }, (_, i) => `load-learner-${i}@custodian.test`);
		await pooled(emails, 4, (email, i) => createUser(db, { organisationId: DEMO_ORGANISATION_ID, email, displayName: `Load Learner ${i}`, password: PASSWORD, roles: ['learner'] }));
		await closeDatabase(db);
		const accountsSeconds = (performance.now() - t0) / 1000;

		let turn = 0;
		const pick = () => instances[turn++ % instances.length]!;
		const t1 = performance.now();
		// Four at a time on either engine: on PostgreSQL four starts at once (each seeds a workspace in
		// one SERIALIZABLE transaction) conflict often, and the retries with a turn alone must see them
		// all through (before the writers' lock, one in a few hundred answered 500).
		const learners = await pooled(emails, 4, async (email) => {
			const at = pick();
			const formHeaders = { accept: 'text/html', origin: at.base, 'content-type': 'application/x-www-form-urlencoded' };
			const login = await fetch(`http://127.0.0.1:${at.port}/login`, { method: 'POST', redirect: 'manual', headers: formHeaders, body: new URLSearchParams({ email, password: PASSWORD }) });
			const loginPage = await login.text();
			const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
			if (login.status !== 303 || !cookie) throw new Error(`log-in of ${email}: ${login.status} ${/Too many[^<]*/.exec(loginPage)?.[0] ?? ""}`);
			const start = await fetch(`http://127.0.0.1:${at.port}/learn/scenarios/spouse-caller?/start`, { method: 'POST', redirect: 'manual', headers: { ...formHeaders, cookie }, body: '' });
			await start.arrayBuffer();
			const location = start.headers.get('location') ?? '';
			if (start.status !== 303 || !location.startsWith('/learn/attempts/')) throw new Error(`start for ${email}: ${start.status} ${location}`);
			return { cookie, path: location, seq: 1 };
		});
		console.log(`[bench] ${engine}, ${instanceCount} instance(s): ${count} accounts written in ${accountsSeconds.toFixed(1)} s; logged in with an attempt each in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
		return { port: instances[0]!.port, base: instances[0]!.base, instances, pick, learners, stop };
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

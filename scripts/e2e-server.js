// The server the end-to-end tests run against: the built app on a fresh database.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { buildIfStale } from './build.js';

const port = process.env.E2E_PORT ?? '4173';
const dir = 'tests/.artifacts';
mkdirSync(dir, { recursive: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(`${dir}/e2e.db${suffix}`, { force: true });
buildIfStale();
const server = spawn(process.execPath, ['build'], {
	stdio: 'inherit',
	env: {
		...process.env,
		PORT: port,
		ORIGIN: `http://localhost:${port}`,
		DATABASE_PATH: `${dir}/e2e.db`,
		LOG_REQUESTS: 'false'
	}
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));

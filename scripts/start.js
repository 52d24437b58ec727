// `npm start`: build if needed, then serve. The server migrates the database and, when it is empty,
// creates the demo centre and accounts (see README). An existing database keeps its data.
import { spawn } from 'node:child_process';
import { buildIfStale } from './build.js';

buildIfStale();
const port = process.env.PORT ?? '3000';
const env = {
	...process.env,
	PORT: port,
	ORIGIN: process.env.ORIGIN ?? `http://localhost:${port}`,
	DATABASE_PATH: process.env.DATABASE_PATH ?? 'data/custodian.db',
	// Large enough for a whole portfolio PDF uploaded to /verify (20 attempts ≈ 550 KB), small enough to refuse floods.
	BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '4M'
};
// DATABASE_URL (postgres://…) wins over DATABASE_PATH; its password is never printed.
const where = process.env.DATABASE_URL
	? `PostgreSQL ${process.env.DATABASE_URL.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}`
	: `SQLite ${env.DATABASE_PATH}`;
console.log(`Custodian: database ${where}, serving on ${env.ORIGIN}`);
const server = spawn(process.execPath, ['build'], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));

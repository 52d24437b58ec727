import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './scripts/chromium.js';

const port = Number(process.env.E2E_PORT ?? 4173);
const executablePath = (await findChromium()) ?? undefined;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: true,
	workers: 2,
	retries: 0,
	timeout: 30_000,
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
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1280, height: 800 },
				launchOptions: {
					executablePath,
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--disable-quic',
						'--no-first-run'
					]
				}
			}
		}
	],
	webServer: {
		command: 'node scripts/e2e-server.js',
		url: `http://localhost:${port}/login`,
		reuseExistingServer: false,
		timeout: 180_000,
		env: { E2E_PORT: String(port) }
	}
});

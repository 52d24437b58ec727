import { test as base } from './fixtures';

/**
 * The two app instances of tests/e2e/two-instances.spec.ts: scripts/e2e-server.js with E2E_PORTS
 * (playwright.config.ts, E2E_PAIR_PORTS), two processes on one database, one UPLOAD_DIR and one mail
 * sink, named after the first instance's port. Both are reached on localhost, so a browser sends
 * the same session cookie to either, as it would to one address behind a load balancer.
 */
function pairPorts(): string[] {
	const ports = (process.env.E2E_PAIR_PORTS ?? '').split(',');
	if (ports.length !== 2) throw new Error('E2E_PAIR_PORTS is not set: run the two-instances project of playwright.config.ts');
	return ports;
}

/** The address of instance 1 or 2. */
export function instanceURL(n: 1 | 2): string {
	return `http://localhost:${pairPorts()[n - 1]}`;
}

/**
 * The fixtures (fixtures.ts, mfa.ts, mail.ts) find their server, database and mail by E2E_PORT: in
 * this worker (the two-instances project has its own), that is instance 1, whose port names the
 * pair's database and mail sink. Set before any test fixture makes a user.
 */
export const test = base.extend<object, { pair: void }>({
	pair: [
		async ({}, use) => {
			process.env.E2E_PORT = pairPorts()[0];
			await use();
		},
		{ scope: 'worker', auto: true }
	]
});

export { expect } from './fixtures';

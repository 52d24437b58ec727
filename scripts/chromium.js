// Finds a Chromium for the end-to-end tests, installing one if none is found:
// Debian's chromium from apt when running as root on a Debian-like machine (CI, this workplace),
// otherwise Playwright's own build (`npx playwright install chromium`, for a normal laptop).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

async function playwrightChromium() {
	try {
		const { chromium } = await import('@playwright/test');
		const path = chromium.executablePath();
		return path && existsSync(path) ? path : null;
	} catch {
		return null;
	}
}

/** The path of a usable Chromium, or null. CHROMIUM_PATH wins when set. */
export async function findChromium() {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
	return CANDIDATES.find((p) => existsSync(p)) ?? (await playwrightChromium());
}

function run(cmd, args) {
	console.log(`$ ${cmd} ${args.join(' ')}`);
	return spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;
}

export async function ensureChromium() {
	const found = await findChromium();
	if (found) return found;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const hasApt = existsSync('/usr/bin/apt-get');
	if (hasApt && isRoot) {
		run('apt-get', ['update']);
		run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
	} else {
		run('npx', ['playwright', 'install', 'chromium']);
	}
	const installed = await findChromium();
	if (!installed) {
		throw new Error(
			'No Chromium found for the end-to-end tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`; ' +
				'elsewhere: `npx playwright install chromium`) or set CHROMIUM_PATH.'
		);
	}
	return installed;
}

export function chromiumVersion(path) {
	try {
		return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
	} catch {
		return 'unknown version';
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const path = await ensureChromium();
	console.log(`${path} (${chromiumVersion(path)})`);
}

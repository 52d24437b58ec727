// Builds the app when build/ is missing or older than any source file. Builds are serialised with a
// lock file, so that two test runs on one machine never write build/ at the same time.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'static', 'scenarios', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];
const OUTPUT = 'build/handler.js';
const LOCK = 'build.lock';

/** @param {string} path */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

export function buildIsStale() {
	if (!existsSync(OUTPUT)) return true;
	const built = statSync(OUTPUT).mtimeMs;
	return SOURCES.some((source) => newestMtime(source) > built);
}

/** @param {number} ms */
function sleep(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** An exclusive lock file; a lock older than 10 minutes is taken to be left by a dead process. */
/**
 * @template T
 * @param {() => T} fn
 */
function withLock(fn) {
	for (;;) {
		try {
			const fd = openSync(LOCK, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			break;
		} catch {
			try {
				if (Date.now() - statSync(LOCK).mtimeMs > 10 * 60_000) unlinkSync(LOCK);
			} catch {
				/* gone already */
			}
			sleep(500);
		}
	}
	try {
		return fn();
	} finally {
		try {
			unlinkSync(LOCK);
		} catch {
			/* already removed */
		}
	}
}

export function buildIfStale({ force = false } = {}) {
	withLock(() => {
		if (!force && !buildIsStale()) return;
		console.log('Building the app (vite build)…');
		const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
		if (result.status !== 0) throw new Error('The build failed: see the output above.');
		addFileHeaders();
	});
}

/**
 * adapter-node serves static files and the app's scripts itself, before any SvelteKit hook runs, and
 * sends them without `X-Content-Type-Options: nosniff`. Its server entry (build/index.js) gets one
 * middleware in front that sets it on every response. If a new adapter version changes the line this
 * looks for, the build stops here rather than shipping without the header.
 */
function addFileHeaders() {
	const entry = 'build/index.js';
	const source = readFileSync(entry, 'utf8');
	if (source.includes('custodianFileHeaders')) return;
	const use = 'polka({ server: httpServer }).use(handler)';
	if (!source.includes(use)) throw new Error(`${entry}: adapter-node's server entry changed; cannot add the nosniff header to static files.`);
	const patched =
		source.replace(use, 'polka({ server: httpServer }).use(custodianFileHeaders, handler)') +
		`
/** Added by scripts/build.js: static files and scripts are never sniffed into another type. */
function custodianFileHeaders(req, res, next) {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	next();
}
`;
	writeFileSync(entry, patched);
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfStale({ force: process.argv.includes('--force') });

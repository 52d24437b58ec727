// Builds the app when build/ is missing or older than any source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];
const OUTPUT = 'build/handler.js';

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

export function buildIfStale({ force = false } = {}) {
	if (!force && !buildIsStale()) return;
	console.log('Building the app (vite build)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) throw new Error('The build failed: see the output above.');
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfStale({ force: process.argv.includes('--force') });

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RoleName } from './accounts';

/** The app's routes, found in src/routes: pages (GET), form actions (POST) and endpoints. */
export interface Route {
	id: string;
	path: string;
	method: 'GET' | 'POST';
	action?: string;
	/** A +server.ts endpoint rather than a page or its form actions. */
	endpoint?: boolean;
}

const ROUTES_DIR = 'src/routes';
const AREA_ROLE: Record<string, RoleName> = { learn: 'learner', assess: 'assessor', author: 'tutor', admin: 'admin', iqa: 'iqa', eqa: 'eqa' };

/** Routes inside an area that several roles share (access.ts SHARED_ROUTES). */
const SHARED: readonly { prefix: string; roles: readonly RoleName[] }[] = [
	{ prefix: '/iqa/eqa', roles: ['iqa', 'admin'] },
	{ prefix: '/iqa/badges', roles: ['iqa', 'admin'] }
];

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/** A route id like /(guarded)/learn/attempts/[attemptId] as a URL with a made-up id. */
function toPath(routeId: string): string {
	const path = routeId
		.split('/')
		.filter((segment) => !/^\(.*\)$/.test(segment))
		.map((segment) => segment.replace(/\[\.\.\.[^\]]+\]/, 'x').replace(/\[\[?[^\]]+\]?\]/, 'not-a-real-id'))
		.join('/');
	return path === '' ? '/' : path;
}

export function discoverRoutes(): Route[] {
	const routes: Route[] = [];
	for (const file of walk(ROUTES_DIR)) {
		const rel = relative(ROUTES_DIR, file).split(sep);
		const name = rel.pop()!;
		const id = '/' + rel.join('/');
		const path = toPath(id);
		if (name === '+page.svelte') routes.push({ id, path, method: 'GET' });
		if (name === '+server.ts') {
			const source = readFileSync(file, 'utf8');
			for (const method of ['GET', 'POST'] as const) {
				if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source)) routes.push({ id, path, method, endpoint: true });
			}
		}
		if (name === '+page.server.ts') {
			const source = readFileSync(file, 'utf8');
			const block = /export const actions\s*=\s*(?:\w+\([^{]*)?\{([\s\S]*?)\n\}\s*satisfies/.exec(source)?.[1];
			if (!block) continue;
			for (const match of block.matchAll(/^\t(\w+)\s*:/gm)) {
				const action = match[1]!;
				routes.push({ id, path, method: 'POST', action: action === 'default' ? undefined : action });
			}
		}
	}
	return routes;
}

/** One role that may use the path: the first of a shared route's roles. */
export function oneRoleFor(path: string): RoleName | 'signed-in' | null {
	const needed = requiredRole(path);
	return typeof needed === 'object' && needed !== null ? needed[0]! : needed;
}

export function requiredRole(path: string): RoleName | readonly RoleName[] | 'signed-in' | null {
	const shared = SHARED.find((s) => path === s.prefix || path.startsWith(s.prefix + '/'));
	if (shared) return shared.roles;
	const first = path.split('/')[1] ?? '';
	if (first in AREA_ROLE) return AREA_ROLE[first]!;
	if (first === 'account' || first === 'notifications' || first === 'uploads') return 'signed-in';
	return null;
}


import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { actionsWithRole, requireRole, requirementFor, safeRedirectTarget, withRole } from './access';
import type { SessionUser } from './session';

const ROUTES_DIR = 'src/routes';
const AREA_ROLE: Record<string, string> = { learn: 'learner', assess: 'assessor', author: 'tutor', admin: 'admin', iqa: 'iqa', eqa: 'eqa' };
/** Routes several roles share (access.ts SHARED_ROUTES), by route id prefix. */
const SHARED_ROLES: Record<string, string[]> = { '/(guarded)/iqa/eqa': ['iqa', 'admin'], '/(guarded)/iqa/badges': ['iqa', 'admin'] };
const sharedRoles = (id: string) => Object.entries(SHARED_ROLES).find(([prefix]) => id === prefix || id.startsWith(prefix + '/'))?.[1];

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		return statSync(full).isDirectory() ? walk(full) : [full];
	});
}

/** Every route of the app, as SvelteKit names it in event.route.id, with the files that make it. */
function routeFiles(): { id: string; file: string }[] {
	return walk(ROUTES_DIR)
		.filter((file) => /\+(page|page\.server|server|layout\.server)\.(ts|svelte)$/.test(file))
		.map((file) => {
			const parts = relative(ROUTES_DIR, file).split(sep);
			parts.pop();
			return { id: '/' + parts.join('/'), file };
		});
}

function user(roles: SessionUser['roles']): SessionUser {
	return { id: 'u', email: 'u@example.org', displayName: 'U', organisationId: 'o', mustChangePassword: false, roles } as SessionUser;
}

describe('access decided from the matched route', () => {
	it('gives every route of the app a rule, and each area its own role', () => {
		const ids = [...new Set(routeFiles().map((r) => r.id))];
		expect(ids.length).toBeGreaterThan(20);
		for (const id of ids) {
			const requirement = requirementFor(id);
			const area = /^\/\(guarded\)\/(\w+)/.exec(id)?.[1];
			const shared = sharedRoles(id);
			if (shared) expect(requirement, id).toEqual({ kind: 'any-role', roles: shared });
			else if (area && area in AREA_ROLE) expect(requirement, id).toEqual({ kind: 'role', role: AREA_ROLE[area] });
			else if (area === 'account' || area === 'notifications' || area === 'uploads') expect(requirement, id).toEqual({ kind: 'signed-in' });
			else if (id === '/(guarded)') continue; // the group's own layout, never a route of its own
			else expect(requirement.kind, id).toBe('public');
		}
	});

	it('refuses a route nobody has decided about, under the guarded group or outside it', () => {
		expect(requirementFor('/(guarded)/reports')).toEqual({ kind: 'denied' });
		expect(requirementFor('/(guarded)')).toEqual({ kind: 'denied' });
		expect(requirementFor('/reports')).toEqual({ kind: 'denied' });
		expect(requirementFor('/(guarded)/administrators')).toEqual({ kind: 'denied' });
		expect(requirementFor('/(guarded)/learners')).toEqual({ kind: 'denied' });
	});

	it('leaves an unmatched request to SvelteKit’s 404, which runs no route code', () => {
		expect(requirementFor(null)).toEqual({ kind: 'public' });
	});

	it('never reads a URL: a path spelled as a URL is not a route id and is denied', () => {
		for (const spelled of ['/admin', '/%61dmin', '/learn', '//admin', '/admin/', '/ADMIN']) {
			expect(requirementFor(spelled), spelled).toEqual({ kind: 'denied' });
		}
	});
});

describe('each area checks its role again in its own server code', () => {
	it('wraps every load, action set and endpoint under an area in withRole or actionsWithRole with that area’s role', () => {
		let checked = 0;
		for (const { id, file } of routeFiles()) {
			if (!/\+(page\.server|server|layout\.server)\.ts$/.test(file)) continue;
			const area = /^\/\(guarded\)\/(\w+)/.exec(id)?.[1];
			if (!area) continue;
			const source = readFileSync(file, 'utf8');
			const role = AREA_ROLE[area];
			const exports = [...source.matchAll(/^export (?:const|async function|function) (\w+)/gm)].map((m) => m[1]!);
			for (const name of exports) {
				if (name === 'prerender' || name === 'ssr' || name === 'csr' || name === 'config') continue;
				const line = new RegExp(`^export const ${name}(?::\\s*\\w+)?\\s*=\\s*(\\w+)\\(\\s*(?:'(\\w+)'|(\\[[^\\]]*\\]))?`, 'm').exec(source);
				const where = `${file}: export ${name}`;
				expect(line, `${where} is wrapped`).not.toBeNull();
				const [, wrapper, wrappedRole, wrappedRoles] = line!;
				const shared = sharedRoles(id);
				if (shared) {
					expect(wrapper === 'withAnyRole' || wrapper === 'actionsWithAnyRole', where).toBe(true);
					expect(wrappedRoles?.replace(/[\s[\]']/g, '').split(','), where).toEqual(shared);
				} else if (role) {
					expect(wrapper === 'withRole' || wrapper === 'actionsWithRole', where).toBe(true);
					expect(wrappedRole, where).toBe(role);
				} else {
					expect(wrapper === 'withUser' || wrapper === 'actionsWithUser', where).toBe(true);
				}
				checked++;
			}
		}
		expect(checked).toBeGreaterThan(40);
	});

	it('refuses a user without the role before the load runs, and lets the role through', async () => {
		let ran = 0;
		const load = withRole('admin', () => ++ran);
		expect(() => load({ locals: { user: user(['learner', 'tutor']) } as App.Locals })).toThrow(expect.objectContaining({ status: 403 }));
		expect(() => load({ locals: { user: null } as App.Locals })).toThrow(expect.objectContaining({ status: 401 }));
		expect(ran).toBe(0);
		expect(load({ locals: { user: user(['admin']) } as App.Locals })).toBe(1);
		const actions = actionsWithRole('tutor', {
			save: (_event: { locals: App.Locals }) => 'saved',
			remove: (_event: { locals: App.Locals }) => 'removed'
		});
		expect(() => actions.remove({ locals: { user: user(['learner']) } as App.Locals })).toThrow(expect.objectContaining({ status: 403 }));
		expect(actions.save({ locals: { user: user(['tutor']) } as App.Locals })).toBe('saved');
		expect(() => requireRole({ user: user([]) } as unknown as App.Locals, 'learner')).toThrow(expect.objectContaining({ status: 403 }));
	});
});

describe('redirect targets after log-in', () => {
	it('accepts same-site paths and percent-encodes them for the Location header', () => {
		expect(safeRedirectTarget('/learn')).toBe('/learn');
		expect(safeRedirectTarget('/learn/attempts/a?x=1#top')).toBe('/learn/attempts/a?x=1#top');
		expect(safeRedirectTarget('/Ā')).toBe('/%C4%80');
		expect(safeRedirectTarget('/%61dmin')).toBe('/%61dmin');
	});

	it('refuses other sites, schemes and control characters', () => {
		for (const target of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/\u0000x', '/a\nb', '', null, undefined]) {
			expect(safeRedirectTarget(target), String(target)).toBeNull();
		}
	});

	it('never returns a target that leaves the site or cannot be sent as a header', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (tail) => {
				const target = safeRedirectTarget('/' + tail);
				if (target === null) return;
				expect(target.startsWith('/')).toBe(true);
				expect(target.startsWith('//')).toBe(false);
				expect(new URL(target, 'https://centre.example').origin).toBe('https://centre.example');
				expect(/^[\x21-\x7e]*$/.test(target)).toBe(true);
			})
		);
	});
});

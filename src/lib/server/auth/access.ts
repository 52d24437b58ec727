import { error } from '@sveltejs/kit';
import type { SessionUser } from './session';
import type { Role } from '$lib/server/db/schema';

/** Each guarded area and the role it needs. Checked in hooks.server.ts on every request. */
export const AREAS: readonly { prefix: string; role: Role; label: string }[] = [
	{ prefix: '/learn', role: 'learner', label: 'Learn' },
	{ prefix: '/assess', role: 'assessor', label: 'Assess' },
	{ prefix: '/author', role: 'tutor', label: 'Author' },
	{ prefix: '/admin', role: 'admin', label: 'Admin' },
	{ prefix: '/iqa', role: 'iqa', label: 'Quality' },
	{ prefix: '/eqa', role: 'eqa', label: 'External QA' }
];

/**
 * Routes inside an area that more than one role uses, checked before the areas: the centre's
 * administrator manages external quality assurers' access beside the IQA (issue 17), and revokes
 * badges beside the IQA (issue 20).
 */
export const SHARED_ROUTES: readonly { prefix: string; roles: readonly Role[] }[] = [
	{ prefix: '/iqa/eqa', roles: ['iqa', 'admin'] },
	// Open Badges: the IQA or the centre's administrator revokes a learner's badge (issue 20).
	{ prefix: '/iqa/badges', roles: ['iqa', 'admin'] }
];

export type AccessRequirement =
	| { kind: 'public' }
	| { kind: 'signed-in' }
	| { kind: 'role'; role: Role }
	| { kind: 'any-role'; roles: readonly Role[] }
	| { kind: 'denied' };

/**
 * Routes anyone may use, by route id. Every other route needs a rule below, or it is refused: a new
 * route is denied until someone decides who may use it (ASVS 5.0 §8.2.1, deny by default).
 */
const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
	'/',
	'/login',
	'/login/forgot',
	'/login/reset/[token]',
	'/logout',
	'/verify',
	// LTI 1.3 (server/lti): our public keys; the platform's login initiation and launch, each checked
	// against a registered, enabled platform, a single-use state and a signed id_token; the new
	// window a framed launch finishes in (a one-time code); Dynamic Registration (a one-time link).
	'/lti/jwks',
	'/lti/login',
	'/lti/launch',
	'/lti/continue',
	'/lti/register/[token]',
	// Open Badges: the issuer's DID document and the revocation lists, which verifiers fetch (server/badges).
	'/badges/[centre]/did.json',
	'/badges/[centre]/status/[list]'
]);

/**
 * Routes of a signed-in user's own account and notifications, whatever their roles; and uploaded
 * files, which each file's own rule decides (uploads/access.ts, canReadUpload).
 */
const SIGNED_IN_PREFIXES = ['/(guarded)/account', '/(guarded)/notifications', '/(guarded)/uploads'];

function within(routeId: string, prefix: string): boolean {
	return routeId === prefix || routeId.startsWith(prefix + '/');
}

/**
 * Who may use a route, decided from the route SvelteKit matched (event.route.id), never from the
 * URL's text: `/%61dmin` and `//admin/` are routed to /admin but do not start with "/admin".
 * Null (no route matched) is public: SvelteKit answers 404 and runs no route's code.
 */
export function requirementFor(routeId: string | null): AccessRequirement {
	if (routeId === null) return { kind: 'public' };
	for (const shared of SHARED_ROUTES) if (within(routeId, `/(guarded)${shared.prefix}`)) return { kind: 'any-role', roles: shared.roles };
	for (const area of AREAS) if (within(routeId, `/(guarded)${area.prefix}`)) return { kind: 'role', role: area.role };
	if (SIGNED_IN_PREFIXES.some((prefix) => within(routeId, prefix))) return { kind: 'signed-in' };
	if (PUBLIC_ROUTES.has(routeId)) return { kind: 'public' };
	return { kind: 'denied' };
}

/** The home of a user: their first role's area, in the order learner, assessor, tutor, admin, iqa, eqa. */
export function homeFor(roles: readonly Role[]): string {
	return AREAS.find((a) => roles.includes(a.role))?.prefix ?? '/account';
}

/**
 * Only same-site relative paths may be returned to after log-in (no open redirect, ASVS 5.0 §3.7.2).
 * The answer is percent-encoded, so it can always be sent in a Location header.
 */
export function safeRedirectTarget(target: string | null | undefined): string | null {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return null;
	if (/[\u0000-\u001f\u007f]/.test(target) || target.length > 2000) return null;
	const base = 'http://same.invalid';
	let url: URL;
	try {
		url = new URL(target, base);
	} catch {
		return null;
	}
	if (url.origin !== base) return null;
	return url.pathname + url.search + url.hash;
}

/**
 * The second check, at the top of every load and action of an area (defence in depth): the hook
 * has already refused the request if the role is missing, so this only fires if a route's rule was
 * forgotten or wrong. It answers 403 and never lets the load run.
 */
export function requireRole(locals: App.Locals, role: Role): SessionUser {
	const user = locals.user;
	if (!user) error(401, { message: 'Log in to continue.' });
	if (!user.roles.includes(role)) {
		error(403, { message: `This page is for users with the ${role} role, which your account does not have.` });
	}
	return user;
}

/** The second check for a route several roles share (SHARED_ROUTES): any one of them will do. */
export function requireAnyRole(locals: App.Locals, roles: readonly Role[]): SessionUser {
	const user = locals.user;
	if (!user) error(401, { message: 'Log in to continue.' });
	if (!roles.some((role) => user.roles.includes(role))) {
		error(403, { message: `This page is for users with the ${roles.join(' or ')} role, which your account does not have.` });
	}
	return user;
}

export function withAnyRole<E extends { locals: App.Locals }, R>(roles: readonly Role[], handler: (event: E) => R): (event: E) => R {
	return (event) => {
		requireAnyRole(event.locals, roles);
		return handler(event);
	};
}

export function actionsWithAnyRole<A extends Record<string, (event: never) => unknown>>(roles: readonly Role[], actions: A): A {
	const guarded: Record<string, unknown> = {};
	for (const [name, action] of Object.entries(actions)) {
		guarded[name] = (event: { locals: App.Locals }) => {
			requireAnyRole(event.locals, roles);
			return (action as (event: unknown) => unknown)(event);
		};
	}
	return guarded as A;
}

/** The second check for pages any signed-in user may use (their own account). */
export function requireUser(locals: App.Locals): SessionUser {
	if (!locals.user) error(401, { message: 'Log in to continue.' });
	return locals.user;
}

/**
 * A load, action or endpoint of an area, with the area's role checked before it runs. Every
 * server file under /learn, /assess, /author, /admin and /iqa wraps its exports in these (a test reads
 * them all), so a route whose rule was forgotten in the hook still cannot leak.
 */
export function withRole<E extends { locals: App.Locals }, R>(role: Role, handler: (event: E) => R): (event: E) => R {
	return (event) => {
		requireRole(event.locals, role);
		return handler(event);
	};
}

export function actionsWithRole<A extends Record<string, (event: never) => unknown>>(role: Role, actions: A): A {
	const guarded: Record<string, unknown> = {};
	for (const [name, action] of Object.entries(actions)) {
		guarded[name] = (event: { locals: App.Locals }) => {
			requireRole(event.locals, role);
			return (action as (event: unknown) => unknown)(event);
		};
	}
	return guarded as A;
}

/** The same for pages any signed-in user may use (their own account). */
export function withUser<E extends { locals: App.Locals }, R>(handler: (event: E) => R): (event: E) => R {
	return (event) => {
		requireUser(event.locals);
		return handler(event);
	};
}

export function actionsWithUser<A extends Record<string, (event: never) => unknown>>(actions: A): A {
	const guarded: Record<string, unknown> = {};
	for (const [name, action] of Object.entries(actions)) {
		guarded[name] = (event: { locals: App.Locals }) => {
			requireUser(event.locals);
			return (action as (event: unknown) => unknown)(event);
		};
	}
	return guarded as A;
}

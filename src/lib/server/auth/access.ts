import type { Role } from '$lib/server/db/schema';

/** Each guarded area and the role it needs. Checked in hooks.server.ts on every request. */
export const AREAS: readonly { prefix: string; role: Role; label: string }[] = [
	{ prefix: '/learn', role: 'learner', label: 'Learn' },
	{ prefix: '/assess', role: 'assessor', label: 'Assess' },
	{ prefix: '/author', role: 'tutor', label: 'Author' },
	{ prefix: '/admin', role: 'admin', label: 'Admin' }
];

/** Paths any logged-in user may reach (their own account). */
const SIGNED_IN_PREFIXES = ['/account'];

export type AccessRequirement = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'role'; role: Role };

function under(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(prefix + '/');
}

export function requirementFor(pathname: string): AccessRequirement {
	for (const area of AREAS) if (under(pathname, area.prefix)) return { kind: 'role', role: area.role };
	if (SIGNED_IN_PREFIXES.some((p) => under(pathname, p))) return { kind: 'signed-in' };
	return { kind: 'public' };
}

/** The home of a user: their first role's area, in the order learner, assessor, tutor, admin. */
export function homeFor(roles: readonly Role[]): string {
	return AREAS.find((a) => roles.includes(a.role))?.prefix ?? '/account';
}

/** Only same-site relative paths may be returned to after log-in (no open redirect). */
export function safeRedirectTarget(target: string | null | undefined): string | null {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return null;
	if (/[\u0000-\u001f]/.test(target)) return null;
	return target;
}

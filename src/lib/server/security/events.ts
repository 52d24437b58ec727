import { dbRun } from '$lib/core/database';
import type { RequestEvent } from '@sveltejs/kit';
import type { Db } from '$lib/core/database';
import { securityEvent, type SecurityEventType } from '$lib/server/db/schema';

/**
 * One entry of the security event log (OWASP ASVS 5.0 §16.2, §16.3): who, what, when, from where.
 * Callers pass identifiers and short codes only; never a password, a token, a one-time password, a
 * TOTP code or a customer's data.
 */
export interface SecurityEventInput {
	type: SecurityEventType;
	userId?: string | null;
	actorId?: string | null;
	email?: string | null;
	address?: string | null;
	routeId?: string | null;
	requestId?: string | null;
	detail?: Record<string, string | number | boolean | string[] | null> | null;
}

/** Where a request came from, as the log records it: the matched route, never the URL's text. */
export interface RequestContext {
	address: string | null;
	routeId: string | null;
	requestId: string | null;
}

export function requestContext(event: Pick<RequestEvent, 'getClientAddress' | 'route' | 'locals'>): RequestContext {
	let address: string | null = null;
	try {
		address = event.getClientAddress();
	} catch {
		address = null; // no address in some test harnesses; the event is still worth keeping
	}
	return { address, routeId: event.route.id ?? null, requestId: event.locals.requestId ?? null };
}

/** Who did something to an account or to the centre (an administrator), and from where. */
export interface Actor extends Partial<RequestContext> {
	id: string;
}

/** The signed-in user of a request as the actor of what it changes. */
export function actorOf(event: Pick<RequestEvent, 'getClientAddress' | 'route' | 'locals'>): Actor {
	const user = event.locals.user;
	// The area's requireRole has run before any action that changes something.
	if (!user) throw new Error('actorOf: the request has no signed-in user');
	return { id: user.id, ...requestContext(event) };
}

/** An event an actor caused, with the actor and where they acted from. */
export async function recordActorEvent(
	db: Db,
	by: Actor,
	input: Omit<SecurityEventInput, 'actorId' | 'address' | 'routeId' | 'requestId'>,
	now = new Date()
): Promise<void> {
	await recordSecurityEvent(db, { ...input, actorId: by.id, address: by.address, routeId: by.routeId, requestId: by.requestId }, now);
}

export async function recordSecurityEvent(db: Db, input: SecurityEventInput, now = new Date()): Promise<void> {
	await dbRun(db.insert(securityEvent)
		.values({
			at: now.toISOString(),
			type: input.type,
			userId: input.userId ?? null,
			actorId: input.actorId ?? null,
			email: input.email ? input.email.trim().toLowerCase().slice(0, 254) : null,
			address: input.address ? input.address.slice(0, 64) : null,
			routeId: input.routeId ? input.routeId.slice(0, 200) : null,
			requestId: input.requestId ?? null,
			detail: input.detail ?? null
		}));
}

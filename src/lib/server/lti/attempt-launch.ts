/**
 * Which launch an attempt comes from, for grade return (services/grade-return.ts). The launch is never
 * named by the browser: it is the one that started the learner's current session (its session id
 * kept on the launch record, server-side, when the session was made), and only when it took the
 * learner to that very scenario. An attempt the same learner starts from our own pages, in a session
 * they signed in to with a password, returns no grade.
 */
import { and, desc, eq } from 'drizzle-orm';
import { dbGet, dbRun, type Db } from '$lib/core/database';
import { ltiLaunch, type LtiLaunchRow } from '$lib/server/db/lti';
import { endpointUrl } from './http';
import type { AgsClaim, LaunchForAttempt } from './services/types';

/** The launch's scenario page, as completion.ts's landingPathFor makes it. */
export function scenarioPath(scenarioId: string): string {
	return `/learn/scenarios/${scenarioId}`;
}

/** The AGS claim as the services use it, or undefined when it is not usable (no scope, no https endpoint). */
export function agsClaimOf(claim: Record<string, unknown> | null): AgsClaim | undefined {
	if (!claim || !Array.isArray(claim.scope)) return undefined;
	const scope = claim.scope.filter((s): s is string => typeof s === 'string' && s.length <= 255).slice(0, 20);
	const url = (value: unknown) => (typeof value === 'string' && endpointUrl(value) ? value : undefined);
	const lineitems = url(claim.lineitems);
	const lineitem = url(claim.lineitem);
	if (scope.length === 0 || (!lineitems && !lineitem)) return undefined;
	return { scope, ...(lineitems ? { lineitems } : {}), ...(lineitem ? { lineitem } : {}) };
}

export function launchForAttempt(row: Pick<LtiLaunchRow, 'platformId' | 'sub' | 'resourceLinkId' | 'agsClaim'>): LaunchForAttempt | null {
	if (!row.resourceLinkId) return null;
	return { platformId: row.platformId, sub: row.sub, resourceLinkId: row.resourceLinkId, ags: agsClaimOf(row.agsClaim) };
}

/** Notes the session a launch started (launch page or the frame's hand-off, completion.ts). */
export async function attachLaunchToSession(db: Db, launchId: string, sessionId: string): Promise<void> {
	await dbRun(db.update(ltiLaunch).set({ sessionId }).where(eq(ltiLaunch.id, launchId)));
}

/**
 * The launch behind an attempt this learner starts now on this scenario: the newest resource-link
 * launch that started their current session and took them to the scenario; null otherwise.
 */
export async function launchOfSession(db: Db, sessionId: string | undefined, learnerId: string, scenarioId: string): Promise<LaunchForAttempt | null> {
	if (!sessionId) return null;
	const row = await dbGet(db
		.select({ platformId: ltiLaunch.platformId, sub: ltiLaunch.sub, resourceLinkId: ltiLaunch.resourceLinkId, agsClaim: ltiLaunch.agsClaim })
		.from(ltiLaunch)
		.where(and(eq(ltiLaunch.sessionId, sessionId), eq(ltiLaunch.userId, learnerId), eq(ltiLaunch.messageType, 'LtiResourceLinkRequest'), eq(ltiLaunch.landingPath, scenarioPath(scenarioId))))
		.orderBy(desc(ltiLaunch.createdAt))
		.limit(1));
	return row ? launchForAttempt(row) : null;
}

/**
 * A session replaced by a new one for the same user (the second factor given, auth/session.ts):
 * the launches it began stay with the user's session.
 */
export async function carryLaunchesToSession(db: Db, fromSessionId: string, toSessionId: string): Promise<void> {
	await dbRun(db.update(ltiLaunch).set({ sessionId: toSessionId }).where(eq(ltiLaunch.sessionId, fromSessionId)));
}

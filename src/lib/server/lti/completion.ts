/**
 * After a launch is verified: the account (accounts.ts), the launch record with the claims the
 * services need, and where in our app the user lands. When the launch came in a frame, where our
 * session cookie cannot be set, a one-time hand-off code lets a new window finish it (redeemHandoff).
 */
import { and, eq, gt, lt } from 'drizzle-orm';
import { dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { ltiHandoff, ltiLaunch } from '$lib/server/db/lti';
import { homeFor, safeRedirectTarget } from '$lib/server/auth/access';
import { rolesOf } from '$lib/server/auth/user';
import type { Role } from '$lib/server/db/schema';
import { recordSecurityEvent, type RequestContext } from '$lib/server/security/events';
import { linkedAccount } from './accounts';
import type { VerifiedLaunch } from './launch';
import { newSecret, secretHash } from './tokens';

/** A hand-off code works once, for two minutes. */
export const HANDOFF_MS = 2 * 60 * 1000;

/**
 * Where the launch takes the user: the scenario named by the custom parameter `scenario` (a learner),
 * else the target link when it is one of our own pages (never /lti itself, never another site), else
 * the user's home.
 */
export function landingPathFor(launch: Pick<VerifiedLaunch, 'custom' | 'targetLinkUri' | 'messageType'>, roles: readonly Role[], origin: string): string {
	const home = homeFor(roles);
	if (launch.messageType !== 'LtiResourceLinkRequest') return home;
	const scenario = launch.custom.scenario;
	if (scenario && /^[A-Za-z0-9._-]{1,100}$/.test(scenario) && roles.includes('learner')) return `/learn/scenarios/${scenario}`;
	if (launch.targetLinkUri) {
		try {
			const url = new URL(launch.targetLinkUri);
			const path = url.origin === origin ? safeRedirectTarget(url.pathname + url.search) : null;
			if (path && !path.startsWith('/lti/') && path !== '/lti') return path;
		} catch {
			return home;
		}
	}
	return home;
}

export type CompletedLaunch = { ok: true; launchId: string; userId: string; landingPath: string } | { ok: false; message: string };

export async function completeLaunch(db: Db, launch: VerifiedLaunch, origin: string, request: RequestContext, now = new Date()): Promise<CompletedLaunch> {
	const account = await linkedAccount(db, launch, request, now);
	if (!account.ok) return account;
	const roles = await rolesOf(db, account.userId);
	const landingPath = landingPathFor(launch, roles, origin);
	const launchId = crypto.randomUUID();
	await dbRun(db.insert(ltiLaunch).values({
		id: launchId,
		platformId: launch.platform.id,
		userId: account.userId,
		sub: launch.sub,
		deploymentId: launch.deploymentId,
		messageType: launch.messageType,
		resourceLinkId: launch.resourceLinkId,
		contextId: launch.contextId,
		roles: launch.roles,
		agsClaim: launch.agsClaim,
		nrpsClaim: launch.nrpsClaim,
		deepLinkingClaim: launch.deepLinkingClaim,
		landingPath,
		createdAt: now.toISOString()
	}));
	await recordSecurityEvent(db, { type: 'lti.launched', userId: account.userId, ...request, detail: { platformId: launch.platform.id, launchId, messageType: launch.messageType, created: account.created } }, now);
	return { ok: true, launchId, userId: account.userId, landingPath };
}

/** A one-time code for a new window to finish a launch that arrived in a frame. */
export async function createHandoff(db: Db, launchId: string, now = new Date()): Promise<string> {
	const code = newSecret();
	await dbRun(db.delete(ltiHandoff).where(lt(ltiHandoff.expiresAt, now.toISOString())));
	await dbRun(db.insert(ltiHandoff).values({ codeHash: secretHash(code), launchId, expiresAt: new Date(now.getTime() + HANDOFF_MS).toISOString() }));
	return code;
}

/** The launch a hand-off code finishes, once; null for a code that is unknown, used or expired. */
export async function redeemHandoff(db: Db, code: string, now = new Date()): Promise<{ userId: string; landingPath: string } | null> {
	if (!/^[A-Za-z0-9_-]{43}$/.test(code)) return null;
	const codeHash = secretHash(code);
	return await writeTransaction(db, async () => {
		const row = await dbGet(db
			.select({ userId: ltiLaunch.userId, landingPath: ltiLaunch.landingPath })
			.from(ltiHandoff)
			.innerJoin(ltiLaunch, eq(ltiLaunch.id, ltiHandoff.launchId))
			.where(and(eq(ltiHandoff.codeHash, codeHash), gt(ltiHandoff.expiresAt, now.toISOString()))));
		const removed = await dbRun(db.delete(ltiHandoff).where(eq(ltiHandoff.codeHash, codeHash)));
		return row && removed.changes === 1 ? row : null;
	});
}

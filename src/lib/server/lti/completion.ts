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
import { launchForAttempt, scenarioPath } from './attempt-launch';
import { endpointUrl } from './http';
import { linkAttemptToLaunch } from './services/grade-return';
import { rememberLaunchContext } from './services/members';
import { inProgressAttemptOf } from '$lib/server/attempts';

/** The tutor's scenario picker for a Deep Linking launch (routes/(guarded)/author/lti/deep-link). */
export const DEEP_LINK_PATH = '/author/lti/deep-link';

/** A hand-off code works once, for two minutes. */
export const HANDOFF_MS = 2 * 60 * 1000;

/**
 * Where the launch takes the user: the scenario named by the custom parameter `scenario` (a learner),
 * else the target link when it is one of our own pages (never /lti itself, never another site), else
 * the user's home.
 */
export function landingPathFor(launch: Pick<VerifiedLaunch, 'custom' | 'targetLinkUri' | 'messageType'>, roles: readonly Role[], origin: string): string {
	const home = homeFor(roles);
	// A teacher choosing a scenario from the LMS's "add an activity" (Deep Linking).
	if (launch.messageType === 'LtiDeepLinkingRequest') return roles.includes('tutor') ? DEEP_LINK_PATH : home;
	if (launch.messageType !== 'LtiResourceLinkRequest') return home;
	const scenario = launch.custom.scenario;
	if (scenario && /^[A-Za-z0-9._-]{1,100}$/.test(scenario) && roles.includes('learner')) return scenarioPath(scenario);
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
	await afterLaunch(db, launch, account.userId, landingPath, now);
	await recordSecurityEvent(db, { type: 'lti.launched', userId: account.userId, ...request, detail: { platformId: launch.platform.id, launchId, messageType: launch.messageType, created: account.created } }, now);
	return { ok: true, launchId, userId: account.userId, landingPath };
}

/**
 * What a launch sets going besides the session: the course remembered when the platform offers its
 * member list (NRPS, so a tutor may fill a cohort from it), and an attempt already in progress on the
 * launch's scenario linked to the launch, so continuing it returns its grade (a new one is linked when
 * started, attempt-launch.ts).
 */
async function afterLaunch(db: Db, launch: VerifiedLaunch, userId: string, landingPath: string, now: Date): Promise<void> {
	const url = launch.nrpsClaim?.context_memberships_url;
	if (launch.contextId && typeof url === 'string' && endpointUrl(url)) {
		const versions = launch.nrpsClaim?.service_versions;
		await rememberLaunchContext(db, {
			platformId: launch.platform.id,
			organisationId: launch.platform.organisationId,
			context: { id: launch.contextId, title: launch.contextTitle ?? undefined },
			nrps: { context_memberships_url: url, service_versions: Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [] }
		}, now);
	}
	const scenarioId = launch.custom.scenario;
	if (launch.messageType !== 'LtiResourceLinkRequest' || !scenarioId || landingPath !== scenarioPath(scenarioId)) return;
	const inProgress = await inProgressAttemptOf(db, userId, scenarioId);
	const link = launchForAttempt({ platformId: launch.platform.id, sub: launch.sub, resourceLinkId: launch.resourceLinkId, agsClaim: launch.agsClaim });
	if (inProgress && link) await linkAttemptToLaunch(db, inProgress, link, now);
}

/**
 * A one-time code for a new window to finish a launch that arrived in a frame. With `stateHash`, the
 * browser must also show the launch's state, read back from the platform's storage (storage.ts).
 */
export async function createHandoff(db: Db, launchId: string, now = new Date(), stateHash: string | null = null): Promise<string> {
	const code = newSecret();
	await dbRun(db.delete(ltiHandoff).where(lt(ltiHandoff.expiresAt, now.toISOString())));
	await dbRun(db.insert(ltiHandoff).values({ codeHash: secretHash(code), launchId, stateHash, expiresAt: new Date(now.getTime() + HANDOFF_MS).toISOString() }));
	return code;
}

/**
 * The launch a hand-off code finishes, once; null for a code that is unknown, used or expired, or,
 * when the launch must prove its state, for a missing or wrong `proof` (the code is spent either way).
 */
export async function redeemHandoff(db: Db, code: string, now = new Date(), proof: string | null = null): Promise<{ launchId: string; userId: string; landingPath: string } | null> {
	if (!/^[A-Za-z0-9_-]{43}$/.test(code)) return null;
	const codeHash = secretHash(code);
	return await writeTransaction(db, async () => {
		const row = await dbGet(db
			.select({ launchId: ltiLaunch.id, userId: ltiLaunch.userId, landingPath: ltiLaunch.landingPath, stateHash: ltiHandoff.stateHash })
			.from(ltiHandoff)
			.innerJoin(ltiLaunch, eq(ltiLaunch.id, ltiHandoff.launchId))
			.where(and(eq(ltiHandoff.codeHash, codeHash), gt(ltiHandoff.expiresAt, now.toISOString()))));
		const removed = await dbRun(db.delete(ltiHandoff).where(eq(ltiHandoff.codeHash, codeHash)));
		if (!row || removed.changes !== 1) return null;
		if (row.stateHash !== null && (proof === null || proof.length > 100 || secretHash(proof) !== row.stateHash)) return null;
		return { launchId: row.launchId, userId: row.userId, landingPath: row.landingPath };
	});
}

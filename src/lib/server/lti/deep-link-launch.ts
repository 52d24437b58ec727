/**
 * A tutor's Deep Linking launch, as the picker page (/author/lti/deep-link) finds it: never named by
 * the browser, but the newest deep-linking launch that began the tutor's current session (its id
 * kept on the launch record, attempt-launch.ts), less than an hour old, from a platform still enabled.
 * A request is answered once: the signed answer spends it.
 */
import { and, desc, eq, gt } from 'drizzle-orm';
import { dbGet, dbRun, type Db } from '$lib/core/database';
import { ltiLaunch } from '$lib/server/db/lti';
import { endpointUrl } from './http';
import { platformById, type LtiPlatformRecord } from './platforms';
import { deepLinkingRequestOf, type DeepLinkingRequest } from './services/deep-linking';
import { DEEP_LINKING_SETTINGS_CLAIM, DEPLOYMENT_ID_CLAIM } from './services/types';

/** How long a tutor has to choose after the LMS sent them. */
export const DEEP_LINK_WINDOW_MS = 60 * 60 * 1000;

export interface DeepLinkLaunch {
	launchId: string;
	platform: LtiPlatformRecord;
	request: DeepLinkingRequest;
	/** The claims as deepLinkingPicker reads them. */
	claims: Record<string, unknown>;
}

export async function deepLinkLaunchOf(db: Db, sessionId: string | undefined, userId: string, now = new Date()): Promise<DeepLinkLaunch | null> {
	if (!sessionId) return null;
	const row = await dbGet(db
		.select({ id: ltiLaunch.id, platformId: ltiLaunch.platformId, deploymentId: ltiLaunch.deploymentId, settings: ltiLaunch.deepLinkingClaim })
		.from(ltiLaunch)
		.where(and(
			eq(ltiLaunch.sessionId, sessionId),
			eq(ltiLaunch.userId, userId),
			eq(ltiLaunch.messageType, 'LtiDeepLinkingRequest'),
			gt(ltiLaunch.createdAt, new Date(now.getTime() - DEEP_LINK_WINDOW_MS).toISOString())
		))
		.orderBy(desc(ltiLaunch.createdAt))
		.limit(1));
	if (!row) return null;
	const platform = await platformById(db, row.platformId);
	if (!platform || platform.status !== 'enabled') return null;
	const claims = { [DEPLOYMENT_ID_CLAIM]: row.deploymentId, [DEEP_LINKING_SETTINGS_CLAIM]: row.settings };
	const request = deepLinkingRequestOf(claims);
	// The answer is posted to the return URL: https (or the loopback address in tests) only.
	if (!request || !endpointUrl(request.settings.deep_link_return_url)) return null;
	return { launchId: row.id, platform, request, claims };
}

/** The request answered: the same launch cannot be answered again (the platform's data echoed twice). */
export async function spendDeepLinkLaunch(db: Db, launchId: string): Promise<void> {
	await dbRun(db.update(ltiLaunch).set({ sessionId: null }).where(eq(ltiLaunch.id, launchId)));
}

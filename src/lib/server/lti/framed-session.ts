/**
 * A session begun by a launch inside the platform's frame, kept by a partitioned cookie
 * (auth/cookie.ts): the platform that launched it may frame its pages, and no one else. The
 * platform is found from the launch that began the session (its session id, kept on the launch
 * record); remembered briefly, as every request of the session asks.
 */
import { eq } from 'drizzle-orm';
import { dbGet, type Db } from '$lib/core/database';
import { ltiLaunch, ltiPlatform } from '$lib/server/db/lti';
import { platformOrigins } from './platforms';

const REMEMBER_MS = 60_000;
const REMEMBER_AT_MOST = 5_000;
const remembered = new Map<string, { origins: string[]; until: number }>();

export async function framersOfSession(db: Db, sessionId: string, now = Date.now()): Promise<string[]> {
	const known = remembered.get(sessionId);
	if (known && known.until > now) return known.origins;
	const row = await dbGet(db
		.select({ issuer: ltiPlatform.issuer, authLoginUrl: ltiPlatform.authLoginUrl, status: ltiPlatform.status })
		.from(ltiLaunch)
		.innerJoin(ltiPlatform, eq(ltiPlatform.id, ltiLaunch.platformId))
		.where(eq(ltiLaunch.sessionId, sessionId))
		.limit(1));
	// A platform disabled since may no longer frame us.
	const origins = row && row.status === 'enabled' ? platformOrigins(row) : [];
	if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
	remembered.set(sessionId, { origins, until: now + REMEMBER_MS });
	return origins;
}

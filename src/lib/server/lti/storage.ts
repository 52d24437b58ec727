/**
 * The platform's storage (1EdTech "LTI Client Side postMessages" and its OIDC login guide), for the
 * browsers that drop our state cookie in the platform's frame (Safari, private windows, cookies
 * blocked). At login the platform names a storage frame (`lti_storage_target`); our login page puts
 * the state there by postMessage (`lti.put_data`) before going on to the platform. At the launch, when
 * the state cookie did not come back, our launch page reads it back (`lti.get_data`) and the server
 * compares what it read with the state: only the browser that began the login holds it, so a login
 * begun in an attacker's browser and posted into the user's cannot finish (login CSRF).
 *
 * Which of the three ways ties a launch to its browser (the client side is lib/lti-storage.ts):
 * - the state cookie came back (SameSite=None, Partitioned): bound by the cookie;
 * - no cookie, and the platform offers storage: the browser must prove the state from that storage;
 *   once a platform has offered storage, every cookie-less launch from it must, so a forged login
 *   that leaves lti_storage_target out does not fall back to trusting the state alone;
 * - no cookie, and the platform never offered storage: the server-side state alone (single-use,
 *   10 minutes, bound to the nonce in the signed token), the most a cookie-less browser allows.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { dbRun, type Db } from '$lib/core/database';
import { ltiPlatform } from '$lib/server/db/lti';

/** The message keys we use in the platform's storage: one per login. */
export const STATE_KEY_PREFIX = 'custodian_state_';

/** `_parent` or the name of a frame of the platform's page (a browsing-context name we can address). */
export function usableStorageTarget(value: string | null): string | null {
	if (value === null) return null;
	return value === '_parent' || /^[A-Za-z0-9_.-]{1,100}$/.test(value) ? value : null;
}

/** Remembers that the platform offers storage: from now on its cookie-less launches must prove their state. */
export async function noteStorageOffered(db: Db, platformId: string, now: Date): Promise<void> {
	await dbRun(db.update(ltiPlatform).set({ storageSeenAt: now.toISOString() }).where(and(eq(ltiPlatform.id, platformId), isNull(ltiPlatform.storageSeenAt))));
}

/** How a verified launch is tied to the browser that began its login. */
export type LaunchBinding =
	| { kind: 'cookie' }
	/** The browser must read the state back from the platform's storage frame before the launch finishes. */
	| { kind: 'storage'; target: string; origin: string; stateHash: string }
	| { kind: 'state-only' };

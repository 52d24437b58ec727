/**
 * Asking for a learner's badge: every sign-off that can complete a learner's unit (a met decision
 * that counts, a countersignature, a mapped testimony, an observation) writes a check in its own
 * transaction, so a sign-off is never lost between the commit and the badge; issuing.ts answers it.
 */
import { dbRun, type Db } from '$lib/core/database';
import { badgeCheck } from '$lib/server/db/badges';

export async function requestBadgeCheck(db: Db, learnerId: string, now: Date): Promise<void> {
	const requestedAt = now.toISOString();
	await dbRun(db.insert(badgeCheck).values({ learnerId, requestedAt }).onConflictDoUpdate({ target: badgeCheck.learnerId, set: { requestedAt } }));
}

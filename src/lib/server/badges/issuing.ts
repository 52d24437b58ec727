/**
 * When a badge is issued, and what the learner and the centre see of it. The unit counts as signed
 * off when the learner's coverage map (server/coverage.ts, the one the learner and the PDF show)
 * has every criterion of the unit "Signed off". The sign-off that may complete it writes a check
 * (checks.ts) in its own transaction; the check is answered by the scheduled job and as soon as the
 * learner or staff open the badge pages: the badge is stored with its status position in one
 * transaction that also removes the check, then signed once (the signed credential is kept and
 * downloaded as it is). At most one unrevoked badge per learner and unit: after a revocation, a
 * sign-off made later issues a new badge (a new id and status position); the revoked one stays
 * revoked and listed.
 */
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { badge, badgeCheck, type Badge } from '$lib/server/db/badges';
import { organisation, user } from '$lib/server/db/schema';
import { learnerCoverage } from '$lib/server/coverage';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { notify } from '$lib/server/notifications/store';
import { UNIT } from '$lib/criteria';
import { signCredential, unsignedCredential } from './credential';
import { allocateStatusIndex, lockStatusLists, signStatusList, statusPosition } from './status-list';
import { storedStatusList } from './documents';
import { SecretUnreadableError } from '$lib/server/security/secrets';

/** Every criterion of the unit signed off on the learner's coverage map. */
async function unitSignedOff(db: Db, learnerId: string): Promise<boolean> {
	const rows = await learnerCoverage(db, learnerId);
	return rows.length > 0 && rows.every((row) => row.state === 'signed-off');
}

/**
 * Whether a sign-off at `requestedAt` may issue the learner a badge: not while an unrevoked one
 * stands, nor for a sign-off made before the latest revocation (whoever revoked had it before them:
 * a badge revoked as issued in error is issued again only by a sign-off redone after it).
 */
async function mayIssue(db: Db, learnerId: string, requestedAt: string): Promise<boolean> {
	const badges = await dbAll(db.select({ revokedAt: badge.revokedAt }).from(badge).where(and(eq(badge.learnerId, learnerId), eq(badge.achievement, 'unit'))));
	return badges.every((b) => b.revokedAt !== null && b.revokedAt < requestedAt);
}

/**
 * Answers the pending checks (of one learner, or all): a learner whose unit is now signed off and
 * who may have a badge for it (mayIssue) gets one. Returns the badges issued.
 */
export async function processBadgeChecks(db: Db, origin: string, options: { learnerId?: string; now?: Date } = {}): Promise<number> {
	const now = options.now ?? new Date();
	const pending = await dbAll(db.select().from(badgeCheck).where(options.learnerId ? eq(badgeCheck.learnerId, options.learnerId) : undefined).orderBy(asc(badgeCheck.requestedAt)));
	let issued = 0;
	for (const check of pending) {
		issued += await writeTransaction(db, async () => {
			// Claimed by deleting it: of two instances answering one check, the second deletes nothing (on
			// PostgreSQL it waits for the first's row lock) and stops here.
			const [still] = await dbAll(db.delete(badgeCheck).where(eq(badgeCheck.learnerId, check.learnerId)).returning());
			if (!still) return 0;
			const learner = await dbGet(db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, check.learnerId)));
			if (!learner) return 0;
			if (!(await mayIssue(db, check.learnerId, still.requestedAt))) return 0;
			if (!(await unitSignedOff(db, check.learnerId))) return 0;
			const statusIndex = await allocateStatusIndex(db, learner.organisationId, now);
			const id = crypto.randomUUID();
			await dbRun(db.insert(badge).values({ id, organisationId: learner.organisationId, learnerId: check.learnerId, achievement: 'unit', statusIndex, awardedAt: still.requestedAt }));
			await notify(db, [check.learnerId], { kind: 'badge', subject: `${id}:issued`, title: `Your Open Badge is ready: ${UNIT.title}`, link: '/learn/badges' }, now);
			return 1;
		});
	}
	await signPendingBadges(db, origin, { learnerId: options.learnerId, now });
	return issued;
}

/** Signs the badges stored but not yet signed; each is signed once (a second signer changes nothing). */
export async function signPendingBadges(db: Db, origin: string, options: { learnerId?: string; now?: Date } = {}): Promise<number> {
	const now = options.now ?? new Date();
	const unsigned = await dbAll(db
		.select({ badge, email: user.email, centreName: organisation.name })
		.from(badge)
		.innerJoin(user, eq(user.id, badge.learnerId))
		.innerJoin(organisation, eq(organisation.id, badge.organisationId))
		.where(and(isNull(badge.credential), isNull(badge.revokedAt), options.learnerId ? eq(badge.learnerId, options.learnerId) : undefined)));
	let signed = 0;
	for (const row of unsigned) {
		const b = row.badge;
		const credential = await signCredential(db, origin, b.organisationId, unsignedCredential(origin, { badgeId: b.id, organisationId: b.organisationId, centreName: row.centreName, email: row.email, awardedAt: b.awardedAt, statusIndex: b.statusIndex }), now);
		await writeTransaction(db, async () => {
			const stored = await dbAll(db.update(badge).set({ credential, signedAt: now.toISOString() }).where(and(eq(badge.id, b.id), isNull(badge.credential))).returning({ id: badge.id }));
			signed += stored.length;
			// A list is signed when its first badge is, so its URL answers from the start.
			await lockStatusLists(db, b.organisationId, now);
			const { list } = statusPosition(b.statusIndex);
			if (!(await storedStatusList(db, b.organisationId, list))) await signStatusList(db, origin, b.organisationId, list, now);
		});
	}
	return signed;
}

export interface LearnerBadgeView {
	id: string;
	name: string;
	awardedAt: string;
	signed: boolean;
	revokedAt: string | null;
	revocationReason: string | null;
}

function viewOf(b: Badge): LearnerBadgeView {
	return { id: b.id, name: UNIT.title, awardedAt: b.awardedAt, signed: b.credential !== null, revokedAt: b.revokedAt, revocationReason: b.revocationReason };
}

/** The learner's badges, newest first (a revoked one listed as such), once their pending check (if any) is answered. */
export async function learnerBadges(db: Db, origin: string, learnerId: string): Promise<LearnerBadgeView[]> {
	await processBadgeChecks(db, origin, { learnerId });
	return (await dbAll(db.select().from(badge).where(eq(badge.learnerId, learnerId)).orderBy(desc(badge.awardedAt), desc(badge.statusIndex)))).map(viewOf);
}

/** The signed credential of the learner's own badge, as issued; undefined for another's or an unknown id. */
export async function badgeCredential(db: Db, learnerId: string, badgeId: string): Promise<Record<string, unknown> | undefined> {
	if (typeof badgeId !== 'string' || badgeId.length > 100) return undefined;
	const row = await dbGet(db.select().from(badge).where(and(eq(badge.id, badgeId), eq(badge.learnerId, learnerId))));
	return row?.credential ?? undefined;
}

export interface CentreBadgeView extends LearnerBadgeView {
	learnerName: string;
	learnerEmail: string;
	revokedByName: string | null;
}

/** Every badge of the centre, newest first, after answering the centre's pending checks. */
export async function centreBadges(db: Db, origin: string, organisationId: string): Promise<CentreBadgeView[]> {
	const learners = await dbAll(db.select({ learnerId: badgeCheck.learnerId }).from(badgeCheck).innerJoin(user, eq(user.id, badgeCheck.learnerId)).where(eq(user.organisationId, organisationId)));
	for (const l of learners) await processBadgeChecks(db, origin, { learnerId: l.learnerId });
	const rows = await dbAll(db
		.select({ badge, learnerName: user.displayName, learnerEmail: user.email })
		.from(badge)
		.innerJoin(user, eq(user.id, badge.learnerId))
		.where(eq(badge.organisationId, organisationId))
		.orderBy(desc(badge.awardedAt), desc(badge.statusIndex)));
	const revokers = new Map<string, string>();
	for (const r of rows) {
		const by = r.badge.revokedBy;
		if (by && !revokers.has(by)) revokers.set(by, (await dbGet(db.select({ name: user.displayName }).from(user).where(eq(user.id, by))))?.name ?? '');
	}
	return rows.map((r) => ({ ...viewOf(r.badge), learnerName: r.learnerName, learnerEmail: r.learnerEmail, revokedByName: r.badge.revokedBy ? (revokers.get(r.badge.revokedBy) ?? null) : null }));
}

export const REVOCATION_REASON_MAX = 500;

export type RevokeResult = { ok: true } | { ok: false; error: { code: 'badge.not-found' | 'badge.invalid' | 'badge.revoked' | 'badge.key-unreadable'; message: string; field?: 'reason' } };

/** What a request is told when the centre's badge key cannot be decrypted (the log names the setting). */
export const BADGE_KEY_UNREADABLE = 'Custodian cannot sign with the centre’s badge key just now: the server cannot read it (the SECRETS_KEY setting). Ask your administrator.';

/**
 * Revokes a badge of the centre with a reason: marks it, signs its status list again in the same
 * transaction (so the public list says revoked as soon as this returns) and logs it.
 */
export async function revokeBadge(db: Db, origin: string, by: Actor & { organisationId: string }, badgeId: string, reason: string, now = new Date()): Promise<RevokeResult> {
	const found = typeof badgeId === 'string' && badgeId.length <= 100 ? await dbGet(db.select().from(badge).where(and(eq(badge.id, badgeId), eq(badge.organisationId, by.organisationId)))) : undefined;
	if (!found) return { ok: false, error: { code: 'badge.not-found', message: 'That badge was not found.' } };
	const why = reason.trim().replace(/\s+/gu, ' ');
	if (why === '') return { ok: false, error: { code: 'badge.invalid', field: 'reason', message: 'Give the reason for revoking the badge: the learner sees it.' } };
	if (why.length > REVOCATION_REASON_MAX) return { ok: false, error: { code: 'badge.invalid', field: 'reason', message: `Keep the reason to ${REVOCATION_REASON_MAX} characters.` } };
	try {
		return await revokeInTransaction(db, origin, by, found, why, now);
	} catch (error) {
		if (!(error instanceof SecretUnreadableError)) throw error;
		console.error(`Open Badges: ${error.message}`);
		return { ok: false, error: { code: 'badge.key-unreadable', message: BADGE_KEY_UNREADABLE } };
	}
}

async function revokeInTransaction(db: Db, origin: string, by: Actor & { organisationId: string }, found: typeof badge.$inferSelect, why: string, now: Date): Promise<RevokeResult> {
	return await writeTransaction(db, async (): Promise<RevokeResult> => {
		await lockStatusLists(db, found.organisationId, now);
		const changed = await dbAll(db.update(badge).set({ revokedAt: now.toISOString(), revokedBy: by.id, revocationReason: why }).where(and(eq(badge.id, found.id), isNull(badge.revokedAt))).returning({ id: badge.id }));
		if (changed.length === 0) return { ok: false, error: { code: 'badge.revoked', message: 'That badge has already been revoked.' } };
		await signStatusList(db, origin, found.organisationId, statusPosition(found.statusIndex).list, now);
		await recordActorEvent(db, by, { type: 'badge.revoked', userId: found.learnerId, detail: { badgeId: found.id, statusIndex: found.statusIndex } }, now);
		await notify(db, [found.learnerId], { kind: 'badge', subject: `${found.id}:revoked`, title: `Your Open Badge was revoked: ${UNIT.title}`, link: '/learn/badges' }, now);
		return { ok: true };
	});
}

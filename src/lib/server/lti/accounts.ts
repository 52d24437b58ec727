/**
 * Our account for a platform's user. Linked by (platform, sub) only: the same e-mail on two platforms,
 * or on a platform and here, is never taken to be the same person (an LMS lets its users and its
 * administrators set e-mails; matching on them would let one platform sign in as another's user).
 *
 * A first launch makes the account, with no password (nobody can log in to it with one) and the
 * placeholder address lti-<id>@lti.invalid (RFC 2606: never deliverable, never anyone's):
 * - the learner role, or the tutor role when the LMS says the user is an Instructor in the course
 *   (so a teacher can pick scenarios by Deep Linking). Tutors are staff: our two-step log-in
 *   applies to them as to any tutor, so an LMS session alone never reaches staff pages.
 * - never assessor, admin, IQA or EQA, whatever the LMS says (an LMS "Administrator" is not the
 *   centre's): those only an administrator gives, on /admin/users, to a linked account as to any.
 * Later launches keep the roles the account has: the LMS's roles never change them.
 */
import { and, eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { ltiAccount, ltiPlatform } from '$lib/server/db/lti';
import { user, userRole, type Role } from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { recordSecurityEvent, type RequestContext } from '$lib/server/security/events';
import type { VerifiedLaunch } from './launch';

/**
 * Whether an LMS role (full URI or the short names LTI 1.3 still allows) is the course's teacher:
 * membership or institution Instructor. Teaching assistants and everyone else are learners here.
 */
export function isInstructorRole(role: string): boolean {
	return (
		role === 'Instructor' ||
		role === 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor' ||
		role === 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor'
	);
}

export function rolesForNewAccount(ltiRoles: readonly string[]): Role[] {
	return ltiRoles.some(isInstructorRole) ? ['tutor'] : ['learner'];
}

export type LinkedAccount = { ok: true; userId: string; created: boolean } | { ok: false; message: string };

/** The platform an account is linked within: its id, its centre, and its name for a new account's placeholder name. */
export type AccountPlatform = { id: string; organisationId: string; name: string };

/**
 * Finds the account linked to (platform, sub), or makes one and links it: the one way accounts are
 * linked, used by launches and by filling a cohort from the LMS (services/members.ts). `launched`
 * says whether the user is arriving by launch (the link's last launch is then noted).
 */
export async function findOrCreateLinkedAccount(
	db: Db,
	platform: AccountPlatform,
	sub: string,
	person: { roles: readonly string[]; name: string | null; launched: boolean },
	request: RequestContext & { actorId?: string },
	now = new Date()
): Promise<LinkedAccount> {
	const found = await dbGet(db
		.select({ userId: ltiAccount.userId, active: user.active })
		.from(ltiAccount)
		.innerJoin(user, eq(user.id, ltiAccount.userId))
		.where(and(eq(ltiAccount.platformId, platform.id), eq(ltiAccount.sub, sub))));
	if (found) {
		if (!found.active) return { ok: false, message: 'Your Custodian account has been deactivated. Ask your centre’s administrator.' };
		if (person.launched) await dbRun(db.update(ltiAccount).set({ lastLaunchAt: now.toISOString() }).where(and(eq(ltiAccount.platformId, platform.id), eq(ltiAccount.sub, sub))));
		return { ok: true, userId: found.userId, created: false };
	}
	const userId = crypto.randomUUID();
	const roles = rolesForNewAccount(person.roles);
	// A password nobody knows: the account is reached through its platform only.
	const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
	const at = now.toISOString();
	const made = await writeTransaction(db, async () => {
		// Two first launches at once: the second finds the first's link and uses it.
		const raced = await dbGet(db.select({ userId: ltiAccount.userId }).from(ltiAccount).where(and(eq(ltiAccount.platformId, platform.id), eq(ltiAccount.sub, sub))));
		if (raced) return raced.userId;
		await dbRun(db.insert(user).values({
			id: userId,
			organisationId: platform.organisationId,
			email: `lti-${userId}@lti.invalid`,
			displayName: (person.name ?? `${roles[0] === 'tutor' ? 'Tutor' : 'Learner'} from ${platform.name}`).slice(0, 100),
			passwordHash,
			mustChangePassword: false,
			oneTimePasswordExpiresAt: null,
			totpKey: null,
			mfaEnrolledAt: null,
			totpLastStep: null,
			active: true,
			createdAt: at
		}));
		for (const role of roles) await dbRun(db.insert(userRole).values({ userId, role }));
		await dbRun(db.insert(ltiAccount).values({ platformId: platform.id, sub, userId, createdAt: at, lastLaunchAt: at }));
		await recordSecurityEvent(db, { type: 'account.created', userId, ...request, detail: { via: person.launched ? 'lti' : 'lti-nrps', platformId: platform.id, roles } }, now);
		return userId;
	});
	return { ok: true, userId: made, created: made === userId };
}

/** The account of a verified launch's user. */
export async function linkedAccount(db: Db, launch: VerifiedLaunch, request: RequestContext, now = new Date()): Promise<LinkedAccount> {
	return await findOrCreateLinkedAccount(db, launch.platform, launch.sub, { roles: launch.roles, name: launch.name, launched: true }, request, now);
}

/** The account already linked to (platform, sub), if any (active or not). */
export async function accountLinkedTo(db: Db, platformId: string, sub: string): Promise<string | null> {
	const row = await dbGet(db.select({ userId: ltiAccount.userId }).from(ltiAccount).where(and(eq(ltiAccount.platformId, platformId), eq(ltiAccount.sub, sub))));
	return row?.userId ?? null;
}

/**
 * The platforms an account is reached through, by name, when it has no password of its own: an
 * account a launch made (its password random, known to nobody) that no administrator has since given
 * a one-time password. Empty for every other account.
 */
export async function platformsReachingOnly(db: Db, userId: string, mustChangePassword: boolean): Promise<string[]> {
	if (mustChangePassword) return [];
	const rows = await dbAll(db
		.select({ name: ltiPlatform.name, email: user.email })
		.from(ltiAccount)
		.innerJoin(ltiPlatform, eq(ltiPlatform.id, ltiAccount.platformId))
		.innerJoin(user, eq(user.id, ltiAccount.userId))
		.where(eq(ltiAccount.userId, userId)));
	// Made by a launch: its address is ours (lti-<id>@lti.invalid), so no reset mail can reach it either.
	return rows.filter((r) => r.email.endsWith('@lti.invalid')).map((r) => r.name);
}

/**
 * Filling a cohort from an LMS course (NRPS): the course's active learners become learners of the
 * cohort, each found or made by (platform, sub), never by e-mail; those the LMS marks Inactive or
 * Deleted leave the cohort (their account and work stay). Only courses seen in a launch that
 * offered NRPS can be read (`rememberLaunchContext`).
 */
import { and, asc, eq } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, type Db } from '$lib/core/database';
import { mapInOrder } from '$lib/core/in-order';
import { cohortMember } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';
import { ltiContext, type LtiContext } from '$lib/server/db/lti-services';
import { findCohort } from '$lib/server/cohorts';
import type { Actor } from '$lib/server/security/events';
import { rolesOf } from '$lib/server/auth/user';
import { accountLinkedTo, findOrCreateLinkedAccount, isInstructorRole } from '../accounts';
import { platformById } from '../platforms';
import { fetchMemberships, isLearner } from './nrps';
import { serviceSigner } from './deps';
import type { LtiProfile, LtiServiceDeps, NrpsClaim } from './types';

/** Keeps the course of a launch that offered NRPS, so a tutor of that centre may fill a cohort from it. */
export async function rememberLaunchContext(
	db: Db,
	launch: { platformId: string; organisationId: string; context: { id: string; title?: string; label?: string }; nrps: NrpsClaim },
	now = new Date()
): Promise<void> {
	const row = {
		organisationId: launch.organisationId,
		title: (launch.context.title ?? launch.context.label ?? launch.context.id).slice(0, 200),
		membershipsUrl: launch.nrps.context_memberships_url,
		updatedAt: now.toISOString()
	};
	await dbRun(db.insert(ltiContext).values({ platformId: launch.platformId, contextId: launch.context.id, ...row }).onConflictDoUpdate({ target: [ltiContext.platformId, ltiContext.contextId], set: row }));
}

/** The LMS courses this centre's launches came from, by title. */
export async function lmsCoursesOf(db: Db, organisationId: string): Promise<LtiContext[]> {
	return await dbAll(db.select().from(ltiContext).where(eq(ltiContext.organisationId, organisationId)).orderBy(asc(ltiContext.title), asc(ltiContext.contextId)));
}

/** A course's key in a form: platform and context id, which may hold any character, joined safely. */
export function courseKey(course: Pick<LtiContext, 'platformId' | 'contextId'>): string {
	return JSON.stringify([course.platformId, course.contextId]);
}

function displayNameOf(profile: LtiProfile): string | null {
	const name = (profile.name ?? [profile.givenName, profile.familyName].filter(Boolean).join(' ')).trim();
	return name ? name.slice(0, 100) : null;
}

export interface CohortFill {
	/** Members of the course in all (every page). */
	members: number;
	pages: number;
	accountsCreated: number;
	added: number;
	alreadyIn: number;
	/** Inactive or Deleted in the LMS: taken out of the cohort. */
	removed: number;
	/** Not learners in the course (teachers, assistants…): left out. */
	notLearners: number;
	/** Linked to an account of another centre: left out, never moved across centres. */
	otherCentre: number;
	/** Linked to an account an administrator deactivated: left out. */
	deactivated: number;
}

export type FillResult = { ok: true; value: CohortFill } | { ok: false; error: { code: string; message: string; field?: string } };

/**
 * Reads the course's members from the LMS and brings the cohort in line with its learners. The
 * course must be one of this centre's; the cohort too.
 */
export async function fillCohortFromLms(
	db: Db,
	deps: LtiServiceDeps | undefined,
	input: { organisationId: string; cohortId: string; course: string; by: Actor },
	now = new Date()
): Promise<FillResult> {
	if (!await findCohort(db, input.organisationId, input.cohortId)) return { ok: false, error: { code: 'cohort.not-found', message: 'That cohort was not found.' } };
	const course = (await lmsCoursesOf(db, input.organisationId)).find((c) => courseKey(c) === input.course);
	if (!course) return { ok: false, error: { code: 'lti.course-unknown', field: 'course', message: 'Choose one of the LMS courses listed.' } };
	if (!deps) return { ok: false, error: { code: 'lti.not-configured', field: 'course', message: 'The LTI tool is not set up on this server, so the LMS cannot be asked for its members.' } };
	const platform = await deps.platform(db, course.platformId);
	if (!platform) return { ok: false, error: { code: 'lti.platform-unknown', field: 'course', message: 'The LMS this course came from is no longer registered or is disabled.' } };
	const signer = await serviceSigner(db, deps);
	if (!signer.ok) return { ok: false, error: { code: signer.error.code, field: 'course', message: signer.error.message } };
	const read = await fetchMemberships(platform, signer.value, { context_memberships_url: course.membershipsUrl, service_versions: ['2.0'] }, { http: deps.http });
	if (!read.ok) return { ok: false, error: { code: read.error.code, field: 'course', message: `The course’s members could not be read: ${read.error.message}` } };
	// Accounts are made and found exactly as a launch does (accounts.ts): linked by (platform, sub).
	const record = await platformById(db, platform.id);
	if (!record) return { ok: false, error: { code: 'lti.platform-unknown', field: 'course', message: 'The LMS this course came from is no longer registered or is disabled.' } };
	const by = { address: input.by.address ?? null, routeId: input.by.routeId ?? null, requestId: input.by.requestId ?? null, actorId: input.by.id };
	const fill: CohortFill = { members: read.value.members.length, pages: read.value.pages, accountsCreated: 0, added: 0, alreadyIn: 0, removed: 0, notLearners: 0, otherCentre: 0, deactivated: 0 };
	await mapInOrder(read.value.members, async (member) => {
		// A teacher who is also listed as a learner (a course's own test student, a teacher enrolled to
		// see the learner's view) gets a tutor's account at launch (accounts.ts): never a cohort's learner.
		if (!isLearner(member) || member.roles.some(isInstructorRole)) {
			fill.notLearners++;
			return;
		}
		if (member.status !== 'Active') {
			const linked = await accountLinkedTo(db, platform.id, member.userId);
			if (linked) {
				const gone = await dbRun(db.delete(cohortMember).where(and(eq(cohortMember.cohortId, input.cohortId), eq(cohortMember.userId, linked), eq(cohortMember.role, 'learner'))));
				fill.removed += gone.changes;
			}
			return;
		}
		const account = await findOrCreateLinkedAccount(db, record, member.userId, { roles: member.roles, name: displayNameOf(member), launched: false }, by, now);
		if (!account.ok) {
			fill.deactivated++;
			return;
		}
		const owner = await dbGet(db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, account.userId)));
		if (owner?.organisationId !== input.organisationId) {
			fill.otherCentre++;
			return;
		}
		if (account.created) fill.accountsCreated++;
		// An account already linked as a teacher's (made by an Instructor launch) is not made a learner here.
		if (!(await rolesOf(db, account.userId)).includes('learner')) {
			fill.notLearners++;
			return;
		}
		const inserted = await dbAll(db
			.insert(cohortMember)
			.values({ cohortId: input.cohortId, userId: account.userId, role: 'learner', addedAt: now.toISOString() })
			.onConflictDoNothing()
			.returning({ userId: cohortMember.userId }));
		if (inserted.length === 1) fill.added++;
		else fill.alreadyIn++;
	});
	return { ok: true, value: fill };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The fill in words, for the tutor. */
export function fillSummary(fill: CohortFill): string {
	const parts = [`${plural(fill.added, 'learner', 'learners')} added${fill.accountsCreated > 0 ? ` (${plural(fill.accountsCreated, 'new account', 'new accounts')})` : ''}`];
	if (fill.alreadyIn > 0) parts.push(`${fill.alreadyIn} already in the cohort`);
	if (fill.removed > 0) parts.push(`${plural(fill.removed, 'learner', 'learners')} no longer active in the LMS taken out`);
	if (fill.notLearners > 0) parts.push(`${plural(fill.notLearners, 'member who is not a learner', 'members who are not learners')} left out`);
	if (fill.otherCentre > 0) parts.push(`${fill.otherCentre} linked to another centre left out`);
	if (fill.deactivated > 0) parts.push(`${plural(fill.deactivated, 'deactivated account', 'deactivated accounts')} left out`);
	return `Read ${plural(fill.members, 'member', 'members')} of the LMS course: ${parts.join('; ')}.`;
}

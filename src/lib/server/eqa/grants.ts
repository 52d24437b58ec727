/**
 * The access a centre grants an external quality assurer (issue 17 item 4): inviting (a new account
 * or the EQA's existing one), revoking, and the check every /eqa page and download makes — the grant
 * is the EQA's, within its dates, not revoked, and the learner is in its sample. A refusal and every
 * view are security events, so the centre can see exactly what the EQA looked at.
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import type { CoreError } from '$lib/core/result';
import { formatLongDate, ukToday } from '$lib/dates';
import { eqaAccess, eqaAccessLearner, eqaReport, type EqaAccess } from '$lib/server/db/eqa';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { learnerStanding, type LearnerStatus } from '$lib/server/db/quality';
import { organisation, user } from '$lib/server/db/schema';
import { isCalendarDate } from '$lib/server/cohorts';
import { findUserByEmail, rolesOf } from '$lib/server/auth/user';
import { issueSetPasswordLink } from '$lib/server/auth/password-reset';
import { oneTimePasswordLifetimeMs } from '$lib/server/auth/one-time-password';
import { createUserAccount } from '$lib/server/user-admin';
import { recordActorEvent, recordSecurityEvent, type Actor, type RequestContext } from '$lib/server/security/events';
import { notify } from '$lib/server/notifications/store';
import type { Mailer } from '$lib/server/mail';

/** How long an invitation lasts unless the centre says otherwise (days, both ends included). */
export const DEFAULT_ACCESS_DAYS = 14;
/** The longest access a centre may grant in one go (days). */
export const MAX_ACCESS_DAYS = 180;
/** The EQA and the inviter hear this many days before the last day. */
export const ENDING_NOTICE_DAYS = 2;
export const GRANT_LIMITS = { reason: 1000, learners: 500 } as const;

export type GrantState = 'not-started' | 'live' | 'ended' | 'revoked';
export const GRANT_STATE_LABELS: Record<GrantState, string> = { 'not-started': 'Not started', live: 'Open', ended: 'Ended', revoked: 'Revoked' };

export const STANDING_LABELS: Record<LearnerStatus, string> = { 'in-training': 'In training', completed: 'Completed', withdrawn: 'Withdrawn' };

/** A plain date `days` after another (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Where a grant stands on a UK day: access runs from the first day to the end of the last. */
export function grantState(grant: Pick<EqaAccess, 'startsOn' | 'endsOn' | 'revokedAt'>, today: string): GrantState {
	if (grant.revokedAt !== null) return 'revoked';
	if (today < grant.startsOn) return 'not-started';
	if (today > grant.endsOn) return 'ended';
	return 'live';
}

export type GrantResult<T> = { ok: true; value: T } | { ok: false; error: CoreError; errors: Partial<Record<string, string>> };

function failure(code: string, message: string, field?: string): { ok: false; error: CoreError; errors: Partial<Record<string, string>> } {
	return { ok: false, error: field === undefined ? { code, message } : { code, field, message }, errors: field === undefined ? {} : { [field]: message } };
}

/** A cohort's learners with where each stands (no standing row: in training), for the invite form and the EQA. */
export async function cohortLearnersWithStanding(db: Db, organisationId: string, cohortId: string): Promise<{ id: string; name: string; email: string; status: LearnerStatus; statusOn: string | null }[]> {
	return (await dbAll(db
		.select({ id: user.id, name: user.displayName, email: user.email, status: learnerStanding.status, statusOn: learnerStanding.statusOn })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.leftJoin(learnerStanding, eq(learnerStanding.learnerId, user.id))
		.where(and(eq(cohortMember.cohortId, cohortId), eq(cohortMember.role, 'learner'), eq(cohort.organisationId, organisationId), eq(user.organisationId, organisationId)))
		.orderBy(asc(user.displayName))))
		.map((r) => ({ ...r, status: r.status ?? 'in-training', statusOn: r.statusOn ?? null }));
}

/** The centre's cohorts an EQA's sample may come from, archived (finished) runs included. */
export async function cohortsForSampling(db: Db, organisationId: string): Promise<{ id: string; name: string; archived: boolean }[]> {
	return (await dbAll(db
		.select({ id: cohort.id, name: cohort.name, archivedAt: cohort.archivedAt })
		.from(cohort)
		.where(eq(cohort.organisationId, organisationId))
		.orderBy(asc(cohort.name))))
		.map((c) => ({ id: c.id, name: c.name, archived: c.archivedAt !== null }));
}

export interface InviteInput {
	email: string;
	name: string;
	cohortId: string;
	learnerIds: string[];
	startsOn: string;
	endsOn: string;
}

export interface Invitation {
	access: EqaAccess;
	eqa: { id: string; email: string; name: string; created: boolean };
	/** Shown once to the inviter when no mail could carry a link; null otherwise. */
	oneTimePassword: string | null;
	/** Whether a set-password link went by e-mail. */
	emailed: boolean;
	/** The mail's delivery, settled after the answer; never rejects. */
	delivery: Promise<void>;
}

function validDates(startsOn: string, endsOn: string, today: string): Partial<Record<string, string>> {
	const errors: Partial<Record<string, string>> = {};
	if (!isCalendarDate(startsOn)) errors.startsOn = 'Enter the first day of access as a date.';
	else if (startsOn < today) errors.startsOn = 'Access cannot start in the past.';
	if (!isCalendarDate(endsOn)) errors.endsOn = 'Enter the last day of access as a date.';
	else if (!errors.startsOn && endsOn < startsOn) errors.endsOn = 'The last day must be on or after the first.';
	else if (!errors.startsOn && endsOn > addDays(startsOn, MAX_ACCESS_DAYS)) errors.endsOn = `Access may last at most ${MAX_ACCESS_DAYS} days; invite again for longer.`;
	return errors;
}

/**
 * Invites an EQA: makes their account (role eqa only) or uses the EQA account this centre already
 * has for the e-mail, and grants access to the learners picked from one cohort. With mail, a new
 * account gets a link to choose a password; without it, the inviter is shown a one-time password to
 * pass on. Either way MFA is set up at first log-in (mfa-policy: every role but learner).
 */
export async function inviteEqa(
	db: Db,
	organisationId: string,
	by: Actor,
	input: InviteInput,
	options: { mailer: Mailer | null; origin: string },
	now = new Date()
): Promise<GrantResult<Invitation>> {
	const today = ukToday(now);
	const errors: Partial<Record<string, string>> = { ...validDates(input.startsOn, input.endsOn, today) };
	const found = await dbGet(db.select().from(cohort).where(and(eq(cohort.id, input.cohortId), eq(cohort.organisationId, organisationId))));
	if (!found) errors.cohortId = 'Choose a cohort of your centre.';
	const picked = [...new Set(input.learnerIds)];
	if (found) {
		const ofCohort = new Set((await cohortLearnersWithStanding(db, organisationId, found.id)).map((l) => l.id));
		if (picked.length === 0) errors.learnerIds = 'Pick at least one learner for the sample.';
		else if (picked.length > GRANT_LIMITS.learners) errors.learnerIds = `Pick at most ${GRANT_LIMITS.learners} learners.`;
		else if (picked.some((id) => !ofCohort.has(id))) errors.learnerIds = 'Pick learners of the chosen cohort only.';
	}
	const existing = input.email.trim() === '' ? undefined : await findUserByEmail(db, input.email);
	if (existing) {
		if (existing.organisationId !== organisationId || !(await rolesOf(db, existing.id)).includes('eqa')) {
			errors.email = 'This e-mail belongs to an account that is not an external quality assurer of your centre. Use the EQA’s own address.';
		} else if (!existing.active) {
			errors.email = 'This EQA’s account is deactivated. Reactivate it in Users first.';
		}
	}
	if (Object.keys(errors).length > 0) {
		const [field, message] = Object.entries(errors)[0]!;
		return { ok: false, error: { code: 'invalid', field, message: message! }, errors };
	}

	let eqa: Invitation['eqa'];
	let oneTimePassword: string | null = null;
	if (existing) {
		eqa = { id: existing.id, email: existing.email, name: existing.displayName, created: false };
	} else {
		const made = await createUserAccount(db, organisationId, { displayName: input.name, email: input.email, roles: ['eqa'] }, by, now);
		if (!made.ok) return made;
		eqa = { id: made.value.user.id, email: made.value.user.email, name: made.value.user.displayName, created: true };
		oneTimePassword = made.value.oneTimePassword;
	}

	const access: EqaAccess = {
		id: crypto.randomUUID(),
		organisationId,
		eqaUserId: eqa.id,
		cohortId: input.cohortId,
		startsOn: input.startsOn,
		endsOn: input.endsOn,
		invitedBy: by.id,
		invitedAt: now.toISOString(),
		revokedAt: null,
		revokedBy: null,
		revokedReason: null
	};
	await writeTransaction(db, async () => {
			await dbRun(db.insert(eqaAccess).values(access));
			for (const learnerId of picked) await dbRun(db.insert(eqaAccessLearner).values({ accessId: access.id, learnerId }));
			await recordActorEvent(db, by, { type: 'eqa.invited', userId: eqa.id, detail: { accessId: access.id, cohortId: access.cohortId, learners: picked.length, startsOn: access.startsOn, endsOn: access.endsOn, newAccount: eqa.created } }, now);
			const title = `EQA access granted: ${found!.name}, ${formatLongDate(access.startsOn)} to ${formatLongDate(access.endsOn)}`;
			await notify(db, [eqa.id], { kind: 'eqa-access-granted', subject: access.id, title, link: `/eqa/${access.id}` }, now);
			await notify(db, [by.id], { kind: 'eqa-access-granted', subject: access.id, title, link: `/iqa/eqa/${access.id}` }, now);
		});

	let emailed = false;
	let delivery: Promise<void> = Promise.resolve();
	if (eqa.created && options.mailer) {
		const token = await issueSetPasswordLink(db, eqa.id, oneTimePasswordLifetimeMs(), now.getTime());
		const centre = (await dbGet(db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, organisationId))))?.name ?? 'the centre';
		const link = `${options.origin}/login/reset/${token}`;
		delivery = options.mailer
			.send({ to: eqa.email, subject: `${centre} invites you to Custodian as external quality assurer`, text: invitationText(eqa.name, centre, link, access) })
			.catch((error: unknown) => {
				process.stderr.write(JSON.stringify({ t: new Date().toISOString(), error: 'eqa invitation mail not sent', cause: String(error) }) + '\n');
			});
		emailed = true;
		oneTimePassword = null;
	}
	return { ok: true, value: { access, eqa, oneTimePassword, emailed, delivery } };
}

function invitationText(name: string, centre: string, link: string, access: EqaAccess): string {
	const hours = Math.round(oneTimePasswordLifetimeMs() / 3_600_000);
	return [
		`Hello ${name},`,
		'',
		`${centre} has given you read-only access to a sample of its learners' work on Custodian, from ${formatLongDate(access.startsOn)} to ${formatLongDate(access.endsOn)}.`,
		'',
		'Open this link to choose your password:',
		'',
		link,
		'',
		`The link works once, for ${hours} hours. After your password you will set up two-step verification with an authenticator app.`,
		''
	].join('\n');
}

/** Ends a grant now, with a reason; the EQA's next request is refused. */
export async function revokeEqaAccess(db: Db, organisationId: string, by: Actor, accessId: string, reason: string, now = new Date()): Promise<GrantResult<EqaAccess>> {
	const grant = await centreGrant(db, organisationId, accessId);
	if (!grant) return failure('eqa.not-found', 'That access was not found.');
	if (grant.revokedAt !== null) return failure('eqa.revoked', 'This access is already revoked.');
	const why = reason.trim();
	if (why === '') return failure('invalid', 'Say why the access is revoked.', 'reason');
	if (why.length > GRANT_LIMITS.reason) return failure('invalid', `Use at most ${GRANT_LIMITS.reason} characters.`, 'reason');
	const revoked = { ...grant, revokedAt: now.toISOString(), revokedBy: by.id, revokedReason: why };
	await writeTransaction(db, async () => {
			await dbRun(db.update(eqaAccess).set({ revokedAt: revoked.revokedAt, revokedBy: by.id, revokedReason: why }).where(eq(eqaAccess.id, grant.id)));
			await recordActorEvent(db, by, { type: 'eqa.revoked', userId: grant.eqaUserId, detail: { accessId: grant.id } }, now);
		});
	return { ok: true, value: revoked };
}

/** A grant of this centre, or undefined (another centre's is answered as not found). */
export async function centreGrant(db: Db, organisationId: string, accessId: string): Promise<EqaAccess | undefined> {
	if (typeof accessId !== 'string' || accessId.length > 100) return undefined;
	return await dbGet(db.select().from(eqaAccess).where(and(eq(eqaAccess.id, accessId), eq(eqaAccess.organisationId, organisationId))));
}

export async function sampleOf(db: Db, accessId: string): Promise<string[]> {
	return (await dbAll(db.select({ id: eqaAccessLearner.learnerId }).from(eqaAccessLearner).where(eq(eqaAccessLearner.accessId, accessId)))).map((r) => r.id);
}

export interface GrantSummary {
	id: string;
	eqaName: string;
	eqaEmail: string;
	cohortName: string;
	learners: number;
	startsOn: string;
	endsOn: string;
	state: GrantState;
	invitedByName: string;
	invitedAt: string;
	report: 'none' | 'draft' | 'submitted';
}

async function summaries(db: Db, grants: EqaAccess[], today: string): Promise<GrantSummary[]> {
	if (grants.length === 0) return [];
	const ids = grants.map((g) => g.id);
	const people = new Map(
		(await dbAll(db
			.select({ id: user.id, name: user.displayName, email: user.email })
			.from(user)
			.where(inArray(user.id, [...new Set(grants.flatMap((g) => [g.eqaUserId, g.invitedBy]))]))))
			.map((p) => [p.id, p])
	);
	const cohorts = new Map((await dbAll(db.select({ id: cohort.id, name: cohort.name }).from(cohort).where(inArray(cohort.id, [...new Set(grants.map((g) => g.cohortId))])))).map((c) => [c.id, c.name]));
	const counts = new Map<string, number>();
	for (const row of await dbAll(db.select({ accessId: eqaAccessLearner.accessId }).from(eqaAccessLearner).where(inArray(eqaAccessLearner.accessId, ids)))) {
		counts.set(row.accessId, (counts.get(row.accessId) ?? 0) + 1);
	}
	const reports = new Map((await dbAll(db.select({ accessId: eqaReport.accessId, submittedAt: eqaReport.submittedAt }).from(eqaReport).where(inArray(eqaReport.accessId, ids)))).map((r) => [r.accessId, r.submittedAt]));
	return grants.map((g) => ({
		id: g.id,
		eqaName: people.get(g.eqaUserId)?.name ?? '',
		eqaEmail: people.get(g.eqaUserId)?.email ?? '',
		cohortName: cohorts.get(g.cohortId) ?? '',
		learners: counts.get(g.id) ?? 0,
		startsOn: g.startsOn,
		endsOn: g.endsOn,
		state: grantState(g, today),
		invitedByName: people.get(g.invitedBy)?.name ?? '',
		invitedAt: g.invitedAt,
		report: !reports.has(g.id) ? 'none' : reports.get(g.id) ? 'submitted' : 'draft'
	}));
}

/** The centre's grants, newest first. */
export async function grantsOfCentre(db: Db, organisationId: string, now = new Date()): Promise<GrantSummary[]> {
	const grants = await dbAll(db.select().from(eqaAccess).where(eq(eqaAccess.organisationId, organisationId)).orderBy(desc(eqaAccess.invitedAt)));
	return await summaries(db, grants, ukToday(now));
}

/** An EQA's own grants, newest first (the /eqa page shows the open ones and lists the rest). */
export async function grantsOfEqa(db: Db, eqaUserId: string, now = new Date()): Promise<GrantSummary[]> {
	const grants = await dbAll(db.select().from(eqaAccess).where(eq(eqaAccess.eqaUserId, eqaUserId)).orderBy(desc(eqaAccess.invitedAt)));
	return await summaries(db, grants, ukToday(now));
}

/** Who asks, and from where: the EQA as the security log records them. */
export interface EqaVisitor extends Partial<RequestContext> {
	id: string;
}

export type GrantCheck =
	| { ok: true; grant: EqaAccess; centreName: string; cohortName: string }
	| { ok: false; status: 404; message: string }
	| { ok: false; status: 403; message: string; state: Exclude<GrantState, 'live'> };

export const GRANT_NOT_FOUND = 'There is no access of yours at this address.';
export const LEARNER_NOT_FOUND = 'There is no learner of your sample at this address.';

async function refusedEvent(db: Db, visitor: EqaVisitor, detail: Record<string, string>, now: Date): Promise<void> {
	await recordSecurityEvent(db, { type: 'eqa.refused', userId: visitor.id, address: visitor.address, routeId: visitor.routeId, requestId: visitor.requestId, detail }, now);
}

/**
 * The check at the top of every /eqa/[accessId] load, action and download: the grant is this EQA's
 * and open today. Another's grant, or an unknown id, is not found; a grant past its dates or
 * revoked is refused with the day it ended. Refusals are logged.
 */
export async function openGrant(db: Db, visitor: EqaVisitor, accessId: string, now = new Date()): Promise<GrantCheck> {
	const row =
		typeof accessId === 'string' && accessId.length <= 100
			? await dbGet(db
					.select({ grant: eqaAccess, centreName: organisation.name, cohortName: cohort.name })
					.from(eqaAccess)
					.innerJoin(organisation, eq(organisation.id, eqaAccess.organisationId))
					.innerJoin(cohort, eq(cohort.id, eqaAccess.cohortId))
					.where(and(eq(eqaAccess.id, accessId), eq(eqaAccess.eqaUserId, visitor.id))))
			: undefined;
	if (!row) {
		await refusedEvent(db, visitor, { reason: 'not-found', accessId: String(accessId).slice(0, 100) }, now);
		return { ok: false, status: 404, message: GRANT_NOT_FOUND };
	}
	const state = grantState(row.grant, ukToday(now));
	if (state !== 'live') {
		await refusedEvent(db, visitor, { reason: state, accessId: row.grant.id }, now);
		const what = `Your access to the sample of ${row.cohortName} at ${row.centreName}`;
		const message =
			state === 'ended'
				? `${what} ended on ${formatLongDate(row.grant.endsOn)}. Ask the centre for a new invitation if you need to see it again.`
				: state === 'revoked'
					? `${what} ended on ${formatLongDate(row.grant.revokedAt!)}: the centre revoked it. Ask the centre if you need to see it again.`
					: `${what} starts on ${formatLongDate(row.grant.startsOn)}.`;
		return { ok: false, status: 403, message, state };
	}
	return { ok: true, grant: row.grant, centreName: row.centreName, cohortName: row.cohortName };
}

/** Whether a learner is in the grant's sample; a learner outside it is a logged refusal. */
export async function learnerInSample(db: Db, visitor: EqaVisitor, grant: EqaAccess, learnerId: string, now = new Date()): Promise<boolean> {
	const inSample =
		typeof learnerId === 'string' &&
		learnerId.length <= 100 &&
		await dbGet(db.select({ id: eqaAccessLearner.learnerId }).from(eqaAccessLearner).where(and(eq(eqaAccessLearner.accessId, grant.id), eq(eqaAccessLearner.learnerId, learnerId)))) !== undefined;
	if (!inSample) await refusedEvent(db, visitor, { reason: 'outside-sample', accessId: grant.id, learnerId: String(learnerId).slice(0, 100) }, now);
	return inSample;
}

/** What an EQA looked at: one security event per view (grant, learner, what). */
export async function recordEqaView(db: Db, visitor: EqaVisitor, grant: EqaAccess, what: string, learnerId: string | null = null, now = new Date()): Promise<void> {
	await recordSecurityEvent(
		db,
		{ type: 'eqa.viewed', userId: visitor.id, address: visitor.address, routeId: visitor.routeId, requestId: visitor.requestId, detail: { accessId: grant.id, learnerId, what } },
		now
	);
}

/**
 * Whether this EQA may read this learner's work today: some open grant of theirs has the learner in
 * its sample. For checks outside the /eqa pages (an uploaded file's access rule).
 */
export async function eqaMayReadLearner(db: Db, eqaUserId: string, learnerId: string, now = new Date()): Promise<boolean> {
	const today = ukToday(now);
	return (await dbAll(db
		.select({ grant: eqaAccess })
		.from(eqaAccess)
		.innerJoin(eqaAccessLearner, eq(eqaAccessLearner.accessId, eqaAccess.id))
		.where(and(eq(eqaAccess.eqaUserId, eqaUserId), eq(eqaAccessLearner.learnerId, learnerId), isNull(eqaAccess.revokedAt)))))
		.some((r) => grantState(r.grant, today) === 'live');
}

/**
 * "EQA access ending": to the EQA and the inviter, once per grant, from ENDING_NOTICE_DAYS before
 * its last day. Run by the scheduled reminder job; the notification's unique key makes a second run
 * insert nothing.
 */
export async function remindEqaAccessEnding(db: Db, now = new Date()): Promise<number> {
	const today = ukToday(now);
	const soon = addDays(today, ENDING_NOTICE_DAYS);
	const rows = (await dbAll(db
		.select({ grant: eqaAccess, cohortName: cohort.name })
		.from(eqaAccess)
		.innerJoin(cohort, eq(cohort.id, eqaAccess.cohortId))
		.innerJoin(user, eq(user.id, eqaAccess.eqaUserId))
		.where(and(isNull(eqaAccess.revokedAt), eq(user.active, true)))))
		.filter((r) => grantState(r.grant, today) === 'live' && r.grant.endsOn <= soon);
	let added = 0;
	for (const { grant, cohortName } of rows) {
		const title = `EQA access ending on ${formatLongDate(grant.endsOn)}: ${cohortName}`;
		added += await notify(db, [grant.eqaUserId], { kind: 'eqa-access-ending', subject: `${grant.id}@${grant.endsOn}`, title, link: `/eqa/${grant.id}` }, now);
		added += await notify(db, [grant.invitedBy], { kind: 'eqa-access-ending', subject: `${grant.id}@${grant.endsOn}`, title, link: `/iqa/eqa/${grant.id}` }, now);
	}
	return added;
}


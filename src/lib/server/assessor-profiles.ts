/**
 * Assessor profiles (issue 17 item 1): each assessor's qualification status (qualified or trainee,
 * with the date it started), occupational competence and CPD notes, and a risk rating with its
 * reason. The internal quality assurer (IQA) keeps them; an administrator may also mark an
 * assessor trainee or qualified. Every change is an append-only history row and a security event.
 *
 * An assessor with no profile yet counts as qualified with risk "new": a centre's assessors are
 * qualified until someone with the authority says otherwise, and "new" asks the sampling plan for
 * 100 % of their decisions.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { dbAll, dbRun, writeTransaction } from '$lib/core/database';
import { user, userRole, type Role } from '$lib/server/db/schema';
import {
	assessmentDecision,
	assessorProfile,
	assessorProfileChange,
	decisionCountersignature,
	QUALIFICATION_STATUSES,
	RISK_RATINGS,
	type AssessorProfileChange,
	type ProfileChangeKind,
	type QualificationStatus,
	type RiskRating
} from '$lib/server/db/assessment';
import { recordActorEvent, type Actor } from '$lib/server/security/events';

export const QUALIFICATION_LABELS: Record<QualificationStatus, string> = { qualified: 'Qualified', trainee: 'Trainee' };
export const RISK_LABELS: Record<RiskRating, string> = { new: 'New', trainee: 'Trainee', low: 'Low', medium: 'Medium', high: 'High' };
export const PROFILE_LIMITS = { reason: 1000, notes: 4000 } as const;

/** What counts for an assessor without a profile row. */
export const DEFAULT_QUALIFICATION = { status: 'qualified', statusSince: null, risk: 'new', riskReason: '', competenceNotes: '' } as const;

export interface Qualification {
	status: QualificationStatus;
	statusSince: string | null;
	risk: RiskRating;
	riskReason: string;
	competenceNotes: string;
}

/** Each assessor's qualification as it stands now (the default for those without a profile). */
export async function qualificationsOf(db: Db, assessorIds: readonly string[]): Promise<Map<string, Qualification>> {
	const out = new Map<string, Qualification>();
	if (assessorIds.length === 0) return out;
	const rows = await dbAll(db.select().from(assessorProfile).where(inArray(assessorProfile.assessorId, [...assessorIds])));
	const byId = new Map(rows.map((r) => [r.assessorId, r]));
	for (const id of assessorIds) {
		const row = byId.get(id);
		out.set(id, row ? { status: row.status, statusSince: row.statusSince, risk: row.risk, riskReason: row.riskReason, competenceNotes: row.competenceNotes } : { ...DEFAULT_QUALIFICATION });
	}
	return out;
}

export async function qualificationOf(db: Db, assessorId: string): Promise<Qualification> {
	return (await qualificationsOf(db, [assessorId])).get(assessorId)!;
}

/** The centre's accounts with the assessor role, by name. */
async function centreAssessorRows(db: Db, organisationId: string, assessorId?: string) {
	return await dbAll(db
		.select({ id: user.id, displayName: user.displayName, email: user.email, active: user.active })
		.from(user)
		.innerJoin(userRole, and(eq(userRole.userId, user.id), eq(userRole.role, 'assessor')))
		.where(assessorId === undefined ? eq(user.organisationId, organisationId) : and(eq(user.organisationId, organisationId), eq(user.id, assessorId)))
		.orderBy(user.displayName));
}

export interface AssessorSummary {
	id: string;
	name: string;
	email: string;
	active: boolean;
	status: QualificationStatus;
	statusSince: string | null;
	risk: RiskRating;
	/** Decisions this assessor has signed. */
	decisionsSigned: number;
	/** Of those, the ones still waiting for a qualified assessor's countersignature. */
	awaitingCountersignature: number;
}

/** The centre's assessors with their status, risk and the decisions they signed (the IQA's list). */
export async function centreAssessors(db: Db, organisationId: string): Promise<AssessorSummary[]> {
	const rows = await centreAssessorRows(db, organisationId);
	const ids = rows.map((r) => r.id);
	const qualifications = await qualificationsOf(db, ids);
	const signed = new Map<string, number>();
	const waiting = new Map<string, number>();
	if (ids.length > 0) {
		const decisions = await dbAll(db
			.select({ assessorId: assessmentDecision.assessorId, requires: assessmentDecision.requiresCountersignature, answered: decisionCountersignature.id })
			.from(assessmentDecision)
			.leftJoin(decisionCountersignature, eq(decisionCountersignature.decisionId, assessmentDecision.id))
			.where(inArray(assessmentDecision.assessorId, ids)));
		for (const d of decisions) {
			signed.set(d.assessorId, (signed.get(d.assessorId) ?? 0) + 1);
			if (d.requires && d.answered === null) waiting.set(d.assessorId, (waiting.get(d.assessorId) ?? 0) + 1);
		}
	}
	return rows.map((r) => {
		const q = qualifications.get(r.id)!;
		return {
			id: r.id,
			name: r.displayName,
			email: r.email,
			active: r.active,
			status: q.status,
			statusSince: q.statusSince,
			risk: q.risk,
			decisionsSigned: signed.get(r.id) ?? 0,
			awaitingCountersignature: waiting.get(r.id) ?? 0
		};
	});
}

export interface ProfileHistoryEntry extends Pick<AssessorProfileChange, 'id' | 'kind' | 'value' | 'onDate' | 'text' | 'changedAt'> {
	changedByName: string;
}

/** One assessor's profile with its history, newest first; undefined unless they are an assessor of this centre. */
export async function assessorProfileView(db: Db, organisationId: string, assessorId: string) {
	if (typeof assessorId !== 'string' || assessorId.length > 100) return undefined;
	const summary = (await centreAssessors(db, organisationId)).find((a) => a.id === assessorId);
	if (!summary) return undefined;
	const history: ProfileHistoryEntry[] = await dbAll(db
		.select({
			id: assessorProfileChange.id,
			kind: assessorProfileChange.kind,
			value: assessorProfileChange.value,
			onDate: assessorProfileChange.onDate,
			text: assessorProfileChange.text,
			changedAt: assessorProfileChange.changedAt,
			changedByName: user.displayName
		})
		.from(assessorProfileChange)
		.innerJoin(user, eq(user.id, assessorProfileChange.changedBy))
		.where(eq(assessorProfileChange.assessorId, assessorId))
		.orderBy(desc(assessorProfileChange.changedAt)));
	const q = await qualificationOf(db, assessorId);
	return { ...summary, competenceNotes: q.competenceNotes, riskReason: q.riskReason, cpd: history.filter((h) => h.kind === 'cpd'), history };
}
export type AssessorProfileView = NonNullable<Awaited<ReturnType<typeof assessorProfileView>>>;

export type ProfileChange =
	| { kind: 'status'; status: string; since: string; reason: string }
	| { kind: 'risk'; risk: string; reason: string }
	| { kind: 'competence'; notes: string }
	| { kind: 'cpd'; on: string; note: string };

export interface ProfileEditor extends Actor {
	organisationId: string;
	roles: readonly Role[];
}

export type ProfileResult =
	| { ok: true }
	| { ok: false; error: { code: 'assessor.not-found' | 'profile.forbidden' | 'profile.invalid'; message: string; fields?: Record<string, string> } };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(value: string): boolean {
	return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** Who may make each kind of change: only the IQA rates risk and keeps the notes; an administrator may also set the status. */
function mayChange(roles: readonly Role[], kind: ProfileChangeKind): boolean {
	return roles.includes('iqa') || (kind === 'status' && roles.includes('admin'));
}

function validate(change: ProfileChange): Record<string, string> {
	const errors: Record<string, string> = {};
	switch (change.kind) {
		case 'status':
			if (!(QUALIFICATION_STATUSES as readonly string[]).includes(change.status)) errors.status = 'Choose qualified or trainee.';
			if (!validDate(change.since)) errors.since = 'Give the date the status started, as a date.';
			if (change.reason.trim() === '') errors.reason = 'Say why the status changes.';
			else if (change.reason.length > PROFILE_LIMITS.reason) errors.reason = `Keep the reason to ${PROFILE_LIMITS.reason} characters.`;
			break;
		case 'risk':
			if (!(RISK_RATINGS as readonly string[]).includes(change.risk)) errors.risk = 'Choose a risk rating from the list.';
			if (change.reason.trim() === '') errors.reason = 'Give the reason for the rating.';
			else if (change.reason.length > PROFILE_LIMITS.reason) errors.reason = `Keep the reason to ${PROFILE_LIMITS.reason} characters.`;
			break;
		case 'competence':
			if (change.notes.length > PROFILE_LIMITS.notes) errors.notes = `Keep the notes to ${PROFILE_LIMITS.notes} characters.`;
			break;
		case 'cpd':
			if (!validDate(change.on)) errors.on = 'Give the date of the CPD activity, as a date.';
			if (change.note.trim() === '') errors.note = 'Describe the CPD activity.';
			else if (change.note.length > PROFILE_LIMITS.notes) errors.note = `Keep the note to ${PROFILE_LIMITS.notes} characters.`;
			break;
	}
	return errors;
}

/**
 * Changes an assessor's profile: sets the status or the risk (each with its reason), replaces the
 * competence notes or adds a CPD entry. The change is kept as a history row and written to the
 * security log (`assessor-profile.changed`), in one transaction.
 */
export async function changeAssessorProfile(db: Db, by: ProfileEditor, assessorId: string, change: ProfileChange, now = new Date()): Promise<ProfileResult> {
	if (!(await centreAssessorRows(db, by.organisationId, typeof assessorId === 'string' ? assessorId : '')).length) {
		return { ok: false, error: { code: 'assessor.not-found', message: 'There is no assessor of this centre at this address.' } };
	}
	if (!mayChange(by.roles, change.kind)) {
		return { ok: false, error: { code: 'profile.forbidden', message: change.kind === 'status' ? 'Only an internal quality assurer or an administrator may set an assessor’s status.' : 'Only an internal quality assurer may change this.' } };
	}
	const errors = validate(change);
	if (Object.keys(errors).length > 0) return { ok: false, error: { code: 'profile.invalid', message: 'Nothing was changed: correct what is marked.', fields: errors } };
	const at = now.toISOString();
	return await writeTransaction(db, async (): Promise<ProfileResult> => {
		const current = await qualificationOf(db, assessorId);
		const next = { ...current };
		let value = '';
		let onDate: string | null = null;
		let text = '';
		switch (change.kind) {
			case 'status':
				next.status = change.status as QualificationStatus;
				next.statusSince = change.since;
				[value, onDate, text] = [change.status, change.since, change.reason.trim()];
				break;
			case 'risk':
				next.risk = change.risk as RiskRating;
				next.riskReason = change.reason.trim();
				[value, text] = [change.risk, change.reason.trim()];
				break;
			case 'competence':
				next.competenceNotes = change.notes.trim();
				text = change.notes.trim();
				break;
			case 'cpd':
				[onDate, text] = [change.on, change.note.trim()];
				break;
		}
		const row = { ...next, updatedAt: at, updatedBy: by.id };
		await dbRun(db.insert(assessorProfile).values({ assessorId, ...row }).onConflictDoUpdate({ target: assessorProfile.assessorId, set: row }));
		await dbRun(db.insert(assessorProfileChange).values({ id: crypto.randomUUID(), assessorId, kind: change.kind, value, onDate, text, changedBy: by.id, changedAt: at }));
		const detail: Record<string, string> = { change: change.kind };
		if (change.kind === 'status') Object.assign(detail, { statusBefore: current.status, statusAfter: next.status });
		if (change.kind === 'risk') Object.assign(detail, { riskBefore: current.risk, riskAfter: next.risk });
		await recordActorEvent(db, by, { type: 'assessor-profile.changed', userId: assessorId, detail }, now);
		return { ok: true };
	});
}

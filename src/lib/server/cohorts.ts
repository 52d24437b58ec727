import { mapInOrder } from '$lib/core/in-order';
import { dbAll, dbGet, dbRun } from '$lib/core/database';
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '$lib/core/database';
import type { CoreError } from '$lib/core/result';
import { daysBetween } from '$lib/core/uk-date';
import { ukToday } from '$lib/dates';
import type { AssignmentStatus, LearnerAssignment } from '$lib/views/cohorts';
import { assignment, cohort, cohortMember, type Assignment, type Cohort, type CohortMemberRole } from '$lib/server/db/cohorts';
import { user, userRole } from '$lib/server/db/schema';
import { attempt } from '$lib/sim/schema';
import { currentScenarios, currentVersionOf } from '$lib/server/scenarios';

/**
 * Cohorts as tutors manage them: a group of learners with their assessors, and the scenarios set
 * for it with a due date. Every function is scoped to the centre: a cohort of another centre is
 * answered exactly like a missing one.
 */

export type FormResult<T> =
	| { ok: true; value: T }
	| { ok: false; error: CoreError; errors: Partial<Record<string, string>> };

function failure(code: string, message: string, field?: string): { ok: false; error: CoreError; errors: Partial<Record<string, string>> } {
	return { ok: false, error: field === undefined ? { code, message } : { code, field, message }, errors: field === undefined ? {} : { [field]: message } };
}

function invalid(issues: z.ZodError["issues"]): { ok: false; error: CoreError; errors: Partial<Record<string, string>> } {
	const errors: Partial<Record<string, string>> = {};
	for (const issue of issues) {
		const key = String(issue.path[0] ?? 'form');
		errors[key] ??= issue.message;
	}
	const [field, message] = Object.entries(errors)[0]!;
	return { ok: false, error: { code: 'invalid', field, message: message! }, errors };
}

const NOT_FOUND = failure('cohort.not-found', 'That cohort was not found.');

/** A real calendar date written YYYY-MM-DD (no 31 February). */
export function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const ms = Date.parse(`${value}T00:00:00Z`);
	return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

const cohortFields = z.object({
	name: z
		.string()
		.trim()
		.min(3, 'Enter a name of at least 3 characters, like “Level 2 Customer Service, January intake”.')
		.max(120, 'Use at most 120 characters for the name.')
		.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Use letters, digits, spaces and punctuation only in the name.'),
	description: z
		.string()
		.trim()
		.max(500, 'Use at most 500 characters for the description.')
		.refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'Use letters, digits, spaces and punctuation only in the description.')
});
export type CohortInput = z.input<typeof cohortFields>;

const dueDate = z
	.string()
	.trim()
	.min(1, 'Enter the due date.')
	.refine(isCalendarDate, 'Enter a real date, like 2026-03-31.');

const assignmentFields = z.object({
	scenarioId: z.string().trim().min(1, 'Choose a scenario.').max(200, 'Choose a scenario from the list.'),
	dueOn: dueDate,
	note: z
		.string()
		.trim()
		.max(500, 'Use at most 500 characters for the note.')
		.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Use letters, digits, spaces and punctuation only in the note.')
});
export type AssignmentInput = z.input<typeof assignmentFields>;

export interface CohortSummary {
	id: string;
	name: string;
	description: string;
	archived: boolean;
	learners: number;
	assessors: number;
	assignments: number;
}

/** The centre's cohorts, active first, then by name. */
export async function listCohorts(db: Db, organisationId: string): Promise<CohortSummary[]> {
	const rows = await dbAll(db.select().from(cohort).where(eq(cohort.organisationId, organisationId)).orderBy(asc(cohort.name)));
	const members = await dbAll(db.select({ cohortId: cohortMember.cohortId, role: cohortMember.role }).from(cohortMember));
	const assigned = await dbAll(db.select({ cohortId: assignment.cohortId }).from(assignment));
	return rows
		.map((row) => ({
			id: row.id,
			name: row.name,
			description: row.description,
			archived: row.archivedAt !== null,
			learners: members.filter((m) => m.cohortId === row.id && m.role === 'learner').length,
			assessors: members.filter((m) => m.cohortId === row.id && m.role === 'assessor').length,
			assignments: assigned.filter((a) => a.cohortId === row.id).length
		}))
		.sort((a, b) => Number(a.archived) - Number(b.archived));
}

/** The cohort if it belongs to this centre; undefined otherwise (the caller answers 404). */
export async function findCohort(db: Db, organisationId: string, cohortId: string): Promise<Cohort | undefined> {
	return await dbGet(db
		.select()
		.from(cohort)
		.where(and(eq(cohort.id, cohortId), eq(cohort.organisationId, organisationId))));
}

export interface Person {
	id: string;
	displayName: string;
	email: string;
	active: boolean;
}

export interface AssignmentView {
	id: string;
	scenarioId: string;
	title: string;
	dueOn: string;
	note: string;
	assignedAt: string;
}

export interface CohortDetail {
	cohort: Cohort;
	learners: Person[];
	assessors: Person[];
	assignments: AssignmentView[];
	/** Active users of the centre with the role, not yet in the cohort in it. */
	candidates: { learner: Person[]; assessor: Person[] };
	/** Scenarios that can be assigned (current, not yet assigned here). */
	scenarios: { id: string; title: string }[];
}

async function peopleWithRole(db: Db, organisationId: string, role: CohortMemberRole): Promise<Person[]> {
	return await dbAll(db
		.select({ id: user.id, displayName: user.displayName, email: user.email, active: user.active })
		.from(user)
		.innerJoin(userRole, and(eq(userRole.userId, user.id), eq(userRole.role, role)))
		.where(and(eq(user.organisationId, organisationId), eq(user.active, true)))
		.orderBy(asc(user.displayName)));
}

async function membersOf(db: Db, cohortId: string, role: CohortMemberRole): Promise<Person[]> {
	return await dbAll(db
		.select({ id: user.id, displayName: user.displayName, email: user.email, active: user.active })
		.from(cohortMember)
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.where(and(eq(cohortMember.cohortId, cohortId), eq(cohortMember.role, role)))
		.orderBy(asc(user.displayName)));
}

/** The title of a scenario: its current version's, or the id when it is no longer offered. */
export async function scenarioTitle(db: Db, scenarioId: string): Promise<string> {
	return (await currentVersionOf(db, scenarioId))?.title ?? scenarioId;
}

export async function assignmentsOfCohort(db: Db, cohortId: string): Promise<AssignmentView[]> {
	return await mapInOrder((await dbAll(db
		.select()
		.from(assignment)
		.where(eq(assignment.cohortId, cohortId))
		.orderBy(asc(assignment.dueOn), asc(assignment.scenarioId)))), async (row) => ({ id: row.id, scenarioId: row.scenarioId, title: await scenarioTitle(db, row.scenarioId), dueOn: row.dueOn, note: row.note, assignedAt: row.assignedAt }));
}

export async function cohortDetail(db: Db, organisationId: string, cohortId: string): Promise<CohortDetail | undefined> {
	const found = await findCohort(db, organisationId, cohortId);
	if (!found) return undefined;
	const learners = await membersOf(db, cohortId, 'learner');
	const assessors = await membersOf(db, cohortId, 'assessor');
	const assignments = await assignmentsOfCohort(db, cohortId);
	const assigned = new Set(assignments.map((a) => a.scenarioId));
	const notIn = (members: Person[]) => (p: Person) => !members.some((m) => m.id === p.id);
	return {
		cohort: found,
		learners,
		assessors,
		assignments,
		candidates: {
			learner: (await peopleWithRole(db, organisationId, 'learner')).filter(notIn(learners)),
			assessor: (await peopleWithRole(db, organisationId, 'assessor')).filter(notIn(assessors))
		},
		scenarios: (await currentScenarios(db))
			.filter((s) => !assigned.has(s.scenarioId))
			.map((s) => ({ id: s.scenarioId, title: s.title }))
	};
}

async function nameTaken(db: Db, organisationId: string, name: string, exceptId?: string): Promise<boolean> {
	const rows = await dbAll(db
		.select({ id: cohort.id, name: cohort.name })
		.from(cohort)
		.where(exceptId === undefined ? eq(cohort.organisationId, organisationId) : and(eq(cohort.organisationId, organisationId), ne(cohort.id, exceptId))));
	// Names differing only in case would confuse a tutor picking from a list.
	return rows.some((row) => row.name.toLowerCase() === name.toLowerCase());
}

export async function createCohort(db: Db, organisationId: string, tutorId: string, input: CohortInput, now = new Date()): Promise<FormResult<Cohort>> {
	const parsed = cohortFields.safeParse(input);
	if (!parsed.success) return invalid(parsed.error.issues);
	const { name, description } = parsed.data;
	if (await nameTaken(db, organisationId, name)) return failure('cohort.name-taken', `There is already a cohort called “${name}”. Choose another name.`, 'name');
	const row: Cohort = { id: crypto.randomUUID(), organisationId, name, description, createdBy: tutorId, createdAt: now.toISOString(), archivedAt: null };
	await dbRun(db.insert(cohort).values(row));
	return { ok: true, value: row };
}

/** Renames a cohort and changes its description. */
export async function updateCohort(db: Db, organisationId: string, cohortId: string, input: CohortInput): Promise<FormResult<Cohort>> {
	if (!await findCohort(db, organisationId, cohortId)) return NOT_FOUND;
	const parsed = cohortFields.safeParse(input);
	if (!parsed.success) return invalid(parsed.error.issues);
	const { name, description } = parsed.data;
	if (await nameTaken(db, organisationId, name, cohortId)) return failure('cohort.name-taken', `There is already a cohort called “${name}”. Choose another name.`, 'name');
	const updated = await dbGet(db.update(cohort).set({ name, description }).where(eq(cohort.id, cohortId)).returning());
	return { ok: true, value: updated! };
}

/**
 * Archives (or restores) a cohort. An archived cohort's assignments leave its learners' home pages
 * and its assessors no longer see its learners; its members, assignments and results stay.
 */
export async function setCohortArchived(db: Db, organisationId: string, cohortId: string, archived: boolean, now = new Date()): Promise<FormResult<Cohort>> {
	if (!await findCohort(db, organisationId, cohortId)) return NOT_FOUND;
	const updated = await dbGet(db
		.update(cohort)
		.set({ archivedAt: archived ? now.toISOString() : null })
		.where(eq(cohort.id, cohortId))
		.returning());
	return { ok: true, value: updated! };
}

const memberRole = z.enum(['learner', 'assessor'], { error: 'Choose learner or assessor.' });

export async function addMember(db: Db, organisationId: string, cohortId: string, input: { userId: string; role: string }, now = new Date()): Promise<FormResult<Person>> {
	if (!await findCohort(db, organisationId, cohortId)) return NOT_FOUND;
	const role = memberRole.safeParse(input.role);
	if (!role.success) return failure('invalid', 'Choose learner or assessor.', 'role');
	const field = role.data === 'learner' ? 'learnerId' : 'assessorId';
	const person = (await peopleWithRole(db, organisationId, role.data)).find((p) => p.id === input.userId);
	if (!person) return failure('cohort.member-unknown', `Choose an active ${role.data} of this centre from the list.`, field);
	const already = await dbGet(db
		.select({ userId: cohortMember.userId })
		.from(cohortMember)
		.where(and(eq(cohortMember.cohortId, cohortId), eq(cohortMember.userId, person.id), eq(cohortMember.role, role.data))));
	if (already) return failure('cohort.member-exists', `${person.displayName} is already a ${role.data} in this cohort.`, field);
	await dbRun(db.insert(cohortMember).values({ cohortId, userId: person.id, role: role.data, addedAt: now.toISOString() }));
	return { ok: true, value: person };
}

export async function removeMember(db: Db, organisationId: string, cohortId: string, input: { userId: string; role: string }): Promise<FormResult<{ removed: true }>> {
	if (!await findCohort(db, organisationId, cohortId)) return NOT_FOUND;
	const role = memberRole.safeParse(input.role);
	if (!role.success) return failure('invalid', 'Choose learner or assessor.', 'role');
	const removed = await dbRun(db
		.delete(cohortMember)
		.where(and(eq(cohortMember.cohortId, cohortId), eq(cohortMember.userId, input.userId), eq(cohortMember.role, role.data))));
	if (removed.changes === 0) return failure('cohort.member-not-found', 'That person is not in this cohort.');
	return { ok: true, value: { removed: true } };
}

/** Sets a current scenario for the cohort, due by a date that is today or later. */
export async function assignScenario(db: Db, organisationId: string, cohortId: string, tutorId: string, input: AssignmentInput, now = new Date()): Promise<FormResult<Assignment>> {
	if (!await findCohort(db, organisationId, cohortId)) return NOT_FOUND;
	const parsed = assignmentFields.safeParse(input);
	if (!parsed.success) return invalid(parsed.error.issues);
	const { scenarioId, dueOn, note } = parsed.data;
	if (!(await currentScenarios(db)).some((s) => s.scenarioId === scenarioId)) return failure('assignment.scenario-unknown', 'Choose a scenario from the list.', 'scenarioId');
	const today = ukToday(now);
	if (dueOn < today) return failure('assignment.due-past', `Choose a due date from today (${today}) on.`, 'dueOn');
	const existing = await dbGet(db
		.select({ id: assignment.id })
		.from(assignment)
		.where(and(eq(assignment.cohortId, cohortId), eq(assignment.scenarioId, scenarioId))));
	if (existing) return failure('assignment.exists', 'This scenario is already assigned to the cohort: change its due date below instead.', 'scenarioId');
	const row: Assignment = { id: crypto.randomUUID(), cohortId, scenarioId, dueOn, note, assignedBy: tutorId, assignedAt: now.toISOString() };
	await dbRun(db.insert(assignment).values(row));
	return { ok: true, value: row };
}

async function findAssignment(db: Db, cohortId: string, assignmentId: string): Promise<Assignment | undefined> {
	return await dbGet(db
		.select()
		.from(assignment)
		.where(and(eq(assignment.id, assignmentId), eq(assignment.cohortId, cohortId))));
}

/**
 * Moves an assignment's due date. Unlike a new assignment, the date may be in the past: a tutor may
 * record the date that really applied.
 */
export async function changeDueDate(db: Db, organisationId: string, cohortId: string, input: { assignmentId: string; dueOn: string }): Promise<FormResult<Assignment>> {
	if (!await findCohort(db, organisationId, cohortId)) return NOT_FOUND;
	if (!await findAssignment(db, cohortId, input.assignmentId)) return failure('assignment.not-found', 'That assignment was not found.');
	const parsed = dueDate.safeParse(input.dueOn);
	if (!parsed.success) return failure('invalid', parsed.error.issues[0]!.message, 'dueOn');
	const updated = await dbGet(db.update(assignment).set({ dueOn: parsed.data }).where(eq(assignment.id, input.assignmentId)).returning());
	return { ok: true, value: updated! };
}

/** Withdraws an assignment; attempts already made stay in the learners' portfolios. */
export async function unassign(db: Db, organisationId: string, cohortId: string, assignmentId: string): Promise<FormResult<{ removed: true }>> {
	if (!await findCohort(db, organisationId, cohortId)) return NOT_FOUND;
	const removed = await dbRun(db.delete(assignment).where(and(eq(assignment.id, assignmentId), eq(assignment.cohortId, cohortId))));
	if (removed.changes === 0) return failure('assignment.not-found', 'That assignment was not found.');
	return { ok: true, value: { removed: true } };
}

/**
 * The assignments of a learner's active cohorts, soonest due first. Done: an attempt ended on or
 * after the assignment was set; in progress: an attempt still open.
 */
export async function assignmentsOfLearner(db: Db, learnerId: string, now = new Date()): Promise<LearnerAssignment[]> {
	const cohorts = await dbAll(db
		.select({ id: cohort.id, name: cohort.name })
		.from(cohortMember)
		.innerJoin(cohort, eq(cohort.id, cohortMember.cohortId))
		.where(and(eq(cohortMember.userId, learnerId), eq(cohortMember.role, 'learner'), isNull(cohort.archivedAt))));
	if (cohorts.length === 0) return [];
	const rows = await dbAll(db
		.select()
		.from(assignment)
		.where(inArray(assignment.cohortId, cohorts.map((c) => c.id)))
		.orderBy(asc(assignment.dueOn)));
	const attempts = await dbAll(db
		.select({ scenarioId: attempt.scenarioId, status: attempt.status, endedAt: attempt.endedAt })
		.from(attempt)
		.where(eq(attempt.ownerId, learnerId)));
	const today = ukToday(now);
	// Archived or withdrawn scenarios cannot be started, so they are not shown as work to do.
	const offered = new Set((await currentScenarios(db)).map((s) => s.scenarioId));
	// The same scenario set by two cohorts is one piece of work: shown once, at its earliest due date.
	const seen = new Set<string>();
	const out: LearnerAssignment[] = [];
	for (const row of rows) {
		if (seen.has(row.scenarioId) || !offered.has(row.scenarioId)) continue;
		seen.add(row.scenarioId);
		const mine = attempts.filter((a) => a.scenarioId === row.scenarioId);
		const status: AssignmentStatus = mine.some((a) => a.status === 'ended' && a.endedAt !== null && a.endedAt >= row.assignedAt)
			? 'done'
			: mine.some((a) => a.status === 'in-progress')
				? 'in-progress'
				: 'not-started';
		out.push({
			id: row.id,
			cohortName: cohorts.find((c) => c.id === row.cohortId)?.name ?? '',
			scenarioId: row.scenarioId,
			title: await scenarioTitle(db, row.scenarioId),
			dueOn: row.dueOn,
			note: row.note,
			daysLeft: daysBetween(today, row.dueOn),
			status
		});
	}
	return out;
}

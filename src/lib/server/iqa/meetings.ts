/**
 * Standardisation meetings (issue 17 item 3): assessors and IQAs compare their judgements on the same
 * work so the centre assesses consistently. Each is recorded against a sampling plan: when, who came
 * (members of the centre's staff, or names typed in for visitors), the work discussed and the
 * actions agreed, and who recorded it.
 */
import { dbAll, dbRun } from '$lib/core/database';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { isCalendarDate } from '$lib/server/cohorts';
import { user, userRole } from '$lib/server/db/schema';
import { standardisationMeeting, type MeetingAttendee, type StandardisationMeeting } from '$lib/server/db/sampling';
import { findPlan, type PlanEditor, type PlanResult } from './sampling';

export const MEETING_LIMITS = { attendeeName: 120, attendees: 40, text: 8000 } as const;

export interface MeetingValues {
	heldOn: string;
	/** Ids of centre staff ticked on the form. */
	staff: readonly string[];
	/** Other attendees' names, one a line. */
	others: string;
	workDiscussed: string;
	actions: string;
}

/** The centre's staff who may attend: its assessors, IQAs, tutors and administrators, by name. */
export async function centreStaff(db: Db, organisationId: string): Promise<{ id: string; name: string }[]> {
	return await dbAll(db
		.selectDistinct({ id: user.id, name: user.displayName })
		.from(user)
		.innerJoin(userRole, eq(userRole.userId, user.id))
		.where(and(eq(user.organisationId, organisationId), eq(user.active, true), inArray(userRole.role, ['assessor', 'iqa', 'tutor', 'admin'])))
		.orderBy(asc(user.displayName)));
}

/** Records a meeting against one of the centre's plans. */
export async function recordMeeting(db: Db, by: PlanEditor, planId: string, values: MeetingValues, now = new Date()): Promise<PlanResult<StandardisationMeeting>> {
	const plan = await findPlan(db, by.organisationId, planId);
	if (!plan) return { ok: false, error: { code: 'plan.not-found', message: 'There is no sampling plan of this centre at this address.' } };
	const fields: Record<string, string> = {};
	if (!isCalendarDate(values.heldOn)) fields.heldOn = 'Give the date the meeting was held, like 2026-03-31.';
	const staff = new Map((await centreStaff(db, by.organisationId)).map((s) => [s.id, s.name]));
	const picked = [...new Set(values.staff)];
	if (picked.some((id) => !staff.has(id))) fields.staff = 'Choose attendees from the centre’s staff listed.';
	const others = values.others
		.split(/\r?\n/u)
		.map((line) => line.trim().replace(/\s+/gu, ' '))
		.filter((line) => line !== '');
	if (others.some((name) => name.length > MEETING_LIMITS.attendeeName || /[\u0000-\u001f\u007f]/u.test(name))) fields.others = `Write one name a line, each at most ${MEETING_LIMITS.attendeeName} characters.`;
	const attendees: MeetingAttendee[] = [...picked.filter((id) => staff.has(id)).map((id) => ({ name: staff.get(id)!, userId: id })), ...others.map((name) => ({ name, userId: null }))];
	if (!fields.staff && !fields.others) {
		if (attendees.length === 0) fields.staff = 'Say who attended: tick the centre’s staff or type the names of others.';
		else if (attendees.length > MEETING_LIMITS.attendees) fields.others = `Record at most ${MEETING_LIMITS.attendees} attendees.`;
	}
	const workDiscussed = values.workDiscussed.trim();
	if (workDiscussed === '') fields.workDiscussed = 'Describe the work discussed.';
	else if (workDiscussed.length > MEETING_LIMITS.text) fields.workDiscussed = `Keep this to ${MEETING_LIMITS.text} characters.`;
	const actions = values.actions.trim();
	if (actions.length > MEETING_LIMITS.text) fields.actions = `Keep this to ${MEETING_LIMITS.text} characters.`;
	if (Object.keys(fields).length > 0) return { ok: false, error: { code: 'plan.invalid', message: 'The meeting was not recorded: correct what is marked.', fields } };
	const row: StandardisationMeeting = { id: crypto.randomUUID(), organisationId: plan.organisationId, planId: plan.id, heldOn: values.heldOn, attendees, workDiscussed, actions, recordedBy: by.id, recordedAt: now.toISOString() };
	await dbRun(db.insert(standardisationMeeting).values(row));
	return { ok: true, value: row };
}

export interface MeetingEntry extends StandardisationMeeting {
	recordedByName: string;
}

/** A plan's meetings, the latest first. */
export async function meetingsOf(db: Db, planId: string): Promise<MeetingEntry[]> {
	return (await dbAll(db
		.select({ meeting: standardisationMeeting, recordedByName: user.displayName })
		.from(standardisationMeeting)
		.innerJoin(user, eq(user.id, standardisationMeeting.recordedBy))
		.where(eq(standardisationMeeting.planId, planId))
		.orderBy(desc(standardisationMeeting.heldOn), desc(standardisationMeeting.recordedAt))))
		.map((r) => ({ ...r.meeting, recordedByName: r.recordedByName }));
}

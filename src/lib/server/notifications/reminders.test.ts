import { dbAll, dbExec, dbRun } from '$lib/core/database';
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { notification } from '$lib/server/db/notifications';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { REMINDER_SCHEDULE, jobsSchedule, remindAssignments, scheduleReminders } from './reminders';
import { scheduledWork } from '$lib/server/jobs/lease';

const f = assessmentFixture();
const now = new Date('2026-05-10T09:00:00Z');

/** Due dates around `now`: spouse-caller in 2 days and new-customer-signup 5 days ago (January), misdirected-email-breach in 3 days (March). */
async function setDueDates() {
	const set = async (dueOn: string, assignedAt: string, id: string) => await dbExec(f.db, sql`UPDATE assignment SET due_on = ${dueOn}, assigned_at = ${assignedAt} WHERE id = ${id}`);
	await set('2026-05-12', '2026-04-01T00:00:00.000Z', 'demo-cohort-january-spouse-caller');
	await set('2026-05-05', '2026-04-01T00:00:00.000Z', 'demo-cohort-january-new-customer-signup');
	await set('2026-06-30', '2026-04-01T00:00:00.000Z', 'demo-cohort-january-verbal-sar-neighbour');
	await set('2026-05-13', '2026-04-01T00:00:00.000Z', 'demo-cohort-march-misdirected-email-breach');
}

describe('assignment reminders', () => {
	it('reminds each learner of work due within 3 days and of overdue work, and a second run inserts nothing', async () => {
		await setDueDates();
		expect(await remindAssignments(f.db, now)).toBe(5);
		const rows = await dbAll(f.db.select().from(notification));
		const summary = rows.map((n) => [n.userId, n.kind, n.subject]).sort();
		expect(summary).toEqual(
			[
				[f.ids.amira, 'assignment-due', 'spouse-caller@2026-05-12'],
				[f.ids.amira, 'assignment-overdue', 'new-customer-signup@2026-05-05'],
				[f.ids.tomas, 'assignment-due', 'spouse-caller@2026-05-12'],
				[f.ids.tomas, 'assignment-overdue', 'new-customer-signup@2026-05-05'],
				[f.ids.ola, 'assignment-due', 'misdirected-email-breach@2026-05-13']
			].sort()
		);
		expect(rows.find((n) => n.subject === 'spouse-caller@2026-05-12')).toMatchObject({ title: expect.stringContaining('Due in 2 days (2026-05-12): '), link: '/learn/scenarios/spouse-caller' });
		// The job again, or after a restart, a quarter of an hour later: nothing new.
		expect(await remindAssignments(f.db, new Date(now.getTime() + 15 * 60_000))).toBe(0);
		expect(await dbAll(f.db.select().from(notification))).toHaveLength(5);
	});

	it('reminds again when the due date moves, and not of work already handed in', async () => {
		await setDueDates();
		await remindAssignments(f.db, now);
		await dbExec(f.db, sql`UPDATE assignment SET due_on = '2026-05-11' WHERE id = 'demo-cohort-january-spouse-caller'`);
		expect(await remindAssignments(f.db, now)).toBe(2);
		await dbRun(f.db.delete(notification));
		await f.submittedAttempt(f.ids.amira, '2026-05-09T09:00:00Z', 'new-customer-signup');
		await remindAssignments(f.db, now);
		const amira = (await dbAll(f.db.select().from(notification))).filter((n) => n.userId === f.ids.amira);
		expect(amira.map((n) => n.kind)).toEqual(['assignment-due']);
	});
});

describe('the reminder job', () => {
	it('runs every 15 minutes and once at start, and stops when asked', async () => {
		expect(REMINDER_SCHEDULE).toBe('*/15 * * * *');
		await dbExec(f.db, sql`UPDATE assignment SET due_on = '2000-01-01', assigned_at = '1999-12-01T00:00:00.000Z' WHERE id = 'demo-cohort-march-misdirected-email-breach'`);
		const stop = scheduleReminders(f.db);
		await vi.waitFor(async () => expect((await dbAll(f.db.select().from(notification))).map((n) => [n.userId, n.kind])).toContainEqual([f.ids.ola, 'assignment-overdue']));
		// Each part of the work is claimed and recorded on its own (server/jobs/lease.ts).
		await vi.waitFor(async () => expect((await scheduledWork(f.db)).map((row) => [row.job, row.lastOutcome])).toEqual([
			['assignment-reminders', 'ok'],
			['badge-issuing', 'ok'],
			['eqa-access-reminders', 'ok'],
			['iqa-action-reminders', 'ok'],
			['lti-grade-return', 'ok'],
			['notification-mail', 'ok'],
			['records-disposal', 'ok'],
			['sampling-picks', 'ok']
		]));
		stop();
	});
});

describe('JOBS_SCHEDULE', () => {
	it('defaults to every 15 minutes, takes any croner pattern, seconds included, and names itself when unreadable', () => {
		expect(jobsSchedule(undefined)).toBe('*/15 * * * *');
		expect(jobsSchedule(' ')).toBe('*/15 * * * *');
		expect(jobsSchedule('*/5 * * * * *')).toBe('*/5 * * * * *');
		expect(() => jobsSchedule('every 5 minutes')).toThrow(/^JOBS_SCHEDULE "every 5 minutes" is not a croner pattern/);
	});
});

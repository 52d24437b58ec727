import { describe, expect, it } from 'vitest';
import { createServerTestDb } from '$lib/server/testing';
import { claimJob, finishJob } from './lease';
import { scheduledWorkView } from './scheduled-work';

const NOW = new Date('2026-06-01T09:00:00.000Z');
const job = (name: string) => ({ name, periodMs: 900_000, leaseMs: 600_000 });

describe('the administrator’s view of scheduled work', () => {
	it('lists every job, run or not, with its last run, instance and outcome in words', async () => {
		const db = await createServerTestDb();
		await claimJob(db, job('assignment-reminders'), 'web-1', NOW);
		await finishJob(db, 'assignment-reminders', 'web-1', { ok: true }, NOW);
		await claimJob(db, job('notification-mail'), 'web-2', NOW);
		await finishJob(db, 'notification-mail', 'web-2', { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:587' }, NOW);
		await claimJob(db, job('sampling-picks'), 'web-1', NOW);
		await claimJob(db, job('records-disposal'), 'web-2', new Date(NOW.getTime() - 3_600_000));
		const view = await scheduledWorkView(db, NOW);
		expect(view.map((row) => [row.job, row.state, row.lastStartedBy])).toEqual([
			['assignment-reminders', 'ok', 'web-1'],
			['sampling-picks', 'running', 'web-1'],
			['iqa-action-reminders', 'not-run', null],
			['eqa-access-reminders', 'not-run', null],
			['notification-mail', 'failed', 'web-2'],
			['lti-grade-return', 'not-run', null],
			['badge-issuing', 'not-run', null],
			['records-disposal', 'stalled', 'web-2'],
			['security-log-pruning', 'not-run', null],
			['xapi-delivery', 'not-run', null]
		]);
		expect(view.find((row) => row.job === 'notification-mail')).toMatchObject({ label: 'Notification e-mail still to send', error: 'connect ECONNREFUSED 127.0.0.1:587' });
	});
});

import { dbGet, dbAll } from '$lib/core/database';
import { afterEach, describe, expect, it, vi } from 'vitest';
import nodemailer from 'nodemailer';
import { notification } from '$lib/server/db/notifications';
import type { Mailer, MailMessage } from '$lib/server/mail';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { signDecision } from '$lib/server/assessment/signing';
import { deliverPendingMail } from './mail';
import { kindsFor } from './kinds';
import { PAGE_SIZE, emailKindsOf, markAllRead, notificationsOf, notify, openNotification, setEmailKinds, unreadCount } from './store';

const f = assessmentFixture();

/** A mailer on nodemailer's JSON transport: each message is kept, nothing leaves the machine. */
function jsonMailer(): Mailer & { sent: MailMessage[]; raw: string[] } {
	const transport = nodemailer.createTransport({ jsonTransport: true });
	const sent: MailMessage[] = [];
	const raw: string[] = [];
	return {
		sent,
		raw,
		async send(message) {
			const info = await transport.sendMail({ from: 'Custodian <custodian@centre.test>', ...message });
			raw.push(String(info.message));
			sent.push(message);
		}
	};
}

async function signedForAmira() {
	const attemptId = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
	const signed = await signDecision(f.db, f.gareth(), attemptId, await f.decided(attemptId));
	if (!signed.ok) throw new Error(signed.error.message);
	return signed.value;
}

afterEach(() => {
	vi.unstubAllEnvs();
	vi.restoreAllMocks();
});

describe('the notification list', () => {
	it('counts unread ones, lists them newest first a page at a time, and marks all read', async () => {
		for (let i = 0; i < PAGE_SIZE + 3; i++) {
			await notify(f.db, [f.ids.amira], { kind: 'decision', subject: `s${i}`, title: `Number ${i}`, link: '/learn' }, new Date(Date.UTC(2026, 0, 1, 0, i)));
		}
		expect(await unreadCount(f.db, f.ids.amira)).toBe(PAGE_SIZE + 3);
		expect(await unreadCount(f.db, f.ids.tomas)).toBe(0);
		const first = await notificationsOf(f.db, f.ids.amira);
		expect(first).toMatchObject({ page: 1, pages: 2, total: PAGE_SIZE + 3 });
		expect(first.items[0]).toMatchObject({ title: `Number ${PAGE_SIZE + 2}`, kindLabel: 'A decision or feedback on your work' });
		expect((await notificationsOf(f.db, f.ids.amira, 2)).items.map((n) => n.title)).toEqual(['Number 2', 'Number 1', 'Number 0']);
		expect((await notificationsOf(f.db, f.ids.amira, 99)).page).toBe(2);
		expect(await markAllRead(f.db, f.ids.amira)).toBe(PAGE_SIZE + 3);
		expect(await unreadCount(f.db, f.ids.amira)).toBe(0);
	});

	it('opens only the user’s own notification, marking it read', async () => {
		await notify(f.db, [f.ids.amira], { kind: 'decision', subject: 'x', title: 'Yours', link: '/learn/attempts/a/debrief' });
		const id = (await dbGet(f.db.select().from(notification)))!.id;
		expect(await openNotification(f.db, f.ids.tomas, id)).toBeUndefined();
		expect(await unreadCount(f.db, f.ids.amira)).toBe(1);
		expect(await openNotification(f.db, f.ids.amira, id)).toBe('/learn/attempts/a/debrief');
		expect(await unreadCount(f.db, f.ids.amira)).toBe(0);
		expect(await openNotification(f.db, f.ids.amira, 'no-such-id')).toBeUndefined();
	});
});

describe('e-mail preferences', () => {
	it('starts with the kinds that ask for action, and keeps exactly what the user ticks', async () => {
		expect([...await emailKindsOf(f.db, f.ids.amira)].sort()).toEqual(['countersignature-requested', 'decision-sent-back', 'eqa-access-ending', 'eqa-access-granted', 'iqa-action-overdue', 'iqa-action-set', 'resubmission-requested', 'work-ready-for-iqa']);
		await setEmailKinds(f.db, f.ids.amira, ['decision', 'assignment-due']);
		expect([...await emailKindsOf(f.db, f.ids.amira)].sort()).toEqual(['assignment-due', 'decision']);
		await setEmailKinds(f.db, f.ids.amira, []);
		expect((await emailKindsOf(f.db, f.ids.amira)).size).toBe(0);
		expect((await emailKindsOf(f.db, f.ids.tomas)).has('resubmission-requested')).toBe(true);
	});

	it('offers each person the kinds their roles receive, and a save leaves the kinds not offered at their default', async () => {
		expect(kindsFor(['learner'])).toEqual(['decision', 'resubmission-requested', 'assignment-due', 'assignment-overdue', 'badge']);
		expect(kindsFor(['assessor'])).toEqual(['countersignature-requested', 'decision-countersigned', 'decision-sent-back', 'iqa-action-set', 'iqa-action-due', 'iqa-action-overdue']);
		expect(kindsFor(['admin'])).toEqual(['eqa-access-granted', 'eqa-access-ending']);
		expect(kindsFor(['eqa'])).toEqual(['eqa-access-granted', 'eqa-access-ending']);
		await setEmailKinds(f.db, f.ids.tomas, [], new Date(), kindsFor(['learner']));
		// The learner's choices are cleared; an assessor's kind they were not shown keeps its default.
		expect([...await emailKindsOf(f.db, f.ids.tomas)].sort()).toEqual(['countersignature-requested', 'decision-sent-back', 'eqa-access-ending', 'eqa-access-granted', 'iqa-action-overdue', 'iqa-action-set', 'work-ready-for-iqa']);
	});
});

describe('notification e-mail', () => {
	it('is sent, with only the title and a link, when mail is configured and the user chose the kind', async () => {
		vi.stubEnv('SMTP_URL', 'smtp://127.0.0.1:9');
		vi.stubEnv('MAIL_FROM', 'Custodian <custodian@centre.test>');
		vi.stubEnv('ORIGIN', 'https://custodian.centre.test');
		await setEmailKinds(f.db, f.ids.amira, ['decision']);
		const decision = await signedForAmira();
		const mailer = jsonMailer();
		expect(await deliverPendingMail(f.db, mailer)).toBe(1);
		expect(mailer.sent).toHaveLength(1);
		const [mail] = mailer.sent;
		expect(mail!.to).toBe('learner@custodian.test');
		expect(mail!.subject).toContain('has been assessed');
		expect(mail!.text).toContain(`https://custodian.centre.test/learn/attempts/${decision.attemptId}/debrief`);
		expect(mail!.text).not.toMatch(/Amira|careful, lawful/);
		expect(JSON.parse(mailer.raw[0]!)).toMatchObject({ subject: mail!.subject });
		expect(await dbGet(f.db.select().from(notification))).toMatchObject({ emailStatus: 'sent' });
		expect(await deliverPendingMail(f.db, mailer)).toBe(0);
	});

	it('is not sent for a kind the user did not choose', async () => {
		vi.stubEnv('SMTP_URL', 'smtp://127.0.0.1:9');
		vi.stubEnv('MAIL_FROM', 'custodian@centre.test');
		await signedForAmira();
		const mailer = jsonMailer();
		expect(await deliverPendingMail(f.db, mailer)).toBe(0);
		expect(await dbGet(f.db.select().from(notification))).toMatchObject({ emailStatus: null });
	});

	it('is not sent when mail is not configured', async () => {
		vi.stubEnv('SMTP_URL', '');
		vi.stubEnv('MAIL_FROM', '');
		await setEmailKinds(f.db, f.ids.amira, ['decision']);
		await signedForAmira();
		const mailer = jsonMailer();
		expect(await deliverPendingMail(f.db, mailer)).toBe(0);
		expect(mailer.sent).toEqual([]);
		expect(await dbGet(f.db.select().from(notification))).toMatchObject({ emailStatus: null });
	});

	it('logs a failed send and leaves the event and its notification in place', async () => {
		vi.stubEnv('SMTP_URL', 'smtp://127.0.0.1:9');
		vi.stubEnv('MAIL_FROM', 'custodian@centre.test');
		await setEmailKinds(f.db, f.ids.amira, ['decision']);
		const decision = await signedForAmira();
		const logged = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		const refusing: Mailer = { send: () => Promise.reject(new Error('550 mailbox unavailable')) };
		expect(await deliverPendingMail(f.db, refusing)).toBe(0);
		expect(await dbAll(f.db.select().from(notification))).toMatchObject([{ subject: decision.id, emailStatus: 'failed', readAt: null }]);
		expect(String(logged.mock.calls[0]?.[0])).toContain('550 mailbox unavailable');
	});
});

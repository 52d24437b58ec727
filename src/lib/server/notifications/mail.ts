/**
 * Notification e-mail, sent after the event's transaction: a notification marked pending is sent
 * to its user and marked sent, or failed (logged). A failed send never undoes or breaks the event.
 * Only the title and a link go in the message: no learner's name, no evidence.
 */
import { afterCommit, dbAll, dbRun } from '$lib/core/database';
import { and, eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { appMailer, type Mailer } from '$lib/server/mail';
import { user } from '$lib/server/db/schema';
import { notification } from '$lib/server/db/notifications';

function origin(env: Record<string, string | undefined> = process.env): string {
	return (env.ORIGIN ?? '').replace(/\/+$/, '');
}

function logFailure(id: string, error: unknown): void {
	process.stderr.write(JSON.stringify({ t: new Date().toISOString(), task: 'notification-mail', notificationId: id, error: error instanceof Error ? error.message : String(error) }) + '\n');
}

/** Sends every pending notification e-mail; returns how many were sent. */
export async function deliverPendingMail(db: Db, mailer: Mailer | null = appMailer()): Promise<number> {
	if (!mailer) return 0;
	const pending = await dbAll(db
		.select({ id: notification.id, title: notification.title, link: notification.link, to: user.email })
		.from(notification)
		.innerJoin(user, eq(user.id, notification.userId))
		.where(eq(notification.emailStatus, 'pending')));
	let sent = 0;
	for (const item of pending) {
		// Claimed first, so two deliveries running at once never send the same message twice.
		const claimed = (await dbRun(db.update(notification).set({ emailStatus: 'sent' }).where(and(eq(notification.id, item.id), eq(notification.emailStatus, 'pending'))))).changes;
		if (claimed === 0) continue;
		try {
			await mailer.send({
				to: item.to,
				subject: item.title,
				text: `${item.title}\n\nOpen it in Custodian: ${origin()}${item.link}\n\nYou chose to receive this kind of notification by e-mail; change that on your account's notifications page.\n`
			});
			sent++;
		} catch (error) {
			await dbRun(db.update(notification).set({ emailStatus: 'failed' }).where(eq(notification.id, item.id)));
			logFailure(item.id, error);
		}
	}
	return sent;
}

let scheduled = false;
/**
 * Sends the pending e-mail once the current transaction has committed (afterCommit: on PostgreSQL
 * a turn of the event loop comes before the commit, when the pending notification is not yet seen).
 */
export function scheduleMailDelivery(db: Db): void {
	afterCommit(() => {
		if (scheduled) return;
		scheduled = true;
		setImmediate(() => {
			scheduled = false;
			deliverPendingMail(db).catch((error) => logFailure('-', error));
		});
	});
}

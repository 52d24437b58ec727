/**
 * Storing and reading notifications. `notify` is called inside the transaction of the event it tells
 * about (signing, countersigning), so the notification exists exactly when the event does. E-mail is
 * sent after the transaction, never inside it (mail.ts).
 */
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { dbAll, dbRun, dbGet, preparedStatements, writeTransaction, type Db } from '$lib/core/database';
import { mailConfig } from '$lib/server/mail';
import { notification, notificationPreference, type Notification } from '$lib/server/db/notifications';
import { KIND_NAMES, NOTIFICATION_KINDS, type NotificationKind } from './kinds';
import { scheduleMailDelivery } from './mail';

export interface NewNotification {
	kind: NotificationKind;
	/** What it is about; with the user and kind, unique: telling again about the same thing inserts nothing. */
	subject: string;
	title: string;
	link: string;
}

/** The kinds this user receives by e-mail too. */
export async function emailKindsOf(db: Db, userId: string): Promise<Set<NotificationKind>> {
	const chosen = new Map((await dbAll(db.select().from(notificationPreference).where(eq(notificationPreference.userId, userId)))).map((p) => [p.kind, p.byEmail]));
	return new Set(KIND_NAMES.filter((kind) => chosen.get(kind) ?? NOTIFICATION_KINDS[kind].byEmail));
}

/** Sets which kinds come by e-mail: every kind not named is off. */
export async function setEmailKinds(db: Db, userId: string, kinds: readonly string[], now = new Date(), among: readonly NotificationKind[] = KIND_NAMES): Promise<void> {
	const wanted = new Set(kinds);
	await writeTransaction(db, async () => {
		// Only the kinds the form offered: a choice the person was not shown keeps its default.
		for (const kind of among) {
			const byEmail = wanted.has(kind);
			await dbRun(db.insert(notificationPreference)
				.values({ userId, kind, byEmail, updatedAt: now.toISOString() })
				.onConflictDoUpdate({ target: [notificationPreference.userId, notificationPreference.kind], set: { byEmail, updatedAt: now.toISOString() } }));
		}
	});
}

/**
 * Tells each user (once per user, kind and subject). Returns how many notifications were new. Those
 * the user wants by e-mail are marked pending when the centre has configured mail, and sent after
 * the surrounding transaction commits.
 */
export async function notify(db: Db, userIds: readonly string[], what: NewNotification, now = new Date()): Promise<number> {
	const mail = mailConfig() !== null;
	let added = 0;
	for (const userId of new Set(userIds)) {
		const pending = mail && (await emailKindsOf(db, userId)).has(what.kind);
		const inserted = await dbRun(db
			.insert(notification)
			.values({ id: crypto.randomUUID(), userId, ...what, createdAt: now.toISOString(), readAt: null, emailStatus: pending ? 'pending' : null })
			.onConflictDoNothing());
		added += inserted.changes;
		if (inserted.changes > 0 && pending) scheduleMailDelivery(db);
	}
	return added;
}

/** Read on every page a signed-in user opens (the bell in the layout), so prepared once per connection. */
const statements = preparedStatements((client) => ({
	unread: client.prepare<[string], { n: number | string }>('select count(*) as n from notification where user_id = ? and read_at is null')
}));

export async function unreadCount(db: Db, userId: string): Promise<number> {
	// PostgreSQL's count(*) is a bigint, which node-postgres hands over as text.
	return Number((await statements(db).unread.get(userId))?.n ?? 0);
}

export const PAGE_SIZE = 20;

export interface NotificationPage {
	items: (Pick<Notification, 'id' | 'kind' | 'title' | 'createdAt' | 'readAt'> & { kindLabel: string })[];
	page: number;
	pages: number;
	total: number;
}

/** The user's notifications, newest first, a page at a time (pages count from 1). */
export async function notificationsOf(db: Db, userId: string, page = 1): Promise<NotificationPage> {
	const total = (await dbGet(db.select({ n: count() }).from(notification).where(eq(notification.userId, userId))))?.n ?? 0;
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
	const rows = await dbAll(db
		.select({ id: notification.id, kind: notification.kind, title: notification.title, createdAt: notification.createdAt, readAt: notification.readAt })
		.from(notification)
		.where(eq(notification.userId, userId))
		.orderBy(desc(notification.createdAt), desc(notification.id))
		.limit(PAGE_SIZE)
		.offset((current - 1) * PAGE_SIZE));
	return {
		items: rows.map((r) => ({ ...r, kindLabel: (NOTIFICATION_KINDS as Record<string, { label: string }>)[r.kind]?.label ?? r.kind })),
		page: current,
		pages,
		total
	};
}

/** Marks the user's own notification read and returns where it leads; undefined for anyone else's (404). */
export async function openNotification(db: Db, userId: string, notificationId: string, now = new Date()): Promise<string | undefined> {
	if (typeof notificationId !== 'string' || notificationId.length > 100) return undefined;
	const row = await dbGet(db.select().from(notification).where(and(eq(notification.id, notificationId), eq(notification.userId, userId))));
	if (!row) return undefined;
	if (row.readAt === null) await dbRun(db.update(notification).set({ readAt: now.toISOString() }).where(eq(notification.id, row.id)));
	return row.link;
}

export async function markAllRead(db: Db, userId: string, now = new Date()): Promise<number> {
	return (await dbRun(db.update(notification).set({ readAt: now.toISOString() }).where(and(eq(notification.userId, userId), isNull(notification.readAt))))).changes;
}

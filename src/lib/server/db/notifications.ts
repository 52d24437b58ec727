/**
 * Notifications (issue 17 item 8): what a user is told in the app (the bell and /notifications) and,
 * if they chose it for that kind, by e-mail. The kinds live in server/notifications/kinds.ts; the
 * column holds the kind's name, so adding a kind needs no migration.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './schema';

export const notification = sqliteTable(
	'notification',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		kind: text('kind').notNull(),
		/**
		 * What the notification is about (a decision's id, "assignment id@due date"): one notification per
		 * user, kind and subject, so a reminder job run twice, or after a restart, inserts nothing new.
		 */
		subject: text('subject').notNull(),
		/** In words, with no personal data: it is also the e-mail's subject. */
		title: text('title').notNull(),
		/** A path in the app. */
		link: text('link').notNull(),
		createdAt: text('created_at').notNull(),
		readAt: text('read_at'),
		/** null: no e-mail for this one; 'pending' until sent; then 'sent' or 'failed' (logged). */
		emailStatus: text('email_status', { enum: ['pending', 'sent', 'failed'] })
	},
	(t) => [
		uniqueIndex('notification_subject_unique').on(t.userId, t.kind, t.subject),
		index('notification_user_unread_idx').on(t.userId, t.readAt, t.createdAt),
		index('notification_email_idx').on(t.emailStatus)
	]
);

/** A user's choice for one kind: whether it also comes by e-mail. No row: the kind's default. */
export const notificationPreference = sqliteTable(
	'notification_preference',
	{
		userId: text('user_id')
			.notNull()
			.references(() => user.id),
		kind: text('kind').notNull(),
		byEmail: integer('by_email', { mode: 'boolean' }).notNull(),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);

export type Notification = typeof notification.$inferSelect;
export type NotificationPreference = typeof notificationPreference.$inferSelect;

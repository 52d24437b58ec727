/**
 * xAPI (issue 20 item 2): the learning record store a centre sends statements to, and the durable
 * outbox the statements wait in. A statement is written to the outbox in the same transaction as
 * the event it tells of (server/xapi/record.ts), so none is lost and none exists for an event that
 * rolled back; the delivery job sends it with an idempotent PUT (server/xapi/outbox.ts).
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { organisation } from './schema';

/**
 * One centre's LRS. The secret is write-only: stored for Basic auth, never shown back to anyone.
 * Kept out of db:export (transfer/links.ts), so a centre's archive never carries it.
 */
export const xapiLrs = sqliteTable('xapi_lrs', {
	organisationId: text('organisation_id')
		.primaryKey()
		.references(() => organisation.id, { onDelete: 'cascade' }),
	/** The LRS's xAPI base address, without a trailing slash or /statements (https; http only on loopback). */
	endpoint: text('endpoint').notNull(),
	key: text('key').notNull(),
	secret: text('secret').notNull(),
	/** Statements are written to the outbox, and sent, only while this is on. */
	enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
	updatedAt: text('updated_at').notNull(),
	updatedBy: text('updated_by').notNull()
});
export type XapiLrs = typeof xapiLrs.$inferSelect;

export const OUTBOX_STATUSES = ['waiting', 'delivered', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * A statement waiting for, or given to, the centre's LRS. `waiting` rows are sent once `next_try_at`
 * has passed, oldest first (`queue_seq`); `failed` is a refusal the LRS will repeat (a 4xx other than
 * 409 and 429), kept for the administrator with its error until they retry it.
 */
export const xapiOutbox = sqliteTable(
	'xapi_outbox',
	{
		/** The statement's own id (a UUID derived from the event, so enqueueing it again adds nothing). */
		statementId: text('statement_id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		/**
		 * The attempt the statement tells of (every statement does): when the attempt's records are
		 * disposed of, its statements not yet delivered go with it (retention/records.ts).
		 */
		attemptId: text('attempt_id').notNull(),
		/** The statement as JSON text, exactly as it is sent. */
		body: text('body').notNull(),
		/** Order of enqueueing (ties of created_at within one transaction keep their order). */
		queueSeq: integer('queue_seq').notNull(),
		createdAt: text('created_at').notNull(),
		status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('waiting'),
		/** Tries so far. */
		attempts: integer('attempts').notNull().default(0),
		/** ISO time from which a waiting row may be tried (again). */
		nextTryAt: text('next_try_at').notNull(),
		/** What went wrong at the last try: status and the LRS's answer, or the network error; never the secret. */
		lastError: text('last_error'),
		deliveredAt: text('delivered_at')
	},
	(t) => [index('xapi_outbox_due_idx').on(t.status, t.nextTryAt, t.queueSeq), index('xapi_outbox_queue_idx').on(t.queueSeq), index('xapi_outbox_attempt_idx').on(t.attemptId)]
);
export type XapiOutboxRow = typeof xapiOutbox.$inferSelect;

import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { workspaceRow } from './columns';

/**
 * The audit log (DOMAIN.md §7): append-only (triggers refuse UPDATE and DELETE) and hash-chained
 * per workspace. Subjects are record ids and fields are names, never values, so erasing a customer
 * never requires rewriting the chain. fields and details are stored as the exact canonical JSON
 * text that was hashed.
 */
export const auditEntry = sqliteTable(
	'audit_entry',
	{
		...workspaceRow(),
		/** 1..n per workspace, without gaps: a gap is a deleted entry. */
		seq: integer('seq').notNull(),
		at: text('at').notNull(),
		actorId: text('actor_id').notNull(),
		actorRole: text('actor_role').notNull(),
		action: text('action').notNull(),
		/** Kind of record the subject id names ("customer", "request", "breach", ...), or null. */
		subjectType: text('subject_type'),
		subject: text('subject'),
		/** Canonical JSON array of field names. */
		fields: text('fields').notNull(),
		/** Canonical JSON object of non-personal facts. */
		details: text('details').notNull(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		uniqueIndex('audit_entry_seq_unique').on(t.workspaceId, t.seq),
		index('audit_entry_action_idx').on(t.workspaceId, t.action),
		index('audit_entry_subject_idx').on(t.workspaceId, t.subject)
	]
);

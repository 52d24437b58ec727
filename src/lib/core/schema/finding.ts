import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaceRow } from './columns';

/**
 * A policy breach the core let happen because the workspace is in record mode: what rule, what
 * act, who, when. Marking reads these (through their audit entries) as failed points.
 */
export const finding = sqliteTable(
	'finding',
	{
		...workspaceRow(),
		/** The same code enforce mode would have refused with, e.g. "disclosure.unauthorised". */
		code: text('code').notNull(),
		/** The law or principle broken, e.g. "UK GDPR Art 5(1)(c)". */
		rule: text('rule').notNull(),
		message: text('message').notNull(),
		field: text('field'),
		/** Pseudonymous subject, as in the audit log: kind and id of the record concerned. */
		subjectType: text('subject_type'),
		subjectId: text('subject_id'),
		/** Non-personal facts: codes, field names, related ids. */
		details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		actorId: text('actor_id').notNull(),
		actorRole: text('actor_role').notNull(),
		at: text('at').notNull()
	},
	(t) => [index('finding_workspace_idx').on(t.workspaceId, t.at)]
);

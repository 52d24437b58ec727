import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { workspaceRow } from './columns';

/** A team of the organisation, or an outside body it shares data with (a processor, a partner). */
export const DIRECTORY_KINDS = ['team', 'outside-body'] as const;

/** What an entry may receive for one purpose: the purpose's code and the fields it may be given. */
export interface DirectoryAllowance {
	purposeCode: string;
	fields: string[];
}

/**
 * The organisation's directory of recipients: the teams and outside bodies it discloses customers'
 * data to, each with what it may receive for which purpose (UK GDPR Art 30(1)(d): recipients;
 * Art 5(1)(b),(c): for a purpose, no more than it needs). A colleague's need to know is decided
 * from the entry chosen, never from a role typed as free text.
 */
export const recipientDirectory = sqliteTable(
	'recipient_directory',
	{
		...workspaceRow(),
		/** Stable code, e.g. "field-services". */
		code: text('code').notNull(),
		/** As people say it, e.g. "Field Services". */
		name: text('name').notNull(),
		kind: text('kind', { enum: DIRECTORY_KINDS }).notNull(),
		description: text('description').notNull().default(''),
		/** Per purpose, the fields the entry may receive; an entry with none may receive nothing. */
		receives: text('receives', { mode: 'json' }).$type<DirectoryAllowance[]>().notNull(),
		createdAt: text('created_at').notNull()
	},
	(t) => [uniqueIndex('recipient_directory_code_unique').on(t.workspaceId, t.code)]
);

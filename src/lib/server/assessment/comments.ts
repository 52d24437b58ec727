/** The centre's comment bank: reusable feedback, optionally tied to a criterion. */
import { dbAll, dbRun } from '$lib/core/database';
import { asc, eq } from 'drizzle-orm';
import { criterionByCode } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { commentBankEntry } from '$lib/server/db/assessment';
import type { AssessmentResult } from './errors';

export interface CommentBankItem {
	id: string;
	criterion: string | null;
	text: string;
}

export const COMMENT_MAX_CHARS = 1000;

/** The centre's reusable feedback, general comments first, then by criterion. */
export async function commentBank(db: Db, organisationId: string): Promise<CommentBankItem[]> {
	return await dbAll(db
		.select({ id: commentBankEntry.id, criterion: commentBankEntry.criterion, text: commentBankEntry.text })
		.from(commentBankEntry)
		.where(eq(commentBankEntry.organisationId, organisationId))
		.orderBy(asc(commentBankEntry.criterion), asc(commentBankEntry.createdAt)));
}

export async function addComment(
	db: Db,
	author: { id: string; organisationId: string },
	input: { text: unknown; criterion: unknown },
	now = new Date()
): Promise<AssessmentResult<CommentBankItem>> {
	const body = typeof input.text === 'string' ? input.text.replace(/\r\n?/g, '\n').trim() : '';
	const criterion = typeof input.criterion === 'string' ? input.criterion.trim() : '';
	if (body === '') return { ok: false, error: { code: 'comment.invalid', field: 'text', message: 'Write the comment to add to the bank.' } };
	if ([...body].length > COMMENT_MAX_CHARS) return { ok: false, error: { code: 'comment.invalid', field: 'text', message: `Use at most ${COMMENT_MAX_CHARS.toLocaleString('en-GB')} characters for a comment.` } };
	if (criterion !== '' && !criterionByCode(criterion)) return { ok: false, error: { code: 'comment.invalid', field: 'criterion', message: 'Choose a criterion from the list, or none.' } };
	const row = { id: crypto.randomUUID(), organisationId: author.organisationId, criterion: criterion || null, text: body, createdBy: author.id, createdAt: now.toISOString() };
	await dbRun(db.insert(commentBankEntry).values(row));
	return { ok: true, value: { id: row.id, criterion: row.criterion, text: row.text } };
}

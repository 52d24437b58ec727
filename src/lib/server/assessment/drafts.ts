/** The assessor's unsigned work on a decision: saved as they go, discarded once signed. */
import { dbRun } from '$lib/core/database';
import type { Db } from '$lib/core/database';
import { assessmentDraft } from '$lib/server/db/assessment';
import { NOT_FOUND, type AssessmentResult } from './errors';
import type { DecisionValues } from './forms';
import { reviewable } from './review';

/** Saves the assessor's unsigned work; nothing is checked but the lengths (a draft may be half done). */
export async function saveDecisionDraft(db: Db, assessorId: string, attemptId: string, values: DecisionValues, now = new Date()): Promise<AssessmentResult<{ savedAt: string }>> {
	const review = await reviewable(db, assessorId, attemptId);
	if (!review) return NOT_FOUND;
	// A typed signature is never kept in a draft: signing is a deliberate act each time.
	const content = { ...values, signedName: '' };
	const at = now.toISOString();
	await dbRun(db.insert(assessmentDraft)
		.values({ attemptId, assessorId, content, updatedAt: at })
		.onConflictDoUpdate({ target: [assessmentDraft.attemptId, assessmentDraft.assessorId], set: { content, updatedAt: at } }));
	return { ok: true, value: { savedAt: at } };
}

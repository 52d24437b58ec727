/** The assessor's unsigned work on a decision: saved as they go, discarded once signed. */
import type { Db } from '$lib/core/database';
import { assessmentDraft } from '$lib/server/db/assessment';
import { NOT_FOUND, type AssessmentResult } from './errors';
import type { DecisionValues } from './forms';
import { reviewable } from './review';

/** Saves the assessor's unsigned work; nothing is checked but the lengths (a draft may be half done). */
export function saveDecisionDraft(db: Db, assessorId: string, attemptId: string, values: DecisionValues, now = new Date()): AssessmentResult<{ savedAt: string }> {
	const review = reviewable(db, assessorId, attemptId);
	if (!review) return NOT_FOUND;
	// A typed signature is never kept in a draft: signing is a deliberate act each time.
	const content = { ...values, signedName: '' };
	const at = now.toISOString();
	db.insert(assessmentDraft)
		.values({ attemptId, assessorId, content, updatedAt: at })
		.onConflictDoUpdate({ target: [assessmentDraft.attemptId, assessmentDraft.assessorId], set: { content, updatedAt: at } })
		.run();
	return { ok: true, value: { savedAt: at } };
}

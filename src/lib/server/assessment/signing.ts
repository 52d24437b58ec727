/**
 * Signing a decision. A signed decision is immutable (database triggers refuse UPDATE and DELETE);
 * a later judgement is a new signed row that names the one it supersedes.
 */
import { and, eq } from 'drizzle-orm';
import { CANONICAL_ENCODING, CanonicalJsonError } from '$lib/core';
import { dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { reflection } from '$lib/server/db/schema';
import { assessmentDecision, assessmentDraft, type AssessmentDecision } from '$lib/server/db/assessment';
import { reopenReflection } from '$lib/server/reflections';
import { qualificationOf } from '$lib/server/assessor-profiles';
import { decisionSigned } from '$lib/server/notifications/assessment';
import { recordDecisionSigned } from '$lib/server/xapi/record';
import { isWorkLocked } from '$lib/server/iqa/locks';
import { requestBadgeCheck } from '$lib/server/badges/checks';
import { OUTCOME_LABELS, decisionsOf } from './decisions';
import { NOT_FOUND, type AssessmentResult } from './errors';
import { judgementErrors, overall, type DecisionValues } from './forms';
import { evidenceHashOf, judgedEvidence, signatureHashOf } from './hashing';
import { reviewCriteria, reviewPoints, reviewable } from './review';
import { enqueueDecision } from '$lib/server/lti/services/grade-return';

function normaliseName(name: string): string {
	return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en-GB');
}

export interface Signer {
	id: string;
	displayName: string;
}

/**
 * Signs the decision: validates it, checks the typed name, computes the evidence and signature
 * hashes and stores the immutable row. When a decision is already in force the form must name it
 * (`supersedes`), and the new row supersedes it; a form drawn before someone signed, or naming an
 * older decision, is refused and nothing is signed. "Resubmission requested" reopens the learner's
 * reflection. The assessor's draft is discarded once signed. A trainee's met or not-yet-met decision
 * is marked as needing a qualified assessor's countersignature (countersigning.ts). Whoever must hear
 * of it is notified in the same transaction (server/notifications/assessment.ts).
 */
export async function signDecision(db: Db, signer: Signer, attemptId: string, values: DecisionValues, now = new Date()): Promise<AssessmentResult<AssessmentDecision>> {
	const found = await reviewable(db, signer.id, attemptId);
	if (!found) return NOT_FOUND;
	const review = { points: reviewPoints(found.view), criteria: reviewCriteria(found.view.result!, found.criteria) };
	const errors: Record<string, string> = {};
	const parsed = overall.safeParse(values);
	if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'outcome')] ??= issue.message;
	const judgements = judgementErrors(values, review, errors);
	if (values.signedName.trim() === '') errors.signedName = 'Type your name to sign.';
	else if (normaliseName(values.signedName) !== normaliseName(signer.displayName)) {
		errors.signedName = `The name you type to sign must be your name as the centre holds it: ${signer.displayName}.`;
	}
	if (Object.keys(errors).length > 0 || !parsed.success) {
		return { ok: false, error: { code: 'decision.invalid', message: 'The decision was not signed: correct what is marked below. Nothing you typed is lost.', fields: errors } };
	}
	return await writeTransaction(db, async (): Promise<AssessmentResult<AssessmentDecision>> => {
		const latest = (await decisionsOf(db, attemptId))[0];
		// Work the IQA agreed and signed is locked (issue 17): only a centre admin may unlock it.
		if (latest && await isWorkLocked(db, 'simulation', latest.id)) {
			return {
				ok: false,
				error: { code: 'decision.locked', message: 'This decision is locked: the IQA sampled it and agreed. A new decision cannot supersede it unless a centre administrator unlocks it.' }
			};
		}
		if (latest && values.supersedes !== latest.id) {
			const named = values.supersedes === '' ? undefined : await dbGet(db.select().from(assessmentDecision).where(eq(assessmentDecision.id, values.supersedes)));
			const when = `${latest.signedName} signed a decision (${OUTCOME_LABELS[latest.outcome].toLowerCase()}) on ${latest.signedAt.slice(0, 16).replace('T', ' ')} UTC`;
			return {
				ok: false,
				error: named
					? { code: 'decision.superseded', message: `That decision has already been superseded and cannot be changed: ${when}. Read it, then supersede it with a new decision if you need to.` }
					: { code: 'decision.already-signed', message: `A signed decision cannot be edited: ${when}. Read it, then supersede it with a new decision if you need to.` }
			};
		}
		if (!latest && values.supersedes !== '') {
			return { ok: false, error: { code: 'decision.superseded', message: 'The decision your form names is not one of this attempt’s. Reload the page and try again.' } };
		}
		const written = await dbGet(db.select().from(reflection).where(eq(reflection.attemptId, attemptId)));
		if (written?.status !== 'submitted') {
			return { ok: false, error: { code: 'reflection.not-submitted', message: 'The learner has not submitted their reflection on this attempt yet: it can be judged once they have.' } };
		}
		const evidence = (await judgedEvidence(db, attemptId))!;
		let decision: AssessmentDecision;
		try {
			const row: Omit<AssessmentDecision, 'signatureHash'> = {
				id: crypto.randomUUID(),
				attemptId,
				learnerId: found.view.ownerId,
				assessorId: signer.id,
				sequence: (latest?.sequence ?? 0) + 1,
				supersedesId: latest?.id ?? null,
				outcome: parsed.data.outcome,
				feedback: parsed.data.feedback.trim(),
				nextSteps: parsed.data.outcome === 'met' && parsed.data.nextSteps.trim() === '' ? '' : parsed.data.nextSteps.trim(),
				points: judgements.points,
				criteria: judgements.criteria,
				assessorNote: parsed.data.assessorNote.trim(),
				evidenceHash: evidenceHashOf(evidence, CANONICAL_ENCODING),
				evidence,
				signedName: values.signedName.trim().replace(/\s+/gu, ' '),
				signedAt: now.toISOString(),
				hashEncoding: CANONICAL_ENCODING,
				// A trainee's judgement needs a qualified assessor's countersignature before it counts
				// (issue 17); a request for a resubmission only asks the learner for more and counts at once.
				requiresCountersignature: parsed.data.outcome !== 'resubmission-requested' && (await qualificationOf(db, signer.id)).status === 'trainee'
			};
			decision = { ...row, signatureHash: signatureHashOf(row) };
		} catch (e) {
			if (!(e instanceof CanonicalJsonError)) throw e;
			// Never a silently signed null: what cannot be hashed exactly is not signed at all.
			return {
				ok: false,
				error: {
					code: 'evidence.not-json',
					message: `The decision was not signed: it holds a value that cannot be hashed exactly (${e.message}). Nothing was recorded; tell your administrator.`
				}
			};
		}
		await dbRun(db.insert(assessmentDecision).values(decision));
		await dbRun(db.delete(assessmentDraft).where(and(eq(assessmentDraft.attemptId, attemptId), eq(assessmentDraft.assessorId, signer.id))));
		if (decision.outcome === 'resubmission-requested') await reopenReflection(db, attemptId, now);
		await decisionSigned(db, decision, now);
		await recordDecisionSigned(db, decision, now);
		// The LMS's gradebook hears of a decision that counts: a trainee's once countersigned (countersigning.ts).
		if (!decision.requiresCountersignature) await enqueueDecision(db, decision, now);
		// A met decision that counts may complete the learner's unit: ask for their badge (server/badges).
		if (decision.outcome === 'met' && !decision.requiresCountersignature) await requestBadgeCheck(db, decision.learnerId, now);
		return { ok: true, value: decision };
	});
}

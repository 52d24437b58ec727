/**
 * Judging workplace evidence (issue 17 item 5): signing a decision on it, and a qualified assessor's
 * countersignature of a trainee's decision. The rules are the simulation decisions' (assessment/
 * signing.ts, assessment/countersigning.ts): the typed name must be the signer's own, a stale form is
 * refused, a trainee's met or not-yet-met decision counts only once countersigned, and a request for
 * a resubmission returns the evidence to the learner as a draft.
 */
import { isWorkLocked } from '$lib/server/iqa/locks';
import { eq } from 'drizzle-orm';
import { CANONICAL_ENCODING, CanonicalJsonError } from '$lib/core';
import { dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { workplaceEvidence } from '$lib/server/db/evidence';
import {
	workplaceDecision,
	workplaceDecisionCountersignature,
	type WorkplaceCriterionJudgement,
	type WorkplaceDecision,
	type WorkplaceDecisionCountersignature
} from '$lib/server/db/workplace-decisions';
import { qualificationOf } from '$lib/server/assessor-profiles';
import { assesses } from '$lib/server/cohort-membership';
import { recordActorEvent } from '$lib/server/security/events';
import { LIMITS, overall } from '$lib/server/assessment/forms';
import { OUTCOME_LABELS } from '$lib/server/assessment/decisions';
import { countersignErrors, countersignRefusal, countersignatureHashOf, normaliseName, type Countersigner, type CountersignValues } from '$lib/server/assessment/countersigning';
import type { Signer } from '$lib/server/assessment/signing';
import { workplaceDecisionCountersigned, workplaceDecisionSigned } from '$lib/server/notifications/workplace';
import { requestBadgeCheck } from '$lib/server/badges/checks';
import { judgedWorkplaceEvidence, workplaceCountersignaturesOf, workplaceDecisionsOf, workplaceEvidenceHashOf, workplaceSignatureHashOf } from './decisions';

export type WorkplaceErrorCode = 'evidence.not-found' | 'decision.locked' | 'decision.invalid' | 'decision.already-signed' | 'decision.superseded' | 'evidence.not-submitted' | 'evidence.not-json' | 'countersignature.invalid' | 'countersignature.refused';
export type WorkplaceResult<T> = { ok: true; value: T } | { ok: false; error: { code: WorkplaceErrorCode; message: string; fields?: Record<string, string> } };

export const WORKPLACE_NOT_FOUND = { ok: false, error: { code: 'evidence.not-found', message: 'That workplace evidence was not found.' } } as const satisfies WorkplaceResult<never>;

/** The decision form's values, as strings, exactly as typed. */
export interface WorkplaceDecisionValues {
	outcome: string;
	feedback: string;
	nextSteps: string;
	assessorNote: string;
	/** Per claimed criterion code: 'met' or 'not-met', and feedback. */
	criteria: Record<string, { met: string; feedback: string }>;
	signedName: string;
	/** The decision in force when the form was drawn ('' for none). */
	supersedes: string;
}

/** Form field names for the i-th claimed criterion, shared with the page. */
export const workplaceField = { criterionMet: (i: number) => `criterion-${i}-met`, criterionFeedback: (i: number) => `criterion-${i}-feedback` } as const;

/** The evidence row when this assessor may judge it: a learner they assess (never themselves), submitted or already judged. */
export async function judgeableEvidence(db: Db, assessorId: string, evidenceId: string) {
	if (typeof evidenceId !== 'string' || evidenceId.length > 100) return undefined;
	const row = await dbGet(db.select().from(workplaceEvidence).where(eq(workplaceEvidence.id, evidenceId)));
	if (!row || row.learnerId === assessorId || !await assesses(db, assessorId, row.learnerId)) return undefined;
	if (row.state !== 'submitted' && (await workplaceDecisionsOf(db, evidenceId)).length === 0) return undefined;
	return row;
}

/**
 * Signs a decision on workplace evidence: every claimed criterion judged met or not met, the overall
 * outcome (a "met" needs at least one criterion met), feedback, and the signer's own name typed.
 */
export async function signWorkplaceDecision(db: Db, signer: Signer, evidenceId: string, values: WorkplaceDecisionValues, now = new Date()): Promise<WorkplaceResult<WorkplaceDecision>> {
	const row = await judgeableEvidence(db, signer.id, evidenceId);
	if (!row) return WORKPLACE_NOT_FOUND;
	const errors: Record<string, string> = {};
	const parsed = overall.safeParse(values);
	if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'outcome')] ??= issue.message;
	const criteria: WorkplaceCriterionJudgement[] = row.criteria.map((code, i) => {
		const value = values.criteria[code];
		const met = value?.met === 'met' ? true : value?.met === 'not-met' ? false : undefined;
		const feedback = (value?.feedback ?? '').trim();
		if (met === undefined) errors[workplaceField.criterionMet(i)] = `Choose met or not yet met for ${code}.`;
		if (feedback.length > LIMITS.judgementFeedback) errors[workplaceField.criterionFeedback(i)] = `Use at most ${LIMITS.judgementFeedback.toLocaleString('en-GB')} characters.`;
		return { code, met: met ?? false, feedback };
	});
	if (values.outcome === 'met' && !criteria.some((c) => c.met)) {
		errors.outcome = 'A decision of met needs at least one criterion judged met.';
	}
	if (values.signedName.trim() === '') errors.signedName = 'Type your name to sign.';
	else if (normaliseName(values.signedName) !== normaliseName(signer.displayName)) {
		errors.signedName = `The name you type to sign must be your name as the centre holds it: ${signer.displayName}.`;
	}
	if (Object.keys(errors).length > 0 || !parsed.success) {
		return { ok: false, error: { code: 'decision.invalid', message: 'The decision was not signed: correct what is marked below. Nothing you typed is lost.', fields: errors } };
	}
	return await writeTransaction(db, async (): Promise<WorkplaceResult<WorkplaceDecision>> => {
		const latest = (await workplaceDecisionsOf(db, evidenceId))[0];
		if (latest && values.supersedes !== latest.id) {
			const when = `${latest.signedName} signed a decision (${OUTCOME_LABELS[latest.outcome].toLowerCase()}) on ${latest.signedAt.slice(0, 16).replace('T', ' ')} UTC`;
			return { ok: false, error: { code: values.supersedes === '' ? 'decision.already-signed' : 'decision.superseded', message: `A signed decision cannot be edited: ${when}. Reload the page to read it.` } };
		}
		if (latest && await isWorkLocked(db, 'workplace', latest.id)) {
			return {
				ok: false,
				error: { code: 'decision.locked', message: 'This decision is locked: the IQA sampled it and agreed. A new decision cannot supersede it unless a centre administrator unlocks it.' }
			};
		}
		if (!latest && values.supersedes !== '') return { ok: false, error: { code: 'decision.superseded', message: 'The decision your form names is not one of this evidence’s. Reload the page and try again.' } };
		const current = await dbGet(db.select({ state: workplaceEvidence.state }).from(workplaceEvidence).where(eq(workplaceEvidence.id, evidenceId)));
		if (current?.state !== 'submitted') {
			return { ok: false, error: { code: 'evidence.not-submitted', message: 'The learner is changing this evidence for a resubmission: it can be judged once they submit it again.' } };
		}
		const evidence = (await judgedWorkplaceEvidence(db, evidenceId))!;
		let decision: WorkplaceDecision;
		try {
			const unsigned: Omit<WorkplaceDecision, 'signatureHash'> = {
				id: crypto.randomUUID(),
				evidenceId,
				learnerId: row.learnerId,
				assessorId: signer.id,
				sequence: (latest?.sequence ?? 0) + 1,
				supersedesId: latest?.id ?? null,
				outcome: parsed.data.outcome,
				feedback: parsed.data.feedback.trim(),
				nextSteps: parsed.data.nextSteps.trim(),
				criteria,
				assessorNote: parsed.data.assessorNote.trim(),
				evidence,
				evidenceHash: workplaceEvidenceHashOf(evidence),
				signedName: values.signedName.trim().replace(/\s+/gu, ' '),
				signedAt: now.toISOString(),
				hashEncoding: CANONICAL_ENCODING,
				// As for simulation decisions (issue 17): a trainee's judgement counts once countersigned;
				// a request for a resubmission only asks the learner for more and counts at once.
				requiresCountersignature: parsed.data.outcome !== 'resubmission-requested' && (await qualificationOf(db, signer.id)).status === 'trainee'
			};
			decision = { ...unsigned, signatureHash: workplaceSignatureHashOf(unsigned) };
		} catch (e) {
			if (!(e instanceof CanonicalJsonError)) throw e;
			return { ok: false, error: { code: 'evidence.not-json', message: `The decision was not signed: it holds a value that cannot be hashed exactly (${e.message}).` } };
		}
		await dbRun(db.insert(workplaceDecision).values(decision));
		// The evidence goes back to the learner as a draft: their edits, submitted again, are the next decision's to judge.
		if (decision.outcome === 'resubmission-requested') {
			await dbRun(db.update(workplaceEvidence).set({ state: 'draft', updatedAt: now.toISOString() }).where(eq(workplaceEvidence.id, evidenceId)));
		}
		await workplaceDecisionSigned(db, decision, now);
		// A met decision that counts may complete the learner's unit: ask for their badge (server/badges).
		if (decision.outcome === 'met' && !decision.requiresCountersignature) await requestBadgeCheck(db, decision.learnerId, now);
		return { ok: true, value: decision };
	});
}

/**
 * Countersigns a trainee's workplace decision, or sends it back with a comment: the rules and the
 * hash of simulation countersignatures (assessment/countersigning.ts). Refused for the trainee
 * themselves, for a trainee, for a decision needing none, already answered or superseded; 404 for a
 * learner the assessor does not assess.
 */
export async function countersignWorkplaceDecision(db: Db, signer: Countersigner, decisionId: string, values: CountersignValues, now = new Date()): Promise<WorkplaceResult<WorkplaceDecisionCountersignature>> {
	if (typeof decisionId !== 'string' || decisionId.length > 100) return WORKPLACE_NOT_FOUND;
	const decision = await dbGet(db.select().from(workplaceDecision).where(eq(workplaceDecision.id, decisionId)));
	if (!decision || !await assesses(db, signer.id, decision.learnerId)) return WORKPLACE_NOT_FOUND;
	const refused = await countersignRefusal(db, signer.id, decision);
	if (refused) return { ok: false, error: { code: 'countersignature.refused', message: refused } };
	const errors = countersignErrors(values, signer);
	if (Object.keys(errors).length > 0) return { ok: false, error: { code: 'countersignature.invalid', message: 'Nothing was signed: correct what is marked.', fields: errors } };
	return await writeTransaction(db, async (): Promise<WorkplaceResult<WorkplaceDecisionCountersignature>> => {
		if (!decision.requiresCountersignature) return { ok: false, error: { code: 'countersignature.refused', message: 'This decision was signed by a qualified assessor: it needs no countersignature.' } };
		if ((await workplaceCountersignaturesOf(db, [decision.id])).has(decision.id)) return { ok: false, error: { code: 'countersignature.refused', message: 'This decision has already been countersigned or sent back.' } };
		if ((await workplaceDecisionsOf(db, decision.evidenceId))[0]?.id !== decision.id) return { ok: false, error: { code: 'countersignature.refused', message: 'A newer decision supersedes this one: countersign that one instead.' } };
		const row: Omit<WorkplaceDecisionCountersignature, 'signatureHash'> = {
			id: crypto.randomUUID(),
			decisionId: decision.id,
			countersignerId: signer.id,
			outcome: values.answer === 'countersign' ? 'countersigned' : 'sent-back',
			comment: values.comment.trim(),
			decisionSignatureHash: decision.signatureHash,
			signedName: values.signedName.trim().replace(/\s+/gu, ' '),
			signedAt: now.toISOString(),
			hashEncoding: CANONICAL_ENCODING
		};
		const countersignature = { ...row, signatureHash: countersignatureHashOf(row) };
		await dbRun(db.insert(workplaceDecisionCountersignature).values(countersignature));
		await recordActorEvent(
			db,
			signer,
			{ type: row.outcome === 'countersigned' ? 'decision.countersigned' : 'decision.sent-back', userId: decision.assessorId, detail: { workplaceDecisionId: decision.id, evidenceId: decision.evidenceId } },
			now
		);
		await workplaceDecisionCountersigned(db, decision, countersignature, now);
		if (countersignature.outcome === 'countersigned' && decision.outcome === 'met') await requestBadgeCheck(db, decision.learnerId, now);
		return { ok: true, value: countersignature };
	});
}

/**
 * Countersigning a trainee assessor's decision (issue 17). A decision signed by a trainee counts only
 * once a qualified assessor — never the trainee themselves — countersigns it, or they send it back
 * with a comment and the trainee signs a new decision that supersedes it. The countersignature binds
 * to the decision's signature hash (SHA-256 of RFC 8785 canonical JSON, like signing) and the
 * database refuses to change or delete it (triggers in the migration).
 */
import { mapInOrder, filterInOrder } from '$lib/core/in-order';
import { and, eq, inArray } from 'drizzle-orm';
import { CANONICAL_ENCODING, canonicalHash } from '$lib/core';
import { dbGet, dbRun, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { enqueueDecision } from '$lib/server/lti/services/grade-return';
import { user } from '$lib/server/db/schema';
import { assessmentDecision, decisionCountersignature, type AssessmentDecision, type DecisionCountersignature } from '$lib/server/db/assessment';
import { assesses, learnersAssessedBy } from '$lib/server/cohort-membership';
import { qualificationOf } from '$lib/server/assessor-profiles';
import { decisionCountersigned } from '$lib/server/notifications/assessment';
import { requestBadgeCheck } from '$lib/server/badges/checks';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { attempt } from '$lib/sim/schema';
import { findScenarioVersion } from '$lib/server/scenarios';
import { OUTCOME_LABELS, countersignaturesOf, decisionsOf } from './decisions';
import { NOT_FOUND, type AssessmentResult } from './errors';

export const COUNTERSIGN_LIMITS = { comment: 2000 } as const;

export interface Countersigner extends Actor {
	displayName: string;
}

export interface CountersignValues {
	/** 'countersign' or 'send-back'. */
	answer: string;
	comment: string;
	signedName: string;
}

/** A typed signature compared with the name the centre holds: case, spacing and Unicode form aside. */
export function normaliseName(name: string): string {
	return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en-GB');
}

/** What a countersignature covers: the answer and comment, the decision's own signature hash, who and when. */
function countersignedContent(c: Omit<DecisionCountersignature, 'signatureHash'>) {
	return {
		countersignature: { id: c.id, decisionId: c.decisionId, outcome: c.outcome, comment: c.comment },
		decisionSignatureHash: c.decisionSignatureHash,
		signer: { id: c.countersignerId, name: c.signedName },
		signedAt: c.signedAt,
		hashEncoding: c.hashEncoding
	};
}

export function countersignatureHashOf(c: Omit<DecisionCountersignature, 'signatureHash'>): string {
	return canonicalHash(countersignedContent(c), 'countersignature');
}

/** The countersignature reproduces its own hash and is bound to this decision as signed. */
export function verifyCountersignature(c: DecisionCountersignature, decision: Pick<AssessmentDecision, 'id' | 'signatureHash'>): boolean {
	try {
		return c.decisionId === decision.id && c.decisionSignatureHash === decision.signatureHash && countersignatureHashOf(c) === c.signatureHash;
	} catch {
		return false;
	}
}

/** Why this assessor may not countersign this decision (a simulation or a workplace one), or null when they may. */
export async function countersignRefusal(db: Db, assessorId: string, decision: Pick<AssessmentDecision, 'assessorId'>): Promise<string | null> {
	if (decision.assessorId === assessorId) return 'You signed this decision: a different, qualified assessor must countersign it.';
	if ((await qualificationOf(db, assessorId)).status !== 'qualified') return 'Only a qualified assessor may countersign; your profile says you are a trainee.';
	return null;
}

/** What is wrong with a countersignature form, per field (empty: nothing). Shared by simulation and workplace decisions. */
export function countersignErrors(values: CountersignValues, signer: Pick<Countersigner, 'displayName'>): Record<string, string> {
	const errors: Record<string, string> = {};
	if (values.answer !== 'countersign' && values.answer !== 'send-back') errors.answer = 'Choose to countersign or to send it back.';
	const comment = values.comment.trim();
	if (values.answer === 'send-back' && comment === '') errors.comment = 'Say what the assessor should look at again.';
	if (comment.length > COUNTERSIGN_LIMITS.comment) errors.comment = `Keep the comment to ${COUNTERSIGN_LIMITS.comment} characters.`;
	if (values.signedName.trim() === '') errors.signedName = 'Type your name to sign.';
	else if (normaliseName(values.signedName) !== normaliseName(signer.displayName)) {
		errors.signedName = `The name you type to sign must be your name as the centre holds it: ${signer.displayName}.`;
	}
	return errors;
}

/**
 * Countersigns the trainee's decision, or sends it back with a comment. Refused (and nothing
 * recorded) for the trainee themselves, for a trainee, for a decision that needs no countersignature,
 * already has its answer or has been superseded, and for a learner the assessor does not assess (404).
 */
export async function countersignDecision(db: Db, signer: Countersigner, decisionId: string, values: CountersignValues, now = new Date()): Promise<AssessmentResult<DecisionCountersignature>> {
	if (typeof decisionId !== 'string' || decisionId.length > 100) return NOT_FOUND;
	const decision = await dbGet(db.select().from(assessmentDecision).where(eq(assessmentDecision.id, decisionId)));
	if (!decision || !await assesses(db, signer.id, decision.learnerId)) return NOT_FOUND;
	const refused = await countersignRefusal(db, signer.id, decision);
	if (refused) return { ok: false, error: { code: 'countersignature.refused', message: refused } };
	const errors = countersignErrors(values, signer);
	const comment = values.comment.trim();
	if (Object.keys(errors).length > 0) {
		return { ok: false, error: { code: 'countersignature.invalid', message: 'Nothing was signed: correct what is marked.', fields: errors } };
	}
	return await writeTransaction(db, async (): Promise<AssessmentResult<DecisionCountersignature>> => {
		if (!decision.requiresCountersignature) return { ok: false, error: { code: 'countersignature.refused', message: 'This decision was signed by a qualified assessor: it needs no countersignature.' } };
		if ((await countersignaturesOf(db, [decision.id])).has(decision.id)) return { ok: false, error: { code: 'countersignature.refused', message: 'This decision has already been countersigned or sent back.' } };
		if ((await decisionsOf(db, decision.attemptId))[0]?.id !== decision.id) return { ok: false, error: { code: 'countersignature.refused', message: 'A newer decision supersedes this one: countersign that one instead.' } };
		const row: Omit<DecisionCountersignature, 'signatureHash'> = {
			id: crypto.randomUUID(),
			decisionId: decision.id,
			countersignerId: signer.id,
			outcome: values.answer === 'countersign' ? 'countersigned' : 'sent-back',
			comment,
			decisionSignatureHash: decision.signatureHash,
			signedName: values.signedName.trim().replace(/\s+/gu, ' '),
			signedAt: now.toISOString(),
			hashEncoding: CANONICAL_ENCODING
		};
		const countersignature = { ...row, signatureHash: countersignatureHashOf(row) };
		await dbRun(db.insert(decisionCountersignature).values(countersignature));
		await recordActorEvent(
			db,
			signer,
			{ type: row.outcome === 'countersigned' ? 'decision.countersigned' : 'decision.sent-back', userId: decision.assessorId, detail: { decisionId: decision.id, attemptId: decision.attemptId } },
			now
		);
		await decisionCountersigned(db, decision, countersignature, now);
		if (countersignature.outcome === 'countersigned') await enqueueDecision(db, decision, now);
		if (countersignature.outcome === 'countersigned' && decision.outcome === 'met') await requestBadgeCheck(db, decision.learnerId, now);
		return { ok: true, value: countersignature };
	});
}

export interface CountersignatureToGive {
	decisionId: string;
	attemptId: string;
	learnerName: string;
	title: string;
	outcomeLabel: string;
	traineeName: string;
	signedAt: string;
}

/**
 * The trainees' decisions this assessor may countersign: those of the learners they assess, signed
 * by someone else, still waiting. Empty for a trainee (they may not countersign).
 */
export async function countersignaturesToGive(db: Db, assessorId: string): Promise<CountersignatureToGive[]> {
	if ((await qualificationOf(db, assessorId)).status !== 'qualified') return [];
	const learners = new Map((await learnersAssessedBy(db, assessorId)).map((l) => [l.id, l.displayName]));
	if (learners.size === 0) return [];
	const waiting = (await dbAll(db
		.select({ decision: assessmentDecision, traineeName: user.displayName })
		.from(assessmentDecision)
		.innerJoin(user, eq(user.id, assessmentDecision.assessorId))
		.where(and(eq(assessmentDecision.requiresCountersignature, true), inArray(assessmentDecision.learnerId, [...learners.keys()])))))
		.filter(({ decision }) => decision.assessorId !== assessorId);
	const answered = await countersignaturesOf(db, waiting.map((w) => w.decision.id));
	return (await mapInOrder((await filterInOrder(waiting, async ({ decision }) => !answered.has(decision.id) && (await decisionsOf(db, decision.attemptId))[0]?.id === decision.id)), async ({ decision, traineeName }) => {
			const row = await dbGet(db.select({ scenarioId: attempt.scenarioId, scenarioVersion: attempt.scenarioVersion }).from(attempt).where(eq(attempt.id, decision.attemptId)));
			const title = row ? ((await findScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`))?.title ?? row.scenarioId) : decision.attemptId;
			return {
				decisionId: decision.id,
				attemptId: decision.attemptId,
				learnerName: learners.get(decision.learnerId) ?? '',
				title,
				outcomeLabel: OUTCOME_LABELS[decision.outcome],
				traineeName,
				signedAt: decision.signedAt
			};
		}))
		.sort((a, b) => a.signedAt.localeCompare(b.signedAt));
}

/** What the review page's countersignature block needs: the decision waiting, and whether this assessor may answer it. */
export async function countersignBlock(db: Db, assessorId: string, latest: AssessmentDecision | undefined) {
	if (!latest?.requiresCountersignature) return null;
	const answer = (await countersignaturesOf(db, [latest.id])).get(latest.id);
	const trainee = await dbGet(db.select({ name: user.displayName }).from(user).where(eq(user.id, latest.assessorId)));
	return {
		decisionId: latest.id,
		traineeName: trainee?.name ?? latest.signedName,
		outcomeLabel: OUTCOME_LABELS[latest.outcome],
		answered: answer ? { outcome: answer.outcome, signedName: answer.signedName, signedAt: answer.signedAt, comment: answer.comment } : null,
		mine: latest.assessorId === assessorId,
		/** Why this assessor may not answer it (null: they may). */
		refusal: answer ? null : await countersignRefusal(db, assessorId, latest)
	};
}

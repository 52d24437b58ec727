/**
 * Who is told what when a decision on workplace evidence is signed, countersigned or sent back: the
 * rules of simulation decisions (assessment.ts), with links to the workplace pages. Called by
 * workplace/signing.ts inside the transaction that records the event. The titles name no learner and
 * no evidence (the learner's own title may hold what a message must not carry: mail.ts).
 */
import type { Db } from '$lib/core/database';
import type { WorkplaceDecision, WorkplaceDecisionCountersignature } from '$lib/server/db/workplace-decisions';
import { qualifiedAssessorsOf } from './assessment';
import { notify } from './store';

type Decision = Pick<WorkplaceDecision, 'id' | 'evidenceId' | 'learnerId' | 'assessorId' | 'outcome' | 'requiresCountersignature'>;

const learnerLink = (d: Decision) => `/learn/evidence/${d.evidenceId}`;
const assessorLink = (d: Decision) => `/assess/workplace/${d.evidenceId}`;

/**
 * A decision on workplace evidence was signed. Resubmission requested: the learner is asked (the
 * evidence is a draft again). A decision that counts at once: the learner is told. A trainee's: the
 * qualified assessors of the learner's cohorts are asked to countersign; the learner hears once it counts.
 */
export async function workplaceDecisionSigned(db: Db, decision: Decision, now: Date): Promise<void> {
	if (decision.outcome === 'resubmission-requested') {
		await notify(db, [decision.learnerId], { kind: 'resubmission-requested', subject: decision.id, title: 'Your assessor asks you to change and resubmit your workplace evidence', link: learnerLink(decision) }, now);
	} else if (decision.requiresCountersignature) {
		await notify(
			db,
			await qualifiedAssessorsOf(db, decision.learnerId, decision.assessorId),
			{ kind: 'countersignature-requested', subject: decision.id, title: 'A trainee assessor’s decision on workplace evidence needs your countersignature', link: assessorLink(decision) },
			now
		);
	} else {
		await learnerToldOfDecision(db, decision, now);
	}
}

async function learnerToldOfDecision(db: Db, decision: Decision, now: Date): Promise<void> {
	await notify(db, [decision.learnerId], { kind: 'decision', subject: decision.id, title: 'Your workplace evidence has been assessed', link: learnerLink(decision) }, now);
}

/** A trainee's workplace decision was countersigned (the trainee is told, and the learner: it counts now) or sent back (the trainee is told). */
export async function workplaceDecisionCountersigned(db: Db, decision: Decision, countersignature: Pick<WorkplaceDecisionCountersignature, 'id' | 'outcome'>, now: Date): Promise<void> {
	const link = assessorLink(decision);
	if (countersignature.outcome === 'countersigned') {
		await notify(db, [decision.assessorId], { kind: 'decision-countersigned', subject: countersignature.id, title: 'Your decision on workplace evidence was countersigned', link }, now);
		await learnerToldOfDecision(db, decision, now);
	} else {
		await notify(db, [decision.assessorId], { kind: 'decision-sent-back', subject: countersignature.id, title: 'Your decision on workplace evidence was sent back, with a comment', link }, now);
	}
}

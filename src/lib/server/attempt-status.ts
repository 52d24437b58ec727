/**
 * Where an attempt stands and the next step, for the learner or their assessor: the one place the
 * state is decided, from the attempt, its reflection, the decision in force and any draft decision.
 * Every list of attempts (the learner's home, history and scenario page; the assessor's queue and
 * learner page) shows what this returns.
 */
import { dbAll } from '$lib/core/database';
import { inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import { reflection, type Reflection } from '$lib/server/db/schema';
import { assessmentDraft, type AssessmentDecision } from '$lib/server/db/assessment';
import { countersignStanding, countersignaturesOf, latestDecisions, type CountersignStanding } from '$lib/server/assessment/decisions';
import type { AttemptState, AttemptStatus, AttemptTone, AttemptViewer } from '$lib/views/attempt-status';

/** What the state of one attempt is decided from. */
export interface AttemptFacts {
	id: string;
	status: 'in-progress' | 'ended';
	reflection?: Pick<Reflection, 'status' | 'submittedAt'>;
	/** The decision in force (the newest signed one). */
	decision?: Pick<AssessmentDecision, 'outcome' | 'signedAt'>;
	/** Whether the decision in force counts, or waits on a qualified assessor's countersignature (absent: it counts). */
	countersign?: CountersignStanding;
	/** When an assessor last saved a draft decision on it, if one is saved. */
	draftAt?: string;
	/** The learner has started a later attempt at the same scenario. */
	triedAgain?: boolean;
}

export const ATTEMPT_STATE_LABELS: Record<AttemptState, string> = {
	'in-progress': 'In progress',
	reflecting: 'Reflection not submitted',
	submitted: 'Submitted',
	'being-assessed': 'Being assessed',
	'awaiting-countersignature': 'Awaiting countersignature',
	'sent-back': 'Sent back to the assessor',
	'signed-off': 'Signed off',
	'not-yet-met': 'Not yet competent',
	'resubmission-asked': 'Resubmission asked'
};

export function attemptStateOf(facts: AttemptFacts): AttemptState {
	if (facts.status === 'in-progress') return 'in-progress';
	const submitted = facts.reflection?.status === 'submitted';
	const submittedAt = submitted ? (facts.reflection?.submittedAt ?? '') : '';
	const { decision } = facts;
	// A reflection rewritten and submitted again after a resubmission request is back for assessment.
	const resubmitted = decision?.outcome === 'resubmission-requested' && submitted && submittedAt > decision.signedAt;
	if (decision && !resubmitted) {
		if (facts.countersign === 'awaiting') return 'awaiting-countersignature';
		if (facts.countersign === 'sent-back') return 'sent-back';
		if (decision.outcome === 'met') return 'signed-off';
		return decision.outcome === 'not-yet-met' ? 'not-yet-met' : 'resubmission-asked';
	}
	if (!submitted) return 'reflecting';
	return facts.draftAt !== undefined && facts.draftAt >= submittedAt ? 'being-assessed' : 'submitted';
}

/** The next step for the viewer, its colour and where it is taken. */
function nextStep(state: AttemptState, facts: AttemptFacts, viewer: AttemptViewer): { next: string; tone: AttemptTone; href: string | null } {
	const learn = `/learn/attempts/${facts.id}`;
	const assess = `/assess/attempts/${facts.id}`;
	if (viewer === 'learner') {
		switch (state) {
			case 'in-progress':
				return { next: 'Continue the call', tone: 'red', href: learn };
			case 'reflecting':
				return { next: 'Write your reflection', tone: 'red', href: `${learn}/reflection` };
			case 'submitted':
			case 'being-assessed':
			case 'sent-back':
				return { next: 'Waiting for your assessor', tone: 'amber', href: `${learn}/debrief` };
			case 'awaiting-countersignature':
				return { next: 'Waiting for a qualified assessor to countersign', tone: 'amber', href: `${learn}/debrief` };
			case 'signed-off':
				return { next: 'Done: read the feedback', tone: 'green', href: `${learn}/debrief` };
			case 'not-yet-met':
				return facts.triedAgain
					? { next: 'Done: you tried again in a later attempt', tone: 'green', href: `${learn}/debrief` }
					: { next: 'Read the feedback and try again', tone: 'red', href: `${learn}/debrief` };
			case 'resubmission-asked':
				return { next: 'Read the feedback and try again', tone: 'red', href: `${learn}/reflection` };
		}
	}
	switch (state) {
		case 'in-progress':
			// An attempt under way is the learner's alone: the assessor sees it once it has ended.
			return { next: 'Waiting for the learner to finish the call', tone: 'amber', href: null };
		case 'reflecting':
			return { next: 'Waiting for the learner’s reflection', tone: 'amber', href: assess };
		case 'submitted':
			return { next: 'Mark this attempt', tone: 'red', href: assess };
		case 'being-assessed':
			return { next: 'Finish marking this attempt', tone: 'red', href: assess };
		case 'awaiting-countersignature':
			return { next: 'Waiting for a qualified assessor’s countersignature', tone: 'amber', href: assess };
		case 'sent-back':
			return { next: 'Sent back: sign a new decision', tone: 'red', href: assess };
		case 'signed-off':
		case 'not-yet-met':
			return { next: 'Nothing to do: decided', tone: 'green', href: assess };
		case 'resubmission-asked':
			return { next: 'Waiting for the learner’s resubmission', tone: 'amber', href: assess };
	}
}

/** Where the attempt stands and what comes next, for this viewer. */
export function attemptStatus(facts: AttemptFacts, viewer: AttemptViewer): AttemptStatus {
	const state = attemptStateOf(facts);
	return { state, label: ATTEMPT_STATE_LABELS[state], ...nextStep(state, facts, viewer) };
}

/** The status of each attempt given, for this viewer, read in a handful of queries whatever their number. */
export async function attemptStatuses(db: Db, attemptIds: readonly string[], viewer: AttemptViewer): Promise<Map<string, AttemptStatus>> {
	const out = new Map<string, AttemptStatus>();
	if (attemptIds.length === 0) return out;
	const ids = [...attemptIds];
	const rows = await dbAll(db
		.select({ id: attempt.id, ownerId: attempt.ownerId, scenarioId: attempt.scenarioId, status: attempt.status, startedAt: attempt.startedAt })
		.from(attempt)
		.where(inArray(attempt.id, ids)));
	const owners = [...new Set(rows.map((r) => r.ownerId))];
	const siblings = await dbAll(db
		.select({ ownerId: attempt.ownerId, scenarioId: attempt.scenarioId, startedAt: attempt.startedAt })
		.from(attempt)
		.where(inArray(attempt.ownerId, owners)));
	const reflections = new Map((await dbAll(db.select().from(reflection).where(inArray(reflection.attemptId, ids)))).map((r) => [r.attemptId, r]));
	const decisions = await latestDecisions(db, ids);
	const countersignatures = await countersignaturesOf(db, [...decisions.values()].filter((d) => d.requiresCountersignature).map((d) => d.id));
	const drafts = new Map<string, string>();
	for (const d of await dbAll(db.select({ attemptId: assessmentDraft.attemptId, updatedAt: assessmentDraft.updatedAt }).from(assessmentDraft).where(inArray(assessmentDraft.attemptId, ids)))) {
		if ((drafts.get(d.attemptId) ?? '') < d.updatedAt) drafts.set(d.attemptId, d.updatedAt);
	}
	for (const row of rows) {
		const facts: AttemptFacts = {
			id: row.id,
			status: row.status,
			reflection: reflections.get(row.id),
			decision: decisions.get(row.id),
			countersign: ((d) => (d ? countersignStanding(d, countersignatures.get(d.id)) : undefined))(decisions.get(row.id)),
			draftAt: drafts.get(row.id),
			triedAgain: siblings.some((s) => s.ownerId === row.ownerId && s.scenarioId === row.scenarioId && s.startedAt > row.startedAt)
		};
		out.set(row.id, attemptStatus(facts, viewer));
	}
	return out;
}

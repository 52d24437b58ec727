/**
 * Where a learner's workplace evidence stands and their next step: decided here once, from the
 * evidence's state, the decision in force and its countersignature, with the words the attempts use
 * (server/attempt-status.ts). The learner's evidence list and page show what this returns.
 */
import { dbAll } from '$lib/core/database';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import type { WorkplaceEvidence } from '$lib/server/db/evidence';
import { workplaceDecision, type WorkplaceDecision } from '$lib/server/db/workplace-decisions';
import { countersignStanding, type CountersignStanding } from '$lib/server/assessment/decisions';
import { ATTEMPT_STATE_LABELS } from '$lib/server/attempt-status';
import type { WorkplaceState, WorkplaceStatus } from '$lib/views/workplace-status';
import { workplaceCountersignaturesOf } from './decisions';

export interface WorkplaceFacts {
	id: string;
	state: WorkplaceEvidence['state'];
	submittedAt: string | null;
	/** The decision in force (the newest signed one). */
	decision?: Pick<WorkplaceDecision, 'outcome' | 'signedAt'>;
	/** Whether the decision in force counts, or waits on (or was refused) a qualified assessor's countersignature. */
	countersign?: CountersignStanding;
}

export const WORKPLACE_STATE_LABELS: Record<WorkplaceState, string> = {
	draft: 'Draft',
	submitted: ATTEMPT_STATE_LABELS.submitted,
	'awaiting-countersignature': ATTEMPT_STATE_LABELS['awaiting-countersignature'],
	'sent-back': ATTEMPT_STATE_LABELS['sent-back'],
	'signed-off': ATTEMPT_STATE_LABELS['signed-off'],
	'not-yet-met': ATTEMPT_STATE_LABELS['not-yet-met'],
	'resubmission-asked': ATTEMPT_STATE_LABELS['resubmission-asked']
};

export function workplaceStateOf(facts: WorkplaceFacts): WorkplaceState {
	const { decision } = facts;
	// Submitted again after a resubmission request: back for assessment, whatever the request said.
	const resubmitted = decision?.outcome === 'resubmission-requested' && facts.state === 'submitted' && (facts.submittedAt ?? '') > decision.signedAt;
	if (!decision || resubmitted) return facts.state === 'draft' ? 'draft' : 'submitted';
	if (decision.outcome === 'resubmission-requested') return 'resubmission-asked';
	if (facts.countersign === 'awaiting') return 'awaiting-countersignature';
	if (facts.countersign === 'sent-back') return 'sent-back';
	return decision.outcome === 'met' ? 'signed-off' : 'not-yet-met';
}

function nextStep(state: WorkplaceState, href: string): Pick<WorkplaceStatus, 'next' | 'tone' | 'href'> {
	switch (state) {
		case 'draft':
			return { next: 'Finish it and submit it', tone: 'red', href };
		case 'submitted':
		case 'sent-back':
			return { next: 'Waiting for your assessor', tone: 'amber', href };
		case 'awaiting-countersignature':
			return { next: 'Waiting for a qualified assessor to countersign', tone: 'amber', href };
		case 'signed-off':
			return { next: 'Done: read the feedback', tone: 'green', href };
		case 'not-yet-met':
			return { next: 'Read the feedback and add more evidence', tone: 'red', href };
		case 'resubmission-asked':
			return { next: 'Read the feedback, change it and submit it again', tone: 'red', href };
	}
}

/** Where the evidence stands and the learner's next step. */
export function workplaceStatus(facts: WorkplaceFacts): WorkplaceStatus {
	const state = workplaceStateOf(facts);
	return { state, label: WORKPLACE_STATE_LABELS[state], ...nextStep(state, `/learn/evidence/${facts.id}`) };
}

/** The status of each of a learner's pieces of evidence given, read in two queries whatever their number. */
export async function workplaceStatuses(db: Db, learnerId: string, items: readonly Pick<WorkplaceEvidence, 'id' | 'state' | 'submittedAt'>[]): Promise<Map<string, WorkplaceStatus>> {
	const latest = new Map<string, WorkplaceDecision>();
	// Newest first: the first seen for each piece of evidence is the decision in force.
	for (const d of await dbAll(db.select().from(workplaceDecision).where(eq(workplaceDecision.learnerId, learnerId)).orderBy(desc(workplaceDecision.sequence)))) {
		if (!latest.has(d.evidenceId)) latest.set(d.evidenceId, d);
	}
	const countersignatures = await workplaceCountersignaturesOf(db, [...latest.values()].filter((d) => d.requiresCountersignature).map((d) => d.id));
	return new Map(
		items.map((item) => {
			const decision = latest.get(item.id);
			return [item.id, workplaceStatus({ ...item, decision, countersign: decision && countersignStanding(decision, countersignatures.get(decision.id)) })];
		})
	);
}

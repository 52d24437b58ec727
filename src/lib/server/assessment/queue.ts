/**
 * The assessor's queue: the submitted attempts of the learners they assess. "Submitted" means an
 * ended attempt whose reflection the learner has submitted: the attempt and the account of it are
 * judged together.
 */
import { dbAll } from '$lib/core/database';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import { reflection, type Reflection } from '$lib/server/db/schema';
import type { AssessmentDecision, DecisionOutcome } from '$lib/server/db/assessment';
import { learnersAssessedBy } from '$lib/server/cohort-membership';
import { findScenarioVersion } from '$lib/server/scenarios';
import { attemptStateOf, attemptStatuses } from '$lib/server/attempt-status';
import type { AttemptStatus } from '$lib/views/attempt-status';
import { countersignStanding, countersignaturesOf, latestDecisions, type CountersignStanding } from './decisions';

export const QUEUE_STATES = ['awaiting', 'countersignature', 'resubmission-requested', 'decided'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export const QUEUE_STATE_LABELS: Record<QueueState, string> = {
	awaiting: 'Awaiting decision',
	countersignature: 'Awaiting countersignature',
	'resubmission-requested': 'Resubmission requested',
	decided: 'Decided'
};

export interface QueueItem {
	attemptId: string;
	learnerId: string;
	learnerName: string;
	scenarioId: string;
	title: string;
	endedAt: string | null;
	/** When the reflection was (last) submitted; null while a resubmission is being written. */
	submittedAt: string | null;
	state: QueueState;
	/** Where it stands and the assessor's next step. */
	standing: AttemptStatus;
	/** The decision in force, if any. */
	latest: { outcome: DecisionOutcome; signedName: string; signedAt: string } | null;
}

export interface QueueFilters {
	learnerId?: string;
	scenarioId?: string;
	state?: QueueState;
}

/** The queue's coarser view of where an attempt stands (server/attempt-status.ts decides it); null: not in the queue. */
export function stateOf(
	written: Pick<Reflection, 'status' | 'submittedAt'> | undefined,
	latest: Pick<AssessmentDecision, 'outcome' | 'signedAt'> | undefined,
	countersign?: CountersignStanding
): QueueState | null {
	const state = attemptStateOf({ id: '', status: 'ended', reflection: written, decision: latest, countersign });
	switch (state) {
		case 'submitted':
		case 'being-assessed':
		case 'sent-back':
			return 'awaiting';
		case 'awaiting-countersignature':
			return 'countersignature';
		case 'resubmission-asked':
			return 'resubmission-requested';
		case 'signed-off':
		case 'not-yet-met':
			return 'decided';
		default:
			return null;
	}
}

/**
 * The attempts submitted for assessment by the learners this assessor assesses (never their own),
 * oldest submission first, with the filters applied. Also lists what the filters can choose from.
 */
export async function assessmentQueue(db: Db, assessorId: string, filters: QueueFilters = {}) {
	const learners = (await learnersAssessedBy(db, assessorId)).filter((l) => l.id !== assessorId);
	const names = new Map(learners.map((l) => [l.id, l.displayName]));
	const all: QueueItem[] = [];
	if (learners.length > 0) {
		const rows = await dbAll(db
			.select({ id: attempt.id, ownerId: attempt.ownerId, scenarioId: attempt.scenarioId, scenarioVersion: attempt.scenarioVersion, endedAt: attempt.endedAt })
			.from(attempt)
			.where(and(inArray(attempt.ownerId, [...names.keys()]), eq(attempt.status, 'ended'))));
		const ids = rows.map((r) => r.id);
		const reflections = new Map(
			(ids.length === 0 ? [] : await dbAll(db.select().from(reflection).where(inArray(reflection.attemptId, ids)))).map((r) => [r.attemptId, r])
		);
		const latest = await latestDecisions(db, ids);
		const countersignatures = await countersignaturesOf(db, [...latest.values()].filter((d) => d.requiresCountersignature).map((d) => d.id));
		const standings = await attemptStatuses(db, ids, 'assessor');
		const titles = new Map<string, string>();
		for (const row of rows) {
			const written = reflections.get(row.id);
			const decision = latest.get(row.id);
			const state = stateOf(written, decision, decision ? countersignStanding(decision, countersignatures.get(decision.id)) : undefined);
			if (!state) continue;
			const versionId = `${row.scenarioId}@${row.scenarioVersion}`;
			if (!titles.has(versionId)) titles.set(versionId, (await findScenarioVersion(db, versionId))?.title ?? row.scenarioId);
			all.push({
				attemptId: row.id,
				learnerId: row.ownerId,
				learnerName: names.get(row.ownerId) ?? '',
				scenarioId: row.scenarioId,
				title: titles.get(versionId)!,
				endedAt: row.endedAt,
				submittedAt: written?.status === 'submitted' ? written.submittedAt : null,
				state,
				standing: standings.get(row.id)!,
				latest: decision ? { outcome: decision.outcome, signedName: decision.signedName, signedAt: decision.signedAt } : null
			});
		}
	}
	// Oldest first: by submission, and a resubmission being written by when its request was signed.
	const key = (item: QueueItem) => item.submittedAt ?? item.latest?.signedAt ?? item.endedAt ?? '';
	all.sort((a, b) => key(a).localeCompare(key(b)) || a.attemptId.localeCompare(b.attemptId));
	const scenarios = [...new Map(all.map((i) => [i.scenarioId, i.title])).entries()]
		.map(([id, title]) => ({ id, title }))
		.sort((a, b) => a.title.localeCompare(b.title));
	const items = all.filter(
		(i) =>
			(!filters.learnerId || i.learnerId === filters.learnerId) &&
			(!filters.scenarioId || i.scenarioId === filters.scenarioId) &&
			(!filters.state || i.state === filters.state)
	);
	return {
		items,
		total: all.length,
		counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, all.filter((i) => i.state === s).length])) as Record<QueueState, number>,
		options: { learners: learners.map((l) => ({ id: l.id, name: l.displayName })), scenarios }
	};
}

/** Reads queue filters from a URL's query, ignoring anything that is not one of the choices. */
export function queueFilters(params: URLSearchParams): QueueFilters {
	const pick = (name: string) => {
		const value = params.get(name);
		return value && value.length <= 200 ? value : undefined;
	};
	const state = pick('state');
	return {
		learnerId: pick('learner'),
		scenarioId: pick('scenario'),
		state: (QUEUE_STATES as readonly string[]).includes(state ?? '') ? (state as QueueState) : undefined
	};
}

/**
 * The signed decisions a sampling plan samples, from every kind of assessment: one source per kind,
 * each returning the decisions that count (signed, not awaiting a countersignature, in force) of
 * the learners given, in one shape. A new kind of decision is one more entry in DECISION_SOURCES.
 */
import { mapInOrder } from '$lib/core/in-order';
import type { Db } from '$lib/core/database';
import type { SampleDecisionKind } from '$lib/server/db/quality';
import type { SampleMethod } from '$lib/server/db/sampling';
import { decisionsInForce } from '$lib/server/assessment';
import { workplaceDecisionsCounting } from '$lib/server/workplace/decisions';

/** A decision that counts, as the sampling plan sees it. */
export interface ListedDecision {
	kind: SampleDecisionKind;
	decisionId: string;
	learnerId: string;
	assessorId: string;
	signedAt: string;
	/** The criterion codes the decision judged. */
	criteria: string[];
	/** The assessment methods the judged evidence used. */
	methods: SampleMethod[];
}

export type DecisionSource = (db: Db, learnerIds: readonly string[]) => Promise<ListedDecision[]>;

/**
 * Decisions on simulation attempts: the attempt is a simulation and the learner's reflection is
 * part of what the assessor judged (assessment/hashing.ts JudgedEvidence), so both methods.
 */
export const simulationDecisions: DecisionSource = async (db, learnerIds) =>
	(await mapInOrder(learnerIds, async (learnerId) =>
		(await decisionsInForce(db, learnerId)).map(
			(d): ListedDecision => ({
				kind: 'simulation',
				decisionId: d.id,
				learnerId: d.learnerId,
				assessorId: d.assessorId,
				signedAt: d.signedAt,
				criteria: d.criteria.map((c) => c.code),
				methods: ['simulation', 'reflection']
			})
		)
	)).flat();

/** Decisions on workplace evidence (their own table): the learner's files and STAR account. */
export const workplaceDecisions: DecisionSource = async (db, learnerIds) =>
	(await mapInOrder(learnerIds, async (learnerId) =>
		(await workplaceDecisionsCounting(db, learnerId)).map(
			(d): ListedDecision => ({
				kind: 'workplace',
				decisionId: d.id,
				learnerId: d.learnerId,
				assessorId: d.assessorId,
				signedAt: d.signedAt,
				criteria: d.criteria.map((c) => c.code),
				methods: ['workplace-evidence']
			})
		)
	)).flat();

/** Every source of decisions. */
export const DECISION_SOURCES: readonly DecisionSource[] = [simulationDecisions, workplaceDecisions];

/** The decisions that count of the learners given, from every source, oldest first. */
export async function countedDecisions(db: Db, learnerIds: readonly string[], sources: readonly DecisionSource[] = DECISION_SOURCES): Promise<ListedDecision[]> {
	if (learnerIds.length === 0) return [];
	return (await mapInOrder(sources, async (source) => await source(db, learnerIds))).flat()
		.sort((a, b) => a.signedAt.localeCompare(b.signedAt) || a.decisionId.localeCompare(b.decisionId));
}

/**
 * Marking an attempt: every marking point of the scenario evaluated over the attempt's event log,
 * with the evidence and the feedback the debrief shows. Nothing here knows any scenario: a new
 * scenario is a new file.
 */
import { CRITERIA, type CriterionCode } from '../criteria';
import type { SimEvent } from './events';
import { createEventLog, evaluateOn, type EvaluateOptions } from './rules';
import type { Scenario } from './scenario-schema';

export interface PointResult {
	id: string;
	description: string;
	met: boolean;
	critical: boolean;
	/** Share of the score; 0 for a critical point, which is pass/fail instead. */
	weight: number;
	/** Ids of the events that prove the outcome, in log order (none for a met "absent" rule). */
	evidence: string[];
	/** The point's feedback for the outcome. */
	feedback: string;
	criteria: CriterionCode[];
}

export interface MarkingResult {
	points: PointResult[];
	/**
	 * Weighted percentage of the non-critical points met, rounded to one decimal place; 100 when
	 * the scenario has no weighted points.
	 */
	score: number;
	/** Weight of the non-critical points met, and of all of them. */
	earned: number;
	possible: number;
	/** No critical point missed. */
	passed: boolean;
	/** Ids of the critical points not met. */
	criticalMisses: string[];
	/** The criteria of the met points, in the unit's order. A failed attempt still lists them. */
	criteriaEvidenced: CriterionCode[];
}

export function markAttempt(scenario: Scenario, events: readonly SimEvent[], options: EvaluateOptions = {}): MarkingResult {
	const log = createEventLog(events, options);
	const points = scenario.marking.map((point): PointResult => {
		const { met, evidence } = evaluateOn(point.rule, log);
		const critical = point.critical === true;
		return {
			id: point.id,
			description: point.description,
			met,
			critical,
			weight: critical ? 0 : (point.weight ?? 0),
			evidence,
			feedback: met ? point.feedback.met : point.feedback.notMet,
			criteria: point.criteria
		};
	});
	const weighted = points.filter((p) => !p.critical);
	const possible = weighted.reduce((sum, p) => sum + p.weight, 0);
	const earned = weighted.filter((p) => p.met).reduce((sum, p) => sum + p.weight, 0);
	const criticalMisses = points.filter((p) => p.critical && !p.met).map((p) => p.id);
	const evidenced = new Set(points.filter((p) => p.met).flatMap((p) => p.criteria));
	return {
		points,
		score: possible === 0 ? 100 : Math.round((earned / possible) * 1000) / 10,
		earned,
		possible,
		passed: criticalMisses.length === 0,
		criticalMisses,
		criteriaEvidenced: CRITERIA.map((c) => c.code).filter((code) => evidenced.has(code))
	};
}

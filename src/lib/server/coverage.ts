import { CRITERIA, type CriterionKind } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { attemptsOf, type AttemptSummary } from '$lib/server/attempts';
import { currentScenarios } from '$lib/server/scenarios';

/**
 * The learner's coverage map: every criterion of the unit and the evidence for it.
 * - met: an ended, passed attempt met a marking point that evidences it;
 * - in-progress: an attempt under way is on a scenario covering it, or an attempt met a point for it
 *   but failed on a critical point (evidence, but not yet good evidence);
 * - none: nothing yet.
 * "Signed off" (an assessor's signed decision) comes with the assessor's workflow.
 */
export type CoverageState = 'none' | 'in-progress' | 'met' | 'signed-off';

export interface CoverageRow {
	code: string;
	kind: CriterionKind;
	title: string;
	state: CoverageState;
	attempts: { id: string; title: string; state: CoverageState }[];
}

const RANK: Record<CoverageState, number> = { none: 0, 'in-progress': 1, met: 2, 'signed-off': 3 };

export function coverageOf(
	attempts: readonly AttemptSummary[],
	scenarioCriteria: ReadonlyMap<string, readonly string[]>
): CoverageRow[] {
	return CRITERIA.map((criterion) => {
		const evidence: CoverageRow['attempts'] = [];
		for (const a of attempts) {
			let state: CoverageState = 'none';
			if (a.status === 'ended') {
				if (a.criteriaEvidenced.includes(criterion.code)) state = a.passed ? 'met' : 'in-progress';
			} else if (scenarioCriteria.get(a.scenarioId)?.includes(criterion.code)) {
				state = 'in-progress';
			}
			if (state !== 'none') evidence.push({ id: a.id, title: a.title, state });
		}
		const state = evidence.reduce<CoverageState>((best, e) => (RANK[e.state] > RANK[best] ? e.state : best), 'none');
		return { code: criterion.code, kind: criterion.kind, title: criterion.title, state, attempts: evidence };
	});
}

/** A learner's coverage map from everything stored: the one entry point pages and the PDF use. */
export function learnerCoverage(db: Db, learnerId: string): CoverageRow[] {
	const scenarioCriteria = new Map(currentScenarios(db).map((s) => [s.scenarioId, s.criteria]));
	return coverageOf(attemptsOf(db, learnerId), scenarioCriteria);
}

export const COVERAGE_LABELS: Record<CoverageState, string> = {
	none: 'No evidence yet',
	'in-progress': 'In progress',
	met: 'Met in the simulator',
	'signed-off': 'Signed off by your assessor'
};

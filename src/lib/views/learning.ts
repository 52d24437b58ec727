/**
 * What the learner's pages (and the assessor's view of a learner) show of attempts and coverage.
 * Types only: server/attempts.ts and server/coverage.ts return these shapes and components/learn
 * takes them as props.
 */
import type { Verdict } from '$lib/sim/marking';
import type { AttemptStatus } from './attempt-status';

/** One attempt as a list shows it. */
export interface AttemptSummary {
	id: string;
	scenarioId: string;
	scenarioVersion: string;
	title: string;
	status: 'in-progress' | 'ended';
	startedAt: string;
	endedAt: string | null;
	score: number | null;
	passed: boolean | null;
	/** The verdict as people read it: a score is never shown without it. */
	verdict: Verdict | null;
	criteriaEvidenced: string[];
	/** Where it stands and the learner's next step. */
	standing: AttemptStatus;
}

/**
 * How far a criterion is evidenced (server/coverage.ts decides it):
 * none → in-progress → met (in the simulator) → signed-off (by an assessor).
 */
export type CoverageState = 'none' | 'in-progress' | 'met' | 'signed-off';

/** How many criteria are in one state, with the state's label. */
export interface CoverageCount {
	state: CoverageState;
	label: string;
	count: number;
}

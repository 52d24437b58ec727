/**
 * Where an attempt stands and what comes next, as lists show it (server/attempt-status.ts decides
 * it; components take it as props). Types only.
 */

/**
 * in-progress: the call is under way; reflecting: the call ended, the reflection is not yet
 * submitted; submitted: awaiting assessment; being-assessed: an assessor has saved a draft decision;
 * signed-off: met (competent); not-yet-met: decided not yet competent; resubmission-asked: the
 * assessor reopened the reflection for the learner to rewrite; awaiting-countersignature: a trainee
 * assessor decided and a qualified assessor has not countersigned yet (it does not count until
 * then); sent-back: the qualified assessor sent the trainee's decision back for a new one.
 */
export type AttemptState =
	| 'in-progress'
	| 'reflecting'
	| 'submitted'
	| 'being-assessed'
	| 'awaiting-countersignature'
	| 'sent-back'
	| 'signed-off'
	| 'not-yet-met'
	| 'resubmission-asked';

/** Red: the viewer must act (or it is overdue); amber: waiting on someone else; green: done. */
export type AttemptTone = 'red' | 'amber' | 'green';

export type AttemptViewer = 'learner' | 'assessor';

export interface AttemptStatus {
	state: AttemptState;
	/** The state in words: "Submitted", "Resubmission asked". */
	label: string;
	/** The next step in words, for this viewer: "Write your reflection", "Mark this attempt". */
	next: string;
	tone: AttemptTone;
	/** Where the next step is taken; null when there is nowhere for this viewer to go yet. */
	href: string | null;
}

/** A count on a home page, linking to the list or section it counts. */
export interface HomeCount {
	key: string;
	label: string;
	count: number;
	href: string;
	tone: AttemptTone;
}

/** An assignment whose due date has passed with no attempt at it submitted for assessment. */
export interface OverdueAssignment {
	learnerId: string;
	learnerName: string;
	scenarioId: string;
	title: string;
	dueOn: string;
	/** Days since the due date (1 the day after). */
	daysOverdue: number;
}

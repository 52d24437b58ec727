/**
 * What the cohort pages show a learner of the scenarios set for them. Types only: server/cohorts.ts
 * returns these shapes and components/cohorts takes them as props.
 */

export type AssignmentStatus = 'not-started' | 'in-progress' | 'done';

export interface LearnerAssignment {
	id: string;
	cohortName: string;
	scenarioId: string;
	title: string;
	dueOn: string;
	note: string;
	/** Days from today to the due date: negative when overdue. */
	daysLeft: number;
	status: AssignmentStatus;
}

/**
 * What the administration pages show of the centre's users. Types only: the server
 * (server/user-admin.ts) returns these shapes and the components (components/admin) take them as props.
 */

/** One user in the centre's list; `Role` is the server's role names (server/db/schema.ts ROLES). */
export interface UserListEntry<Role extends string = string> {
	id: string;
	email: string;
	displayName: string;
	active: boolean;
	mustChangePassword: boolean;
	/** While the password is a one-time password: when it stops working (see auth/one-time-password.ts). */
	oneTimePasswordExpiresAt: number | null;
	roles: Role[];
	createdAt: string;
}

export interface ImportProblem {
	/** The file's line, the header being line 1 (as a spreadsheet numbers rows); 0 for the whole file. */
	row: number;
	column: 'email' | 'name' | 'cohort' | 'file';
	message: string;
}

export interface ImportedAccount {
	row: number;
	email: string;
	displayName: string;
	cohort: string;
	oneTimePassword: string;
}

/** What an import of learners from CSV did: every row imported or reported. */
export interface ImportReport {
	/** Data rows read (blank lines skipped). */
	rows: number;
	imported: ImportedAccount[];
	problems: ImportProblem[];
}

/** One job of the scheduled work (server/jobs/scheduled-work.ts) and where it stands. */
export interface ScheduledWorkEntry {
	job: string;
	label: string;
	/** running: an instance holds it now; stalled: its holder stopped mid-run and another will take it over. */
	state: 'not-run' | 'running' | 'stalled' | 'ok' | 'failed';
	lastStartedAt: string | null;
	/** The instance that last ran it (INSTANCE_ID, or host:pid:random). */
	lastStartedBy: string | null;
	lastFinishedAt: string | null;
	error: string | null;
}

/** A grade the LMS refused for good (server/lti/services/grade-return.ts), as /admin lists it. */
export interface GradeReturnFailure {
	id: string;
	attemptId: string;
	learnerName: string;
	scenarioTitle: string;
	/** The attempt's score, or the assessor's signed decision. */
	kind: 'score' | 'decision';
	tries: number;
	lastError: string;
	failedAt: string;
}

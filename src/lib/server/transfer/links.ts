/**
 * What the schema's foreign keys do not say, and db:export needs to know to pick out one centre's
 * rows: the columns that name another row without a foreign key (an opaque owner id, a polymorphic
 * decision id, a composed version id), and the tables that are never carried.
 *
 * A column added later that names another row without a foreign key belongs here; a table added
 * later with no foreign key and no link here is refused by a centre export (centre-scope.ts), so
 * it cannot be left behind unseen.
 */

/**
 * Never exported (README, "Moving data between databases"): rows that belong to one running
 * installation, not to the centre's records.
 * - session: log-ins in progress, bound to this installation's cookies; everyone logs in again.
 * - login_throttle: counts of recent failed log-ins, minutes long.
 * - password_reset: reset links already e-mailed, valid for 30 minutes.
 * - record_disposal_permit: exists only inside a disposal's own transaction, so always empty.
 * - job_lease: which instance runs which scheduled job now; the new installation runs its own.
 * - render_slot: a portfolio render in progress on this installation, minutes long.
 * - xapi_lrs: the centre's LRS with its secret in clear (for Basic auth), which an archive must not
 *   carry; the administrator enters it again on the new installation. Its outbox is carried, and
 *   waits until then (statement ids are derived, so anything sent twice is kept once by the LRS).
 * - lti_tool_key: this installation's LTI signing keys; the new one makes and publishes its own
 *   (platforms fetch our JWKS, so they follow).
 * - lti_login_state, lti_handoff, lti_registration_link: LTI launches and registrations in
 *   progress, minutes (a registration link an hour) long.
 */
export const TRANSIENT_TABLES = [
	'session',
	'login_throttle',
	'password_reset',
	'record_disposal_permit',
	'job_lease',
	'render_slot',
	'xapi_lrs',
	'lti_tool_key',
	'lti_login_state',
	'lti_handoff',
	'lti_registration_link'
] as const;

/**
 * Tables whose rows the app orders by when they were inserted, where their times tie: SQLite's rowid,
 * PostgreSQL's `insertion_order` identity column (core/database.ts insertionOrder, the end of
 * drizzle-pg/0000_pg.sql), and for customers the name search's ranking by creation (SQLite's rowid,
 * PostgreSQL's customer_name_search.position). An archive carries their rows in that order and
 * db:import inserts them in it, so rows of one instant keep their order across a move; every other
 * table's rows are in primary-key order. A table given an insertion_order column later belongs here
 * (the PostgreSQL transfer test compares this list with the database's columns).
 */
export const INSERTION_ORDERED_TABLES: readonly string[] = [
	'authorised_third_party',
	'breach',
	'consent',
	'criminal_offence_value',
	'customer',
	'customer_field',
	'customer_field_history',
	'disclosure',
	'finding',
	'interaction',
	'iqa_action_event',
	'marketing_objection',
	'redaction',
	'request_transition',
	'rights_request',
	'special_category_value',
	'verification_attempt'
];

/** A row as read for an archive: database column names to values. */
export type RowValues = Record<string, unknown>;

export interface SoftLink {
	table: string;
	/** The columns the link reads (database names). */
	columns: string[];
	parent: string;
	parentColumns: string[];
	/** The parent's key named by the row, or null when it names none. */
	value(row: RowValues): unknown[] | null;
	/**
	 * 'owned': the row belongs to the parent's centre (as with a foreign key); 'needs': the parent
	 * travels with the row (a shared built-in scenario version, a decision sampled) but owns nothing.
	 */
	kind: 'owned' | 'needs';
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const one = (value: unknown): unknown[] | null => (text(value) === null ? null : [value]);
const decisionTable = { simulation: 'assessment_decision', workplace: 'workplace_decision' } as const;

/** A sampled decision's id names a row of the table its kind says (quality.ts SAMPLE_DECISION_KINDS). */
function sampledDecision(table: string): SoftLink[] {
	return Object.entries(decisionTable).map(([kind, parent]) => ({
		table,
		columns: ['decision_kind', 'decision_id'],
		parent,
		parentColumns: ['id'],
		value: (row) => (row.decision_kind === kind ? one(row.decision_id) : null),
		kind: 'needs'
	}));
}

export const SOFT_LINKS: readonly SoftLink[] = [
	{
		// The simulator knows nothing of users: a learner's id, or `preview:<tutorId>` for a tutor's preview.
		table: 'attempt',
		columns: ['owner_id'],
		parent: 'user',
		parentColumns: ['id'],
		value: (row) => one(typeof row.owner_id === 'string' ? row.owner_id.replace(/^preview:/, '') : null),
		kind: 'owned'
	},
	{
		// The version an attempt was played on (server/attempts.ts: `${scenarioId}@${version}`).
		table: 'attempt',
		columns: ['scenario_id', 'scenario_version'],
		parent: 'scenario_version',
		parentColumns: ['id'],
		value: (row) => (text(row.scenario_id) && text(row.scenario_version) ? [`${row.scenario_id as string}@${row.scenario_version as string}`] : null),
		kind: 'needs'
	},
	{ table: 'reflection', columns: ['attempt_id'], parent: 'attempt', parentColumns: ['id'], value: (row) => one(row.attempt_id), kind: 'owned' },
	// LTI grade return (db/lti-services.ts): attempt ids without foreign keys, so disposal is never blocked.
	{ table: 'lti_attempt_link', columns: ['attempt_id'], parent: 'attempt', parentColumns: ['id'], value: (row) => one(row.attempt_id), kind: 'owned' },
	{ table: 'lti_grade_return', columns: ['attempt_id'], parent: 'attempt', parentColumns: ['id'], value: (row) => one(row.attempt_id), kind: 'owned' },
	{ table: 'lti_context', columns: ['organisation_id'], parent: 'organisation', parentColumns: ['id'], value: (row) => one(row.organisation_id), kind: 'owned' },
	{
		// A centre's own scenario's versions; built-in versions match no centre_scenario and are shared.
		table: 'scenario_version',
		columns: ['scenario_id', 'origin'],
		parent: 'centre_scenario',
		parentColumns: ['scenario_id'],
		value: (row) => (row.origin === 'centre' ? one(row.scenario_id) : null),
		kind: 'owned'
	},
	{ table: 'scenario_version', columns: ['derived_from'], parent: 'scenario_version', parentColumns: ['id'], value: (row) => one(row.derived_from), kind: 'needs' },
	{ table: 'iqa_sample', columns: ['plan_id'], parent: 'sampling_plan', parentColumns: ['id'], value: (row) => one(row.plan_id), kind: 'needs' },
	...sampledDecision('iqa_sample'),
	...sampledDecision('work_lock_event'),
	{ table: 'assessment_decision', columns: ['supersedes_id'], parent: 'assessment_decision', parentColumns: ['id'], value: (row) => one(row.supersedes_id), kind: 'needs' },
	{ table: 'workplace_decision', columns: ['supersedes_id'], parent: 'workplace_decision', parentColumns: ['id'], value: (row) => one(row.supersedes_id), kind: 'needs' },
	{ table: 'security_event', columns: ['user_id'], parent: 'user', parentColumns: ['id'], value: (row) => one(row.user_id), kind: 'owned' },
	{ table: 'security_event', columns: ['actor_id'], parent: 'user', parentColumns: ['id'], value: (row) => one(row.actor_id), kind: 'owned' }
];

/**
 * Columns whose value is each installation's own, in rows every installation records for itself.
 * When such a row is already in the database it is compared without them (its key says it is the
 * same row); a new one takes `asSibling` when the database already records rows like it (`siblings`).
 */
export interface InstallationColumns {
	table: string;
	columns: string[];
	applies(row: RowValues): boolean;
	siblings(row: RowValues): RowValues;
	asSibling: RowValues;
}

export const INSTALLATION_COLUMNS: readonly InstallationColumns[] = [
	{
		// A built-in scenario version is recorded by each installation from its own scenario files, when it
		// first starts with them (published_at), and the files decide which version is current, again at
		// every start (server/scenarios.ts syncBuiltInScenarios). Its id holds its content hash.
		table: 'scenario_version',
		columns: ['published_at', 'current'],
		applies: (row) => row.origin === 'built-in',
		siblings: (row) => ({ scenario_id: row.scenario_id, origin: 'built-in' }),
		asSibling: { current: false }
	}
];

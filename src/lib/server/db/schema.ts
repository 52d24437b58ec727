import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text, index } from 'drizzle-orm/sqlite-core';

/** The training centre. One row in a normal installation; the id lets tests make more. */
export const organisation = sqliteTable('organisation', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	region: text('region', { enum: ['england-and-wales', 'scotland', 'northern-ireland'] })
		.notNull()
		.default('england-and-wales'),
	dpoName: text('dpo_name').notNull().default(''),
	dpoEmail: text('dpo_email').notNull().default(''),
	dpoPhone: text('dpo_phone').notNull().default(''),
	/** Staff (assessors, tutors, admins) always need MFA; this asks it of learners too. */
	requireMfaForLearners: integer('require_mfa_for_learners', { mode: 'boolean' }).notNull().default(false),
	/** How long the security event log keeps an event (days); older events may be pruned. */
	securityLogRetentionDays: integer('security_log_retention_days').notNull().default(365),
	/**
	 * How long the centre keeps its own records about a learner after certification (issue 17 item 7),
	 * in years: learner evidence (attempts, reflections, testimony, observations, workplace evidence)
	 * and assessment and IQA decisions. Three years by default (awarding bodies' minimum); six is usual
	 * for funded programmes.
	 */
	evidenceRetentionYears: integer('evidence_retention_years').notNull().default(3),
	decisionRetentionYears: integer('decision_retention_years').notNull().default(3),
	updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
});

export const user = sqliteTable(
	'user',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		/** Stored lower-cased and trimmed; unique. */
		email: text('email').notNull().unique(),
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash').notNull(),
		/** Set for an account made with a one-time password: it must be changed at next log in. */
		mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
		/**
		 * While the password is a one-time password an administrator issued: when it stops working
		 * (epoch milliseconds). Null once the user has chosen their own password.
		 */
		oneTimePasswordExpiresAt: integer('one_time_password_expires_at'),
		/** The TOTP key (RFC 6238), 20 random bytes, hex; null until MFA is enrolled. */
		totpKey: text('totp_key'),
		/** When MFA enrolment was confirmed with a first valid code; null when not enrolled. */
		mfaEnrolledAt: text('mfa_enrolled_at'),
		/** The last TOTP time step accepted, so one code cannot be replayed (RFC 6238 §5.2). */
		totpLastStep: integer('totp_last_step'),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		createdAt: text('created_at').notNull()
	},
	(t) => [index('user_organisation_idx').on(t.organisationId)]
);

/**
 * iqa: the centre's internal quality assurer (assessor profiles, risk; issue 17). eqa: an external
 * quality assurer the centre lets in, read-only, to a sample for a while (db/eqa.ts).
 */
export const ROLES = ['learner', 'assessor', 'tutor', 'admin', 'iqa', 'eqa'] as const;
export type Role = (typeof ROLES)[number];

export const userRole = sqliteTable(
	'user_role',
	{
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.role] })]
);

/** Sessions after the Lucia guide: the id is the SHA-256 of the token, never the token itself. */
export const session = sqliteTable(
	'session',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** Sliding expiry (epoch milliseconds). */
		expiresAt: integer('expires_at').notNull(),
		/** Absolute lifetime: the session ends here whatever its use (epoch milliseconds). */
		absoluteExpiresAt: integer('absolute_expires_at').notNull(),
		/** Last time the session was used, for the inactivity timeout (epoch milliseconds). */
		lastSeenAt: integer('last_seen_at').notNull(),
		createdAt: integer('created_at').notNull(),
		/** Whether this session has passed the second factor (TOTP or a recovery code). */
		mfaVerified: integer('mfa_verified', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

/** MFA recovery codes: ten per enrolment, each single-use, only their SHA-256 stored. */
export const recoveryCode = sqliteTable(
	'recovery_code',
	{
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		usedAt: text('used_at')
	},
	(t) => [primaryKey({ columns: [t.userId, t.codeHash] })]
);

export const SECURITY_EVENT_TYPES = [
	'login.succeeded',
	'login.failed',
	'login.throttled',
	'login.locked',
	'logout',
	'password.changed',
	'password.change-failed',
	'password.change-throttled',
	'password.reset.requested',
	'password.reset.completed',
	'password.reset.refused',
	'one-time-password.issued',
	'one-time-password.expired',
	'mfa.enrolled',
	'mfa.verified',
	'mfa.failed',
	'mfa.throttled',
	'mfa.recovery-code-used',
	'mfa.recovery-codes-regenerated',
	'mfa.reset',
	'account.created',
	'account.updated',
	'account.deactivated',
	'account.reactivated',
	'roles.changed',
	'settings.changed',
	'assessor-profile.changed',
	'decision.countersigned',
	'decision.sent-back',
	'iqa-sample.signed',
	'work.locked',
	'work.unlocked',
	'export.portfolio',
	'export.evidence-pack',
	'export.results-csv',
	'export.scenario',
	'access.refused',
	'learner-standing.changed',
	'legal-hold.placed',
	'legal-hold.released',
	'records.disposed',
	'eqa.invited',
	'eqa.revoked',
	'eqa.viewed',
	'eqa.refused',
	'eqa.report-submitted',
	'eqa.report-answered',
	'lti.launched',
	'lti.refused',
	'lti.platform-registered',
	'lti.platform-changed',
	'lti.registration-link-created',
	'lti.keys-rotated',
	'lti.deep-linked',
	'badge.revoked',
	'badge.key-rotated'
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/**
 * The security event log (OWASP ASVS 5.0 §16): who did what, when, from where. Append-only: triggers
 * refuse updates, and deletes of events younger than the centre's retention period. Never holds a
 * password, a token or customer data: `detail` carries identifiers and short codes only.
 */
export const securityEvent = sqliteTable(
	'security_event',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** ISO timestamp (UTC). */
		at: text('at').notNull(),
		type: text('type', { enum: SECURITY_EVENT_TYPES }).notNull(),
		/** The account the event is about (the one logging in, whose roles changed …), when known. */
		userId: text('user_id'),
		/** The account that did it, when not the subject (an administrator changing a user). */
		actorId: text('actor_id'),
		/** The email typed at log-in when no account matched: how an attack on one name is seen. */
		email: text('email'),
		/** The client address as the server saw it (ADDRESS_HEADER behind a proxy). */
		address: text('address'),
		/** The matched route (event.route.id), never the URL with its query. */
		routeId: text('route_id'),
		requestId: text('request_id'),
		/** Short, non-personal facts as JSON: roles added, reason codes, document ids. */
		detail: text('detail', { mode: 'json' }).$type<Record<string, string | number | boolean | string[] | null>>()
	},
	(t) => [index('security_event_at_idx').on(t.at), index('security_event_user_idx').on(t.userId, t.at)]
);
export type SecurityEvent = typeof securityEvent.$inferSelect;

/**
 * Failed log-in attempts, keyed by "account:<email>" or "address:<ip>". Counting by key lets the
 * same rule throttle an account and an address without revealing whether the account exists.
 */
export const loginThrottle = sqliteTable('login_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull(),
	firstFailureAt: integer('first_failure_at').notNull(),
	lastFailureAt: integer('last_failure_at').notNull(),
	lockedUntil: integer('locked_until')
});

/**
 * Self-service password reset links (ASVS 5.0 §6.4.1): only the SHA-256 of the token is kept, the
 * link works once, for 30 minutes, and a newer request for the same user retires the older ones.
 */
export const passwordReset = sqliteTable(
	'password_reset',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** SHA-256 of the token, hex: a copy of the database cannot be turned back into a link. */
		tokenHash: text('token_hash').notNull().unique(),
		/** Epoch milliseconds. */
		createdAt: integer('created_at').notNull(),
		expiresAt: integer('expires_at').notNull(),
		/** When the link was used, or retired by a newer request (epoch milliseconds); null while it works. */
		usedAt: integer('used_at')
	},
	(t) => [index('password_reset_user_idx').on(t.userId)]
);
export type PasswordReset = typeof passwordReset.$inferSelect;

export type User = typeof user.$inferSelect;
export type Session = typeof session.$inferSelect;
export type Organisation = typeof organisation.$inferSelect;

/**
 * Every version of every scenario a learner can play or has played: the built-in files from
 * scenarios/ (recorded at start) and, later, the centre's own. An attempt pins one row, so its
 * evidence never changes under the learner's feet when the file is edited.
 */
export const scenarioVersion = sqliteTable(
	'scenario_version',
	{
		/** `${scenarioId}@${version}` where version is the declared version + content hash. */
		id: text('id').primaryKey(),
		scenarioId: text('scenario_id').notNull(),
		version: text('version').notNull(),
		hash: text('hash').notNull(),
		title: text('title').notNull(),
		difficulty: text('difficulty', { enum: ['foundation', 'intermediate', 'advanced'] }).notNull(),
		criteria: text('criteria', { mode: 'json' }).$type<string[]>().notNull(),
		/** The YAML exactly as published. */
		source: text('source').notNull(),
		origin: text('origin', { enum: ['built-in', 'centre'] }).notNull(),
		publishedAt: text('published_at').notNull(),
		/** The newest version of a built-in file is current; older ones stay for their attempts. */
		current: integer('current', { mode: 'boolean' }).notNull().default(true),
		/**
		 * For a version made when an attempt started, by adding the centre's retention rules to a
		 * published version's seed: that published version's id. Such a version is never current and is
		 * listed (and counted) as the version it derives from.
		 */
		derivedFrom: text('derived_from')
	},
	(t) => [index('scenario_version_scenario_idx').on(t.scenarioId)]
);

/** A learner's STAR account of one attempt (seeds 001: Situation, Task, Action, Result). */
export const reflection = sqliteTable('reflection', {
	attemptId: text('attempt_id').primaryKey(),
	learnerId: text('learner_id')
		.notNull()
		.references(() => user.id),
	situation: text('situation').notNull().default(''),
	task: text('task').notNull().default(''),
	action: text('action').notNull().default(''),
	result: text('result').notNull().default(''),
	status: text('status', { enum: ['draft', 'submitted'] }).notNull().default('draft'),
	updatedAt: text('updated_at').notNull(),
	submittedAt: text('submitted_at')
});

export type ScenarioVersion = typeof scenarioVersion.$inferSelect;
export type Reflection = typeof reflection.$inferSelect;

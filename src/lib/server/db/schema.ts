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
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		createdAt: text('created_at').notNull()
	},
	(t) => [index('user_organisation_idx').on(t.organisationId)]
);

export const ROLES = ['learner', 'assessor', 'tutor', 'admin'] as const;
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
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

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

/**
 * The simulator's tables: one row per attempt at a scenario, the learner's actions in order, and the
 * attempt's own log: the dialogue events (the core's events stay in the workspace's audit log) and
 * the transcript lines; and what the desk knows, kept as the attempt goes. drizzle.config.ts reads
 * this file beside the core's and the server's schema. The shapes of the JSON columns are in
 * attempt-record.ts.
 *
 * An attempt owns one workspace: the sandbox the core seeded from the scenario. Attempts are never
 * deleted, because their workspace's audit log refuses deletes.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Actor } from '../core/context';
import { workspace } from '../core/schema/workspace';
import { ACTION_KINDS, ATTEMPT_STATUSES, TRANSCRIPT_KINDS, type ActionOutcome, type AttemptResult, type NodeView } from './attempt-record';
import type { DeskState } from './desk/state';

export const attempt = sqliteTable(
	'attempt',
	{
		id: text('id').primaryKey(),
		/** Whoever plays it: the server's user id, opaque here (the simulator knows nothing of users). */
		ownerId: text('owner_id').notNull(),
		scenarioId: text('scenario_id').notNull(),
		/** Declared version + content hash ("1.0.0+3f2a9c81d07e"): the version the evidence was made on. */
		scenarioVersion: text('scenario_version').notNull(),
		scenarioHash: text('scenario_hash').notNull(),
		workspaceId: text('workspace_id')
			.notNull()
			.unique()
			.references(() => workspace.id),
		/** Every id, and so every audit hash, is derived from it: the same seed and actions replay exactly. */
		seed: text('seed').notNull(),
		/** The learner as the core records them (id, role from the scenario's learnerRole). */
		actor: text('actor', { mode: 'json' }).$type<Actor>().notNull(),
		status: text('status', { enum: ATTEMPT_STATUSES }).notNull(),
		/** The dialogue node the attempt rests at, and how it looks to the learner. */
		currentNode: text('current_node'),
		node: text('node', { mode: 'json' }).$type<NodeView | null>(),
		/** The scenario clock: ISO 8601 UTC. */
		clock: text('clock').notNull(),
		nextActionSeq: integer('next_action_seq').notNull(),
		/** Audit entries of the workspace up to this seq are the seeded history, not the attempt. */
		seedAuditSeq: integer('seed_audit_seq').notNull(),
		/** Seed key → id the core gave the record. */
		seedIds: text('seed_ids', { mode: 'json' }).$type<Record<string, string>>().notNull(),
		/** Wall-clock times (ISO 8601 UTC), as opposed to the scenario clock. */
		startedAt: text('started_at').notNull(),
		endedAt: text('ended_at'),
		result: text('result', { mode: 'json' }).$type<AttemptResult | null>()
	},
	(t) => [index('attempt_owner_idx').on(t.ownerId, t.startedAt), index('attempt_scenario_idx').on(t.scenarioId, t.status)]
);

/** What the learner did, in order: replaying these on the same scenario version gives the same attempt. */
export const attemptAction = sqliteTable(
	'attempt_action',
	{
		attemptId: text('attempt_id')
			.notNull()
			.references(() => attempt.id),
		/** 1, 2, 3 … per attempt: the learner's page sends the seq it expects, so nothing is applied twice. */
		seq: integer('seq').notNull(),
		kind: text('kind', { enum: ACTION_KINDS }).notNull(),
		/** The choice id, or the core operation's name. */
		name: text('name').notNull(),
		/** The operation's input as sent (null for a choice). */
		input: text('input', { mode: 'json' }).$type<unknown>(),
		outcome: text('outcome', { mode: 'json' }).$type<ActionOutcome>().notNull(),
		/** When it happened on the scenario clock. */
		at: text('at').notNull()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.seq] })]
);

/**
 * The dialogue's events (a choice's declared event, "dialogue.ended"). Each sits after the audit
 * entry `afterAuditSeq` of the workspace and before the next one, which gives core and dialogue
 * events one order (attemptEvents).
 */
export const attemptEvent = sqliteTable(
	'attempt_event',
	{
		attemptId: text('attempt_id')
			.notNull()
			.references(() => attempt.id),
		/** 1, 2, 3 … per attempt, in the order emitted. */
		seq: integer('seq').notNull(),
		id: text('id').notNull(),
		/** The action that emitted it; 0 for entering the dialogue at the start. */
		actionSeq: integer('action_seq').notNull(),
		afterAuditSeq: integer('after_audit_seq').notNull(),
		at: text('at').notNull(),
		name: text('name').notNull(),
		details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.seq] })]
);

/** What was said and done, in plain words, as the learner, the debrief and the assessor read it. */
export const attemptTranscript = sqliteTable(
	'attempt_transcript',
	{
		attemptId: text('attempt_id')
			.notNull()
			.references(() => attempt.id),
		seq: integer('seq').notNull(),
		actionSeq: integer('action_seq').notNull(),
		at: text('at').notNull(),
		kind: text('kind', { enum: TRANSCRIPT_KINDS }).notNull(),
		who: text('who').notNull(),
		text: text('text').notNull(),
		/** The events this line shows: a choice's dialogue event and disclosures, an action's audit entries. */
		eventIds: text('event_ids', { mode: 'json' }).$type<string[]>().notNull()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.seq] })]
);

/**
 * What the simulation desk knows after the attempt's latest action (desk/state.ts), kept as the
 * attempt goes: written in the transaction that stores the action, so the screen reads one row
 * instead of folding every action. A fold of the action log, so replay reproduces it exactly.
 */
export const attemptDesk = sqliteTable('attempt_desk', {
	attemptId: text('attempt_id')
		.primaryKey()
		.references(() => attempt.id),
	/** The seq of the last action folded in (0 before the first). */
	throughSeq: integer('through_seq').notNull(),
	state: text('state', { mode: 'json' }).$type<DeskState>().notNull()
});

export type AttemptRow = typeof attempt.$inferSelect;
export type AttemptActionRow = typeof attemptAction.$inferSelect;
export type AttemptEventRow = typeof attemptEvent.$inferSelect;
export type AttemptTranscriptRow = typeof attemptTranscript.$inferSelect;

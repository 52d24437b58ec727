/**
 * The internal quality assurer's record of a sample (issue 17, item 3).
 *
 * Sampling starts with a snapshot of what the assessor saw and decided, hashed (SHA-256 of RFC 8785
 * canonical JSON) so the IQA's signature binds to it. The IQA's judgement is signed in rounds: each
 * round is immutable once signed (triggers in the migration); work in progress lives in
 * `iqa_sample_draft`. An "assessor to action" judgement makes an action whose history (answered,
 * closed, sent back) is append-only. A round that agrees on every criterion with no open action locks
 * the sampled decision; only a centre admin unlocks it, with a reason. Locks and unlocks are
 * append-only events too: the latest event of a decision says whether it is locked.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { HASH_ENCODINGS } from './assessment';
import { SAMPLE_DECISION_KINDS, iqaSample } from './quality';
import { organisation, user } from './schema';

/** What the IQA looked at: exactly what the assessor saw and decided, as plain JSON, with its hash. */
export const iqaSampleSnapshot = sqliteTable('iqa_sample_snapshot', {
	sampleId: text('sample_id')
		.primaryKey()
		.references(() => iqaSample.id),
	/** The decision, the judged evidence, the criteria judgements and any countersignature, as taken. */
	snapshot: text('snapshot', { mode: 'json' }).$type<unknown>().notNull(),
	/** SHA-256 (hex) of the snapshot's canonical JSON. */
	snapshotHash: text('snapshot_hash').notNull(),
	hashEncoding: text('hash_encoding', { enum: HASH_ENCODINGS }).notNull(),
	takenBy: text('taken_by')
		.notNull()
		.references(() => user.id),
	takenAt: text('taken_at').notNull()
});

/** The four checks of the assessor's judgement of the evidence (VACS). */
export const VACS_CHECKS = ['valid', 'authentic', 'current', 'sufficient'] as const;
export type VacsCheck = (typeof VACS_CHECKS)[number];
/** Per check: did the assessor confirm it (yes/no), with the IQA's note. */
export type VacsRecord = Record<VacsCheck, { confirmed: boolean; note: string }>;

export const CRITERION_VERDICTS = ['agree', 'action'] as const;
export type CriterionVerdict = (typeof CRITERION_VERDICTS)[number];

/** One criterion as the IQA judged the assessor's decision on it. */
export interface CriterionReview {
	code: string;
	verdict: CriterionVerdict;
	/** What the assessor must do (verdict 'action'); empty when agreed. */
	action: string;
	/** By when (YYYY-MM-DD; verdict 'action'); empty when agreed. */
	targetDate: string;
}

/** One signed round of the IQA's judgement of a sample. Immutable (triggers). */
export const iqaSampleRound = sqliteTable(
	'iqa_sample_round',
	{
		id: text('id').primaryKey(),
		sampleId: text('sample_id')
			.notNull()
			.references(() => iqaSample.id),
		/** 1, 2, 3 … per sample. */
		round: integer('round').notNull(),
		iqaId: text('iqa_id')
			.notNull()
			.references(() => user.id),
		/** The snapshot's hash as judged: what the signature binds to. */
		snapshotHash: text('snapshot_hash').notNull(),
		vacs: text('vacs', { mode: 'json' }).$type<VacsRecord>().notNull(),
		criteria: text('criteria', { mode: 'json' }).$type<CriterionReview[]>().notNull(),
		/** Feedback to the assessor: never shown to the learner. */
		feedback: text('feedback').notNull(),
		signedName: text('signed_name').notNull(),
		signedAt: text('signed_at').notNull(),
		/** SHA-256 (hex) of the canonical round, snapshot hash, signer and time. */
		signatureHash: text('signature_hash').notNull(),
		hashEncoding: text('hash_encoding', { enum: HASH_ENCODINGS }).notNull()
	},
	(t) => [uniqueIndex('iqa_sample_round_unique').on(t.sampleId, t.round)]
);

/** The IQA's unsigned work on the next round of a sample, saved as they go and discarded once signed. */
export const iqaSampleDraft = sqliteTable('iqa_sample_draft', {
	sampleId: text('sample_id')
		.primaryKey()
		.references(() => iqaSample.id),
	iqaId: text('iqa_id')
		.notNull()
		.references(() => user.id),
	content: text('content', { mode: 'json' }).$type<unknown>().notNull(),
	updatedAt: text('updated_at').notNull()
});

/** An action a signed round set the assessor on one criterion. Immutable; its progress is in iqa_action_event. */
export const iqaAction = sqliteTable(
	'iqa_action',
	{
		id: text('id').primaryKey(),
		sampleId: text('sample_id')
			.notNull()
			.references(() => iqaSample.id),
		roundId: text('round_id')
			.notNull()
			.references(() => iqaSampleRound.id),
		/** The assessor of the sampled decision, who answers it. */
		assessorId: text('assessor_id')
			.notNull()
			.references(() => user.id),
		criterion: text('criterion').notNull(),
		action: text('action').notNull(),
		targetDate: text('target_date').notNull(),
		createdAt: text('created_at').notNull()
	},
	(t) => [index('iqa_action_assessor_idx').on(t.assessorId), index('iqa_action_sample_idx').on(t.sampleId)]
);

/** answered: by the assessor; closed / sent-back: by the IQA. */
export const ACTION_EVENT_KINDS = ['answered', 'closed', 'sent-back'] as const;
export type ActionEventKind = (typeof ACTION_EVENT_KINDS)[number];

/** An action's history, append-only (triggers): the latest event is where it stands. */
export const iqaActionEvent = sqliteTable(
	'iqa_action_event',
	{
		id: text('id').primaryKey(),
		actionId: text('action_id')
			.notNull()
			.references(() => iqaAction.id),
		kind: text('kind', { enum: ACTION_EVENT_KINDS }).notNull(),
		/** The assessor's answer, or the IQA's comment. */
		text: text('text').notNull(),
		byId: text('by_id')
			.notNull()
			.references(() => user.id),
		at: text('at').notNull()
	},
	(t) => [index('iqa_action_event_action_idx').on(t.actionId, t.at)]
);

export const LOCK_EVENT_KINDS = ['locked', 'unlocked'] as const;
export type LockEventKind = (typeof LOCK_EVENT_KINDS)[number];

/** Locks and unlocks of a sampled decision, append-only (triggers): the latest says whether it is locked. */
export const workLockEvent = sqliteTable(
	'work_lock_event',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		decisionKind: text('decision_kind', { enum: SAMPLE_DECISION_KINDS }).notNull(),
		decisionId: text('decision_id').notNull(),
		sampleId: text('sample_id')
			.notNull()
			.references(() => iqaSample.id),
		/** The agreeing round that locked it; null for an unlock. */
		roundId: text('round_id').references(() => iqaSampleRound.id),
		kind: text('kind', { enum: LOCK_EVENT_KINDS }).notNull(),
		/** Why it was unlocked (required then); empty for a lock. */
		reason: text('reason').notNull().default(''),
		byId: text('by_id')
			.notNull()
			.references(() => user.id),
		/** ISO instant; with `seq`, orders a decision's events. */
		at: text('at').notNull(),
		seq: integer('seq').notNull()
	},
	(t) => [uniqueIndex('work_lock_event_decision_seq_unique').on(t.decisionKind, t.decisionId, t.seq), index('work_lock_event_org_idx').on(t.organisationId, t.at)]
);

export type IqaSampleSnapshot = typeof iqaSampleSnapshot.$inferSelect;
export type IqaSampleRound = typeof iqaSampleRound.$inferSelect;
export type IqaSampleDraft = typeof iqaSampleDraft.$inferSelect;
export type IqaAction = typeof iqaAction.$inferSelect;
export type IqaActionEvent = typeof iqaActionEvent.$inferSelect;
export type WorkLockEvent = typeof workLockEvent.$inferSelect;

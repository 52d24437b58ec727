/**
 * The assessor's judgements on workplace evidence (issue 17 item 5), shaped like assessment_decision
 * (assessment.ts) but for criteria only: workplace evidence has no marking points and no automatic
 * proposal. A signed decision is immutable (triggers in the migration); a later judgement is a new
 * row naming the one it supersedes. The evidence judged is kept with the decision as a snapshot
 * (the STAR account, the declaration, the criteria claimed, each file's name, type, size and
 * SHA-256), so the decision verifies for ever even after the learner edits a draft for resubmission.
 *
 * Countersignatures of trainees' workplace decisions have their own table, parallel to
 * decision_countersignature: that table's decision_id is a foreign key to assessment_decision, and
 * changing it in SQLite means rebuilding an immutable, trigger-guarded table. The columns are the
 * same, so one hash function (assessment/countersigning.ts countersignatureHashOf) serves both.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './schema';
import { COUNTERSIGNATURE_OUTCOMES, DECISION_OUTCOMES, HASH_ENCODINGS } from './assessment';
import { workplaceEvidence } from './evidence';

/** One claimed criterion as the assessor judged it. */
export interface WorkplaceCriterionJudgement {
	code: string;
	met: boolean;
	feedback: string;
}

/** One file of the evidence as judged: what the learner sees and what the PDF lists. */
export interface JudgedFile {
	uploadId: string;
	name: string;
	mediaType: string | null;
	byteLength: number;
	sha256: string | null;
}

/** Exactly what the assessor saw and judged: hashed into evidence_hash and kept with the decision. */
export interface JudgedWorkplaceEvidence {
	evidenceId: string;
	learnerId: string;
	title: string;
	situation: string;
	task: string;
	action: string;
	result: string;
	declaration: string;
	declaredAt: string | null;
	submittedAt: string | null;
	criteriaClaimed: string[];
	files: JudgedFile[];
}

export const workplaceDecision = sqliteTable(
	'workplace_decision',
	{
		id: text('id').primaryKey(),
		evidenceId: text('evidence_id')
			.notNull()
			.references(() => workplaceEvidence.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		assessorId: text('assessor_id')
			.notNull()
			.references(() => user.id),
		/** 1, 2, 3 … per piece of evidence: the newest is the decision in force. */
		sequence: integer('sequence').notNull(),
		supersedesId: text('supersedes_id'),
		outcome: text('outcome', { enum: DECISION_OUTCOMES }).notNull(),
		feedback: text('feedback').notNull(),
		nextSteps: text('next_steps').notNull().default(''),
		criteria: text('criteria', { mode: 'json' }).$type<WorkplaceCriterionJudgement[]>().notNull(),
		/** Seen by assessors only, never by the learner or in the learner's PDF. */
		assessorNote: text('assessor_note').notNull().default(''),
		/** The evidence judged, exactly as hashed. */
		evidence: text('evidence', { mode: 'json' }).$type<JudgedWorkplaceEvidence>().notNull(),
		evidenceHash: text('evidence_hash').notNull(),
		signedName: text('signed_name').notNull(),
		signedAt: text('signed_at').notNull(),
		signatureHash: text('signature_hash').notNull(),
		hashEncoding: text('hash_encoding', { enum: HASH_ENCODINGS }).notNull(),
		/** Signed by a trainee: counts only once a qualified assessor countersigns. Part of what is signed. */
		requiresCountersignature: integer('requires_countersignature', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [uniqueIndex('workplace_decision_evidence_seq_unique').on(t.evidenceId, t.sequence), index('workplace_decision_learner_idx').on(t.learnerId, t.signedAt)]
);

/** A qualified assessor's answer to a trainee's workplace decision; the same columns as decision_countersignature. */
export const workplaceDecisionCountersignature = sqliteTable('workplace_decision_countersignature', {
	id: text('id').primaryKey(),
	decisionId: text('decision_id')
		.notNull()
		.unique()
		.references(() => workplaceDecision.id),
	countersignerId: text('countersigner_id')
		.notNull()
		.references(() => user.id),
	outcome: text('outcome', { enum: COUNTERSIGNATURE_OUTCOMES }).notNull(),
	comment: text('comment').notNull().default(''),
	decisionSignatureHash: text('decision_signature_hash').notNull(),
	signedName: text('signed_name').notNull(),
	signedAt: text('signed_at').notNull(),
	signatureHash: text('signature_hash').notNull(),
	hashEncoding: text('hash_encoding', { enum: HASH_ENCODINGS }).notNull()
});

export type WorkplaceDecision = typeof workplaceDecision.$inferSelect;
export type WorkplaceDecisionCountersignature = typeof workplaceDecisionCountersignature.$inferSelect;

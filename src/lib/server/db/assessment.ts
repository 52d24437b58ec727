/**
 * The assessor's judgements and the evidence beyond the simulator (issue 6).
 *
 * A signed decision is a row of `assessment_decision`: the database refuses to change or delete it
 * (triggers in the migration), so a later judgement on the same attempt is a new row that names the
 * one it supersedes, and the history stays. Work in progress lives in `assessment_draft` until it is
 * signed.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CANONICAL_ENCODING } from '../../core/canonical-json';
import { attempt } from '../../sim/schema';
import { organisation, user } from './schema';

/**
 * The canonical JSON a stored hash was made with, so a verifier recomputes it the same way.
 * 'legacy-2025': the lenient encoder decisions and documents were hashed with before RFC 8785
 * (assessment/hashing.ts legacyCanonicalJson, kept only to verify them); CANONICAL_ENCODING
 * ('jcs-2026'): core/canonical-json.ts, which every new hash uses.
 */
export const HASH_ENCODINGS = ['legacy-2025', CANONICAL_ENCODING] as const;
export type HashEncoding = (typeof HASH_ENCODINGS)[number];

/**
 * The column naming a row's hash encoding. The default is for the rows that existed before the
 * column (ADD COLUMN fills them without an UPDATE, which the tables' triggers refuse); every row
 * written since names its encoding itself.
 */
const hashEncoding = () => text('hash_encoding', { enum: HASH_ENCODINGS }).notNull().default('legacy-2025');

/** The overall decision on a piece of evidence (DESIGN.md, Assessor). */
export const DECISION_OUTCOMES = ['met', 'not-yet-met', 'resubmission-requested'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** One marking point as the assessor judged it, beside the automatic proposal. */
export interface PointJudgement {
	pointId: string;
	/** What the automatic marking proposed. */
	proposed: boolean;
	met: boolean;
	feedback: string;
}

/** One criterion as the assessor judged it, beside what the marking proposed. */
export interface CriterionJudgement {
	code: string;
	proposed: boolean;
	met: boolean;
	feedback: string;
}

export const assessmentDecision = sqliteTable(
	'assessment_decision',
	{
		id: text('id').primaryKey(),
		attemptId: text('attempt_id')
			.notNull()
			.references(() => attempt.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		assessorId: text('assessor_id')
			.notNull()
			.references(() => user.id),
		/** 1, 2, 3 … per attempt: the newest is the decision in force. */
		sequence: integer('sequence').notNull(),
		/** The decision this one replaces (null for the first). */
		supersedesId: text('supersedes_id'),
		outcome: text('outcome', { enum: DECISION_OUTCOMES }).notNull(),
		/** Feedback to the learner. */
		feedback: text('feedback').notNull(),
		/** What to do next: required unless the outcome is met. */
		nextSteps: text('next_steps').notNull().default(''),
		points: text('points', { mode: 'json' }).$type<PointJudgement[]>().notNull(),
		criteria: text('criteria', { mode: 'json' }).$type<CriterionJudgement[]>().notNull(),
		/** Seen by assessors only, never by the learner or in the learner's PDF. */
		assessorNote: text('assessor_note').notNull().default(''),
		/** SHA-256 (hex) of the canonical evidence judged: attempt, actions, marking, reflection. */
		evidenceHash: text('evidence_hash').notNull(),
		/**
		 * The evidence judged, exactly as hashed: kept with the decision so it verifies for ever, even
		 * after the learner rewrites their reflection for a resubmission (assessment/hashing.ts JudgedEvidence).
		 */
		evidence: text('evidence', { mode: 'json' }).$type<unknown>(),
		/** The name the assessor typed to sign. */
		signedName: text('signed_name').notNull(),
		signedAt: text('signed_at').notNull(),
		/** SHA-256 (hex) of the canonical decision and evidence hash, signer and time: what was signed. */
		signatureHash: text('signature_hash').notNull(),
		/** The canonical JSON both hashes were made with. */
		hashEncoding: hashEncoding(),
		/**
		 * The signer was a trainee assessor when they signed: the decision counts only once a qualified
		 * assessor countersigns it (decisionCountersignature). Part of what is signed when true.
		 */
		requiresCountersignature: integer('requires_countersignature', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [
		uniqueIndex('assessment_decision_attempt_seq_unique').on(t.attemptId, t.sequence),
		index('assessment_decision_learner_idx').on(t.learnerId, t.signedAt)
	]
);

/** An assessor's unsigned work on an attempt: saved as they go, discarded once signed. */
export const assessmentDraft = sqliteTable(
	'assessment_draft',
	{
		attemptId: text('attempt_id')
			.notNull()
			.references(() => attempt.id),
		assessorId: text('assessor_id')
			.notNull()
			.references(() => user.id),
		content: text('content', { mode: 'json' }).$type<unknown>().notNull(),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.assessorId] })]
);

/** Reusable feedback: the centre's comment bank, optionally tied to a criterion. */
export const commentBankEntry = sqliteTable(
	'comment_bank_entry',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		/** A criterion code, or null for general feedback. */
		criterion: text('criterion'),
		text: text('text').notNull(),
		createdBy: text('created_by')
			.notNull()
			.references(() => user.id),
		createdAt: text('created_at').notNull()
	},
	(t) => [index('comment_bank_organisation_idx').on(t.organisationId)]
);

/** Witness testimony: a statement by someone who saw the learner at work (seeds 001). */
export const witnessTestimony = sqliteTable(
	'witness_testimony',
	{
		id: text('id').primaryKey(),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		witnessName: text('witness_name').notNull(),
		witnessRole: text('witness_role').notNull(),
		/** The witness's relationship to the learner (line manager, colleague …). */
		relationship: text('relationship').notNull(),
		statement: text('statement').notNull(),
		/** How to reach the witness, so the assessor or IQA can check (issue 17): a telephone number or e-mail address. */
		witnessContact: text('witness_contact').notNull().default(''),
		/** The witness's signature: the name they typed and the date they signed (YYYY-MM-DD); null for testimony recorded before issue 17. */
		witnessSignedName: text('witness_signed_name'),
		witnessSignedOn: text('witness_signed_on'),
		/** Whoever recorded it confirmed the witness is not a relative of the learner. */
		notRelative: integer('not_relative', { mode: 'boolean' }).notNull().default(false),
		/** When the witnessed work took place (YYYY-MM-DD). */
		witnessedOn: text('witnessed_on').notNull(),
		/** Criteria the learner claims it shows (optional). */
		declaredCriteria: text('declared_criteria', { mode: 'json' }).$type<string[]>().notNull(),
		/** Criteria the assessor accepts it as evidence for; null until mapped. */
		criteria: text('criteria', { mode: 'json' }).$type<string[] | null>(),
		mappedBy: text('mapped_by').references(() => user.id),
		mappedAt: text('mapped_at'),
		recordedBy: text('recorded_by')
			.notNull()
			.references(() => user.id),
		recordedAt: text('recorded_at').notNull()
	},
	(t) => [index('witness_testimony_learner_idx').on(t.learnerId)]
);

/** An assessor's record of observing the learner at work, mapped to criteria. */
export const observationRecord = sqliteTable(
	'observation_record',
	{
		id: text('id').primaryKey(),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		assessorId: text('assessor_id')
			.notNull()
			.references(() => user.id),
		observedOn: text('observed_on').notNull(),
		/** Where and what: "Front desk, Tuesday morning shift". */
		setting: text('setting').notNull(),
		description: text('description').notNull(),
		criteria: text('criteria', { mode: 'json' }).$type<string[]>().notNull(),
		recordedAt: text('recorded_at').notNull()
	},
	(t) => [index('observation_record_learner_idx').on(t.learnerId)]
);

export const COUNTERSIGNATURE_OUTCOMES = ['countersigned', 'sent-back'] as const;
export type CountersignatureOutcome = (typeof COUNTERSIGNATURE_OUTCOMES)[number];

/**
 * A qualified assessor's answer to a trainee's decision (issue 17): countersigned (the decision now
 * counts) or sent back with a comment (the trainee signs a new decision that supersedes it). Bound
 * to the decision's signature hash and immutable (triggers in the migration), like the decision.
 */
export const decisionCountersignature = sqliteTable(
	'decision_countersignature',
	{
		id: text('id').primaryKey(),
		decisionId: text('decision_id')
			.notNull()
			.unique()
			.references(() => assessmentDecision.id),
		countersignerId: text('countersigner_id')
			.notNull()
			.references(() => user.id),
		outcome: text('outcome', { enum: COUNTERSIGNATURE_OUTCOMES }).notNull(),
		/** Why it was sent back (required then); optional with a countersignature. */
		comment: text('comment').notNull().default(''),
		/** The decision's signature hash as countersigned: what the countersignature binds to. */
		decisionSignatureHash: text('decision_signature_hash').notNull(),
		signedName: text('signed_name').notNull(),
		signedAt: text('signed_at').notNull(),
		/** SHA-256 (hex) of the canonical countersignature, decision hash, signer and time. */
		signatureHash: text('signature_hash').notNull(),
		hashEncoding: text('hash_encoding', { enum: HASH_ENCODINGS }).notNull()
	}
);

export const QUALIFICATION_STATUSES = ['qualified', 'trainee'] as const;
export type QualificationStatus = (typeof QUALIFICATION_STATUSES)[number];
export const RISK_RATINGS = ['new', 'trainee', 'low', 'medium', 'high'] as const;
export type RiskRating = (typeof RISK_RATINGS)[number];

/**
 * An assessor's profile as it stands, kept by the IQA (issue 17). An assessor without a row is
 * qualified with risk "new". Every change is also an assessorProfileChange row.
 */
export const assessorProfile = sqliteTable('assessor_profile', {
	assessorId: text('assessor_id')
		.primaryKey()
		.references(() => user.id),
	status: text('status', { enum: QUALIFICATION_STATUSES }).notNull().default('qualified'),
	/** When the current status started (YYYY-MM-DD). */
	statusSince: text('status_since'),
	competenceNotes: text('competence_notes').notNull().default(''),
	risk: text('risk', { enum: RISK_RATINGS }).notNull().default('new'),
	riskReason: text('risk_reason').notNull().default(''),
	updatedAt: text('updated_at').notNull(),
	updatedBy: text('updated_by')
		.notNull()
		.references(() => user.id)
});

export const PROFILE_CHANGE_KINDS = ['status', 'risk', 'competence', 'cpd'] as const;
export type ProfileChangeKind = (typeof PROFILE_CHANGE_KINDS)[number];

/** Every change to an assessor's profile, and every CPD entry: who, when, what and why. Append-only (triggers). */
export const assessorProfileChange = sqliteTable(
	'assessor_profile_change',
	{
		id: text('id').primaryKey(),
		assessorId: text('assessor_id')
			.notNull()
			.references(() => user.id),
		kind: text('kind', { enum: PROFILE_CHANGE_KINDS }).notNull(),
		/** The new status or risk rating; empty for notes. */
		value: text('value').notNull().default(''),
		/** The date it applies from (status) or of the CPD activity (YYYY-MM-DD). */
		onDate: text('on_date'),
		/** The reason, or the note itself (competence, CPD). */
		text: text('text').notNull(),
		changedBy: text('changed_by')
			.notNull()
			.references(() => user.id),
		changedAt: text('changed_at').notNull()
	},
	(t) => [index('assessor_profile_change_assessor_idx').on(t.assessorId, t.changedAt)]
);

/** 'evidence-pack' (issue 17, item 6): a ZIP of the portfolio PDF and the other evidence; its content hash is the manifest's. */
export const PORTFOLIO_DOCUMENT_KINDS = ['portfolio', 'attempt', 'evidence-pack'] as const;

/**
 * Every PDF the centre issued: its id (printed on every page), the SHA-256 of its canonical content
 * (also printed) and of the file itself, so the public verify page can say whether a file in
 * someone's hands is one this centre issued, unchanged.
 */
export const portfolioDocument = sqliteTable(
	'portfolio_document',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		kind: text('kind', { enum: PORTFOLIO_DOCUMENT_KINDS }).notNull(),
		attemptId: text('attempt_id').references(() => attempt.id),
		contentHash: text('content_hash').notNull(),
		fileHash: text('file_hash').notNull(),
		pageCount: integer('page_count').notNull(),
		byteLength: integer('byte_length').notNull(),
		issuedAt: text('issued_at').notNull(),
		issuedBy: text('issued_by')
			.notNull()
			.references(() => user.id),
		/** The canonical JSON the content hash was made with. */
		hashEncoding: hashEncoding()
	},
	(t) => [index('portfolio_document_file_hash_idx').on(t.fileHash), index('portfolio_document_learner_idx').on(t.learnerId)]
);

export type AssessmentDecision = typeof assessmentDecision.$inferSelect;
export type DecisionCountersignature = typeof decisionCountersignature.$inferSelect;
export type AssessorProfile = typeof assessorProfile.$inferSelect;
export type AssessorProfileChange = typeof assessorProfileChange.$inferSelect;
export type WitnessTestimony = typeof witnessTestimony.$inferSelect;
export type ObservationRecord = typeof observationRecord.$inferSelect;
export type PortfolioDocument = typeof portfolioDocument.$inferSelect;

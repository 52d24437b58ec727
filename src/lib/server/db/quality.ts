/**
 * Quality assurance (issue 17): the decisions an internal quality assurer (IQA) samples, and where
 * each learner stands in their programme (the start of the retention clock and of an EQA's sample).
 *
 * The sampling plan that picks samples, the IQA's signed record of a sample and standardisation
 * meetings have tables of their own beside this one; `iqa_sample` is what they share.
 */
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisation, user } from './schema';

/** Interim: sampled while the course runs; summative: at completion. */
export const SAMPLE_STAGES = ['interim', 'summative'] as const;
export type SampleStage = (typeof SAMPLE_STAGES)[number];

/**
 * What kind of signed decision is sampled: a decision on a simulation attempt (assessment_decision)
 * or on a piece of workplace evidence (its own decision table).
 */
export const SAMPLE_DECISION_KINDS = ['simulation', 'workplace'] as const;
export type SampleDecisionKind = (typeof SAMPLE_DECISION_KINDS)[number];

/** A sample picked by the plan's rules (risk band rates) or by hand. */
export const SAMPLE_PICKS = ['rule', 'manual'] as const;
export type SamplePick = (typeof SAMPLE_PICKS)[number];

/** One signed decision picked for internal quality assurance, at one stage. */
export const iqaSample = sqliteTable(
	'iqa_sample',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		/** The sampling plan it was picked under (sampling_plan.id); null for a sample outside any plan. */
		planId: text('plan_id'),
		decisionKind: text('decision_kind', { enum: SAMPLE_DECISION_KINDS }).notNull(),
		decisionId: text('decision_id').notNull(),
		learnerId: text('learner_id')
			.notNull()
			.references(() => user.id),
		/** The assessor who signed the decision (never the IQA who samples it). */
		assessorId: text('assessor_id')
			.notNull()
			.references(() => user.id),
		stage: text('stage', { enum: SAMPLE_STAGES }).notNull(),
		pick: text('pick', { enum: SAMPLE_PICKS }).notNull(),
		/** Why it was picked, in words: "Risk band new: 100 %", or the IQA's own reason. */
		reason: text('reason').notNull(),
		/** Who picked it by hand; null for a rule's pick. */
		pickedBy: text('picked_by').references(() => user.id),
		pickedAt: text('picked_at').notNull()
	},
	(t) => [
		uniqueIndex('iqa_sample_decision_stage_unique').on(t.decisionKind, t.decisionId, t.stage),
		index('iqa_sample_plan_idx').on(t.planId),
		index('iqa_sample_org_idx').on(t.organisationId, t.pickedAt)
	]
);

/**
 * Where a learner stands in their programme. No row: in training. 'completed' and 'withdrawn' end
 * the learner's training; certification (certifiedOn) starts the retention clock of the centre's
 * own records about them.
 */
export const LEARNER_STATUSES = ['in-training', 'completed', 'withdrawn'] as const;
export type LearnerStatus = (typeof LEARNER_STATUSES)[number];

export const learnerStanding = sqliteTable(
	'learner_standing',
	{
		learnerId: text('learner_id')
			.primaryKey()
			.references(() => user.id),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		status: text('status', { enum: LEARNER_STATUSES }).notNull().default('in-training'),
		/** When the status started (YYYY-MM-DD). */
		statusOn: text('status_on').notNull(),
		/** When the awarding body certificated the learner (YYYY-MM-DD); null until then. */
		certifiedOn: text('certified_on'),
		note: text('note').notNull().default(''),
		updatedBy: text('updated_by')
			.notNull()
			.references(() => user.id),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [index('learner_standing_org_idx').on(t.organisationId, t.status)]
);

export type IqaSample = typeof iqaSample.$inferSelect;
export type LearnerStanding = typeof learnerStanding.$inferSelect;

/**
 * The internal quality assurer's sampling plan (issue 17 item 2) and the standardisation meetings
 * linked to it. A plan belongs to one cohort (which stands for one run of the qualification) and
 * says how much of each assessor's work is sampled, by risk band, which assessment methods and
 * criteria the sample must cover, and at which stages. The samples themselves are iqa_sample rows
 * (quality.ts) naming the plan.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { cohort } from './cohorts';
import { organisation, user } from './schema';
import type { RiskRating } from './assessment';

/** The assessment methods a plan can require its sample to cover (CAMERA's M). */
export const SAMPLE_METHODS = ['simulation', 'observation', 'witness-testimony', 'workplace-evidence', 'reflection'] as const;
export type SampleMethod = (typeof SAMPLE_METHODS)[number];

/** The percentage of an assessor's decisions sampled, per risk band (0–100). */
export type SampleRates = Record<RiskRating, number>;

export const samplingPlan = sqliteTable(
	'sampling_plan',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		cohortId: text('cohort_id')
			.notNull()
			.references(() => cohort.id),
		/** The qualification this run of the cohort leads to; the unit's title unless the IQA names another. */
		qualificationTitle: text('qualification_title').notNull(),
		rates: text('rates', { mode: 'json' }).$type<SampleRates>().notNull(),
		methods: text('methods', { mode: 'json' }).$type<SampleMethod[]>().notNull(),
		/** The criterion codes the sample must cover (the unit's, all of them unless the IQA narrows it). */
		criteria: text('criteria', { mode: 'json' }).$type<string[]>().notNull(),
		interimRequired: integer('interim_required', { mode: 'boolean' }).notNull().default(true),
		summativeRequired: integer('summative_required', { mode: 'boolean' }).notNull().default(true),
		createdBy: text('created_by')
			.notNull()
			.references(() => user.id),
		createdAt: text('created_at').notNull(),
		updatedBy: text('updated_by')
			.notNull()
			.references(() => user.id),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [index('sampling_plan_org_idx').on(t.organisationId, t.cohortId)]
);

/** One person at a standardisation meeting: a member of the centre's staff, or a name typed in. */
export interface MeetingAttendee {
	name: string;
	userId: string | null;
}

/** A standardisation meeting: assessors and IQAs comparing judgements on the same work. */
export const standardisationMeeting = sqliteTable(
	'standardisation_meeting',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		planId: text('plan_id')
			.notNull()
			.references(() => samplingPlan.id),
		/** When it was held (YYYY-MM-DD). */
		heldOn: text('held_on').notNull(),
		attendees: text('attendees', { mode: 'json' }).$type<MeetingAttendee[]>().notNull(),
		workDiscussed: text('work_discussed').notNull(),
		actions: text('actions').notNull().default(''),
		recordedBy: text('recorded_by')
			.notNull()
			.references(() => user.id),
		recordedAt: text('recorded_at').notNull()
	},
	(t) => [index('standardisation_meeting_plan_idx').on(t.planId, t.heldOn)]
);

export type SamplingPlan = typeof samplingPlan.$inferSelect;
export type StandardisationMeeting = typeof standardisationMeeting.$inferSelect;

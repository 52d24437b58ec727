/**
 * The CAMERA sampling plan (issue 17 item 2): per cohort (one run of the qualification), how much of
 * each assessor's work the internal quality assurer (IQA) samples, by the assessor's risk band, and
 * what the sample must cover — Candidates, Assessors, Methods, Evidence/criteria, Records and
 * Assessment locations — at the interim stage (while learners train) and the summative stage (once
 * they complete).
 *
 * Picks are made by the plan's rules (pickRuleSamples: on the "Pick samples now" button and in the
 * scheduled job, never on reading a page) or by hand with a reason (pickManualSample). Nobody picks
 * a decision they signed themselves: an IQA never samples their own decisions.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { CRITERIA, UNIT, criterionByCode } from '$lib/criteria';
import { dbGet, dbRun, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { user, userRole } from '$lib/server/db/schema';
import { RISK_RATINGS, type RiskRating } from '$lib/server/db/assessment';
import { SAMPLE_STAGES, iqaSample, learnerStanding, type IqaSample, type SampleDecisionKind, type SampleStage } from '$lib/server/db/quality';
import { SAMPLE_METHODS, samplingPlan, standardisationMeeting, type SampleMethod, type SampleRates, type SamplingPlan } from '$lib/server/db/sampling';
import { RISK_LABELS, qualificationsOf } from '$lib/server/assessor-profiles';
import { notify } from '$lib/server/notifications/store';
import { countedDecisions, type ListedDecision } from './decision-sources';

export const METHOD_LABELS: Record<SampleMethod, string> = {
	simulation: 'Simulation',
	observation: 'Observation',
	'witness-testimony': 'Witness testimony',
	'workplace-evidence': 'Workplace evidence',
	reflection: 'Reflection'
};
export const STAGE_LABELS: Record<SampleStage, string> = { interim: 'Interim', summative: 'Summative' };

/**
 * The share of an assessor's decisions sampled, by risk band, unless the plan says otherwise.
 * New and trainee assessors: everything (issue 17; awarding bodies' IQA guidance). High risk: half,
 * medium: a quarter, low: a tenth — the usual stepping in centres' IQA strategies, where an
 * established, low-risk assessor is still sampled on every unit and at every stage.
 */
export const DEFAULT_RATES: SampleRates = { new: 100, trainee: 100, high: 50, medium: 25, low: 10 };

export const PLAN_LIMITS = { qualificationTitle: 200, reason: 1000 } as const;

export interface PlanSettings {
	qualificationTitle: string;
	rates: SampleRates;
	methods: SampleMethod[];
	criteria: string[];
	interimRequired: boolean;
	summativeRequired: boolean;
}

/** What a new plan starts with: the unit's title, the default rates, every method and criterion, both stages. */
export function planDefaults(): PlanSettings {
	return {
		qualificationTitle: UNIT.title,
		rates: { ...DEFAULT_RATES },
		methods: [...SAMPLE_METHODS],
		criteria: CRITERIA.map((c) => c.code),
		interimRequired: true,
		summativeRequired: true
	};
}

/** The settings as posted: rates may be missing (null) where the form sent no whole number. */
export interface PlanSettingsInput {
	qualificationTitle: string;
	rates: Record<RiskRating, number | null>;
	methods: readonly string[];
	criteria: readonly string[];
	interimRequired: boolean;
	summativeRequired: boolean;
}

export type PlanError = { code: 'plan.not-found' | 'plan.invalid' | 'sample.refused'; message: string; fields?: Record<string, string> };
export type PlanResult<T> = { ok: true; value: T } | { ok: false; error: PlanError };

const NOT_FOUND: { ok: false; error: PlanError } = { ok: false, error: { code: 'plan.not-found', message: 'There is no sampling plan of this centre at this address.' } };

function validSettings(input: PlanSettingsInput): PlanResult<PlanSettings> {
	const fields: Record<string, string> = {};
	const title = input.qualificationTitle.trim().replace(/\s+/gu, ' ');
	if (title.length < 3) fields.qualificationTitle = 'Name the qualification, in at least 3 characters.';
	else if (title.length > PLAN_LIMITS.qualificationTitle) fields.qualificationTitle = `Keep the qualification’s title to ${PLAN_LIMITS.qualificationTitle} characters.`;
	else if (/[\u0000-\u001f\u007f]/u.test(title)) fields.qualificationTitle = 'Use letters, digits, spaces and punctuation only.';
	const rates = {} as SampleRates;
	for (const band of RISK_RATINGS) {
		const rate = input.rates[band];
		if (rate === null || !Number.isInteger(rate) || rate < 0 || rate > 100) fields[`rate-${band}`] = `Give the ${RISK_LABELS[band].toLowerCase()} band’s rate as a whole number of percent, 0 to 100.`;
		else rates[band] = rate;
	}
	const methods = SAMPLE_METHODS.filter((m) => input.methods.includes(m));
	if (methods.length === 0 || input.methods.some((m) => !(SAMPLE_METHODS as readonly string[]).includes(m))) fields.methods = 'Choose at least one assessment method from the list.';
	const criteria = CRITERIA.map((c) => c.code).filter((code) => input.criteria.includes(code));
	if (criteria.length === 0 || input.criteria.some((code) => !criterionByCode(code))) fields.criteria = 'Choose at least one of the unit’s criteria.';
	if (!input.interimRequired && !input.summativeRequired) fields.stages = 'Require interim samples, summative samples, or both.';
	if (Object.keys(fields).length > 0) return { ok: false, error: { code: 'plan.invalid', message: 'Nothing was saved: correct what is marked.', fields } };
	return { ok: true, value: { qualificationTitle: title, rates, methods, criteria, interimRequired: input.interimRequired, summativeRequired: input.summativeRequired } };
}

export interface PlanEditor {
	id: string;
	organisationId: string;
}

/** Makes a plan for one of the centre's cohorts. */
export async function createPlan(db: Db, by: PlanEditor, cohortId: string, input: PlanSettingsInput, now = new Date()): Promise<PlanResult<SamplingPlan>> {
	const fields: Record<string, string> = {};
	const found = typeof cohortId === 'string' && cohortId !== '' ? await dbGet(db.select().from(cohort).where(and(eq(cohort.id, cohortId), eq(cohort.organisationId, by.organisationId)))) : undefined;
	if (!found) fields.cohortId = 'Choose one of the centre’s cohorts.';
	const settings = validSettings(input);
	if (!settings.ok || !found) return { ok: false, error: { code: 'plan.invalid', message: 'No plan was made: correct what is marked.', fields: { ...fields, ...(settings.ok ? {} : settings.error.fields) } } };
	const at = now.toISOString();
	const row: SamplingPlan = { id: crypto.randomUUID(), organisationId: by.organisationId, cohortId: found.id, ...settings.value, createdBy: by.id, createdAt: at, updatedBy: by.id, updatedAt: at };
	await dbRun(db.insert(samplingPlan).values(row));
	return { ok: true, value: row };
}

/** Changes a plan's settings; who changed it and when is kept on the plan. */
export async function updatePlan(db: Db, by: PlanEditor, planId: string, input: PlanSettingsInput, now = new Date()): Promise<PlanResult<SamplingPlan>> {
	const plan = await findPlan(db, by.organisationId, planId);
	if (!plan) return NOT_FOUND;
	const settings = validSettings(input);
	if (!settings.ok) return settings;
	const changed = { ...settings.value, updatedBy: by.id, updatedAt: now.toISOString() };
	await dbRun(db.update(samplingPlan).set(changed).where(eq(samplingPlan.id, plan.id)));
	return { ok: true, value: { ...plan, ...changed } };
}

/** The plan if it is this centre's; undefined otherwise (the caller answers 404). */
export async function findPlan(db: Db, organisationId: string, planId: string): Promise<SamplingPlan | undefined> {
	if (typeof planId !== 'string' || planId.length > 100) return undefined;
	return await dbGet(db.select().from(samplingPlan).where(and(eq(samplingPlan.id, planId), eq(samplingPlan.organisationId, organisationId))));
}

/** A cohort's plans, oldest first. */
export async function plansForCohort(db: Db, cohortId: string): Promise<SamplingPlan[]> {
	return await dbAll(db.select().from(samplingPlan).where(eq(samplingPlan.cohortId, cohortId)).orderBy(asc(samplingPlan.createdAt)));
}

export interface PlanSummary {
	id: string;
	cohortId: string;
	cohortName: string;
	qualificationTitle: string;
	updatedAt: string;
	updatedByName: string;
}

/** The centre's plans with their cohort's name, by cohort. */
export async function centrePlans(db: Db, organisationId: string): Promise<PlanSummary[]> {
	return await dbAll(db
		.select({ id: samplingPlan.id, cohortId: samplingPlan.cohortId, cohortName: cohort.name, qualificationTitle: samplingPlan.qualificationTitle, updatedAt: samplingPlan.updatedAt, updatedByName: user.displayName })
		.from(samplingPlan)
		.innerJoin(cohort, eq(cohort.id, samplingPlan.cohortId))
		.innerJoin(user, eq(user.id, samplingPlan.updatedBy))
		.where(eq(samplingPlan.organisationId, organisationId))
		.orderBy(asc(cohort.name), asc(samplingPlan.createdAt)));
}

/** The stages a plan requires, in order. */
export function requiredStages(plan: Pick<SamplingPlan, 'interimRequired' | 'summativeRequired'>): SampleStage[] {
	return SAMPLE_STAGES.filter((s) => (s === 'interim' ? plan.interimRequired : plan.summativeRequired));
}

/**
 * The stage a learner's decisions are sampled at now: interim while they train (no standing row, or
 * in training), summative once they have completed; none once withdrawn (their work stays in the
 * samples already picked, but no rule picks more of it).
 */
async function stagesOfLearners(db: Db, learnerIds: readonly string[]): Promise<Map<string, SampleStage | null>> {
	const standing = new Map(
		learnerIds.length === 0 ? [] : (await dbAll(db.select({ learnerId: learnerStanding.learnerId, status: learnerStanding.status }).from(learnerStanding).where(inArray(learnerStanding.learnerId, [...learnerIds])))).map((r) => [r.learnerId, r.status])
	);
	return new Map(learnerIds.map((id) => {
		const status = standing.get(id) ?? 'in-training';
		return [id, status === 'in-training' ? 'interim' : status === 'completed' ? 'summative' : null];
	}));
}

async function cohortMembers(db: Db, cohortId: string, role: 'learner' | 'assessor'): Promise<{ id: string; name: string }[]> {
	return await dbAll(db
		.select({ id: user.id, name: user.displayName })
		.from(cohortMember)
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.where(and(eq(cohortMember.cohortId, cohortId), eq(cohortMember.role, role)))
		.orderBy(asc(user.displayName)));
}

const keyOf = (kind: SampleDecisionKind, decisionId: string, stage: SampleStage) => `${kind}:${decisionId}:${stage}`;

/**
 * The order the rules pick in: by the SHA-256 of the plan, decision and stage. It is fixed (the same
 * data always gives the same picks) yet spreads picks across learners and dates, where the oldest-
 * first order would sample only the start of the course.
 */
function pickOrder(planId: string, d: ListedDecision, stage: SampleStage): string {
	return createHash('sha256').update(`${planId}|${d.kind}|${d.decisionId}|${stage}`).digest('hex');
}

/** How many of n decisions a rate asks for: rounded up, so 10 % of 3 decisions is one. */
export function requiredCount(rate: number, n: number): number {
	return Math.ceil((rate * n) / 100);
}

/**
 * The rule for one assessor at one stage: of the decisions that count (`population`), enough more to
 * bring the share sampled up to `rate` percent, rounded up, taken in `order`; none when the samples
 * already picked reach it.
 */
export function rulePicksOf<T>(population: readonly T[], isSampled: (d: T) => boolean, rate: number, order: (d: T) => string): { required: number; already: number; picks: T[] } {
	const required = requiredCount(rate, population.length);
	const already = population.filter(isSampled).length;
	if (already >= required) return { required, already, picks: [] };
	const candidates = population
		.filter((d) => !isSampled(d))
		.map((d) => ({ d, key: order(d) }))
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return { required, already, picks: candidates.slice(0, required - already).map((c) => c.d) };
}

/** Everything the rules and the coverage need about a plan's cohort, read once. */
async function planState(db: Db, plan: SamplingPlan) {
	const learners = await cohortMembers(db, plan.cohortId, 'learner');
	const decisions = await countedDecisions(
		db,
		learners.map((l) => l.id)
	);
	const stages = await stagesOfLearners(
		db,
		learners.map((l) => l.id)
	);
	const ids = decisions.map((d) => d.decisionId);
	const samples = ids.length === 0 ? [] : await dbAll(db.select().from(iqaSample).where(inArray(iqaSample.decisionId, ids)));
	const sampled = new Map(samples.map((s) => [keyOf(s.decisionKind, s.decisionId, s.stage), s]));
	const assessorIds = [...new Set([...(await cohortMembers(db, plan.cohortId, 'assessor')).map((a) => a.id), ...decisions.map((d) => d.assessorId)])];
	const qualifications = await qualificationsOf(db, assessorIds);
	return { learners, decisions, stages, sampled, assessorIds, qualifications };
}

export interface RulePicks {
	picked: IqaSample[];
	/** Decisions the rules wanted that the person running them signed: left for the scheduled job or another IQA. */
	leftAsOwn: number;
}

/**
 * The risk band an assessor is sampled by: their rating, or the trainee band while their status is
 * trainee if that band's rate is higher (an IQA may not have rated a new trainee yet).
 */
function bandOf(q: { status: string; risk: RiskRating }, rates: SampleRates): RiskRating {
	return q.status === 'trainee' && rates.trainee > rates[q.risk] ? 'trainee' : q.risk;
}

/**
 * Picks by the plan's rules: for each assessor and each stage the plan requires, enough of the
 * assessor's counted decisions at that stage that the share sampled reaches their risk band's rate
 * (rounded up), in pickOrder. Samples already picked count toward it and are never undone, so a
 * second run with nothing new picks nothing. `by`: the person who pressed "Pick samples now", whose
 * own decisions this run leaves alone (an IQA never picks their own work); the scheduled job runs
 * without one. The centre's IQAs are told once per run that picked anything.
 */
export async function pickRuleSamples(db: Db, planId: string, at = new Date(), by?: string): Promise<RulePicks> {
	return await writeTransaction(db, async (): Promise<RulePicks> => {
		const plan = await dbGet(db.select().from(samplingPlan).where(eq(samplingPlan.id, planId)));
		if (!plan) return { picked: [], leftAsOwn: 0 };
		const state = await planState(db, plan);
		const names = new Map((await dbAll(db.select({ id: user.id, name: user.displayName }).from(user).where(inArray(user.id, state.assessorIds.length ? state.assessorIds : [''])))).map((u) => [u.id, u.name]));
		const picked: IqaSample[] = [];
		let leftAsOwn = 0;
		for (const stage of requiredStages(plan)) {
			for (const assessorId of state.assessorIds) {
				const population = state.decisions.filter((d) => d.assessorId === assessorId && state.stages.get(d.learnerId) === stage);
				if (population.length === 0) continue;
				const risk = bandOf(state.qualifications.get(assessorId)!, plan.rates);
				const rate = plan.rates[risk];
				const { required, picks } = rulePicksOf(
					population,
					(d) => state.sampled.has(keyOf(d.kind, d.decisionId, stage)),
					rate,
					(d) => pickOrder(plan.id, d, stage)
				);
				const reason = `Risk band ${RISK_LABELS[risk].toLowerCase()}: ${rate} % of ${names.get(assessorId) ?? 'the assessor'}’s ${stage} decisions (${required} of ${population.length}).`;
				for (const d of picks) {
					if (by !== undefined && d.assessorId === by) {
						leftAsOwn += 1;
						continue;
					}
					const row: IqaSample = {
						id: crypto.randomUUID(),
						organisationId: plan.organisationId,
						planId: plan.id,
						decisionKind: d.kind,
						decisionId: d.decisionId,
						learnerId: d.learnerId,
						assessorId: d.assessorId,
						stage,
						pick: 'rule',
						reason,
						pickedBy: null,
						pickedAt: at.toISOString()
					};
					if ((await dbRun(db.insert(iqaSample).values(row).onConflictDoNothing())).changes > 0) {
						picked.push(row);
						state.sampled.set(keyOf(d.kind, d.decisionId, stage), row);
					}
				}
			}
		}
		if (picked.length > 0) {
			const count = picked.length === 1 ? 'One decision is' : `${picked.length} decisions are`;
			await notify(db, await centreIqas(db, plan.organisationId), { kind: 'work-ready-for-iqa', subject: `${plan.id}:${picked[0]!.id}`, title: `${count} ready for IQA: ${plan.qualificationTitle}`, link: `/iqa/plans/${plan.id}` }, at);
		}
		return { picked, leftAsOwn };
	});
}

/** The centre's active internal quality assurers. */
async function centreIqas(db: Db, organisationId: string): Promise<string[]> {
	return (await dbAll(db
		.select({ id: user.id })
		.from(user)
		.innerJoin(userRole, and(eq(userRole.userId, user.id), eq(userRole.role, 'iqa')))
		.where(and(eq(user.organisationId, organisationId), eq(user.active, true)))))
		.map((u) => u.id);
}

/** The scheduled job's part: every plan of a cohort still running picks by its rules. Returns how many samples were new. */
export async function pickSamplesForAllPlans(db: Db, at = new Date()): Promise<number> {
	const plans = await dbAll(db.select({ id: samplingPlan.id }).from(samplingPlan).innerJoin(cohort, eq(cohort.id, samplingPlan.cohortId)).where(isNull(cohort.archivedAt)));
	let picked = 0;
	for (const p of plans) picked += (await pickRuleSamples(db, p.id, at)).picked.length;
	return picked;
}

export interface ManualPick {
	/** `${kind}:${decisionId}`, as the form's options give it. */
	decision: string;
	stage: string;
	reason: string;
}

/**
 * An IQA picks a decision by hand, with a reason. Refused for a decision they signed themselves, for
 * a decision that does not count or is not of the plan's cohort, at summative stage before the
 * learner completes, and when it is already sampled at that stage.
 */
export async function pickManualSample(db: Db, by: PlanEditor, planId: string, values: ManualPick, now = new Date()): Promise<PlanResult<IqaSample>> {
	const plan = await findPlan(db, by.organisationId, planId);
	if (!plan) return NOT_FOUND;
	const fields: Record<string, string> = {};
	const state = await planState(db, plan);
	const decision = state.decisions.find((d) => `${d.kind}:${d.decisionId}` === values.decision);
	if (!decision) fields.decision = 'Choose a signed decision of this cohort’s learners from the list.';
	const stage = (SAMPLE_STAGES as readonly string[]).includes(values.stage) ? (values.stage as SampleStage) : null;
	if (!stage) fields.stage = 'Choose interim or summative.';
	const reason = values.reason.trim();
	if (reason === '') fields.reason = 'Say why you pick this decision.';
	else if (reason.length > PLAN_LIMITS.reason) fields.reason = `Keep the reason to ${PLAN_LIMITS.reason} characters.`;
	if (decision && decision.assessorId === by.id) {
		return { ok: false, error: { code: 'sample.refused', message: 'You signed this decision: an IQA never samples their own decisions. Another IQA must pick it.', fields: { decision: 'You signed this decision: another IQA must pick it.' } } };
	}
	if (decision && stage === 'summative' && state.stages.get(decision.learnerId) !== 'summative') fields.stage = 'A summative sample is of a learner who has completed; this learner has not. Pick it as interim.';
	if (decision && stage && state.sampled.has(keyOf(decision.kind, decision.decisionId, stage))) fields.decision = `This decision is already in the ${stage} sample.`;
	if (Object.keys(fields).length > 0 || !decision || !stage) return { ok: false, error: { code: 'plan.invalid', message: 'Nothing was picked: correct what is marked.', fields } };
	const row: IqaSample = {
		id: crypto.randomUUID(),
		organisationId: plan.organisationId,
		planId: plan.id,
		decisionKind: decision.kind,
		decisionId: decision.decisionId,
		learnerId: decision.learnerId,
		assessorId: decision.assessorId,
		stage,
		pick: 'manual',
		reason,
		pickedBy: by.id,
		pickedAt: now.toISOString()
	};
	const inserted = await dbRun(db.insert(iqaSample).values(row).onConflictDoNothing());
	if (inserted.changes === 0) return { ok: false, error: { code: 'plan.invalid', message: 'Nothing was picked: correct what is marked.', fields: { decision: `This decision is already in the ${stage} sample.` } } };
	return { ok: true, value: row };
}

export interface DecisionOption {
	value: string;
	label: string;
	/** The IQA picking signed it: shown, but refused when picked. */
	own: boolean;
}

/** The cohort's counted decisions not yet sampled at the learner's current stage, for the manual pick form. */
export async function decisionsToPick(db: Db, plan: SamplingPlan, iqaId: string): Promise<DecisionOption[]> {
	const state = await planState(db, plan);
	const names = new Map((await dbAll(db.select({ id: user.id, name: user.displayName }).from(user).where(eq(user.organisationId, plan.organisationId)))).map((u) => [u.id, u.name]));
	return state.decisions
		.filter((d) => {
			const stage = state.stages.get(d.learnerId) ?? 'interim';
			return !state.sampled.has(keyOf(d.kind, d.decisionId, stage));
		})
		.map((d) => ({
			value: `${d.kind}:${d.decisionId}`,
			label: `${names.get(d.learnerId) ?? 'Learner'} — ${d.kind} decision by ${names.get(d.assessorId) ?? 'an assessor'}, signed ${d.signedAt.slice(0, 10)}`,
			own: d.assessorId === iqaId
		}));
}

export interface PlanSampleRow {
	id: string;
	decisionKind: SampleDecisionKind;
	decisionId: string;
	learnerName: string;
	assessorName: string;
	stage: SampleStage;
	pick: IqaSample['pick'];
	reason: string;
	pickedByName: string | null;
	pickedAt: string;
}

/** The samples picked under a plan, newest first. */
export async function planSamples(db: Db, planId: string): Promise<PlanSampleRow[]> {
	const rows = await dbAll(db.select().from(iqaSample).where(eq(iqaSample.planId, planId)));
	const ids = [...new Set(rows.flatMap((r) => [r.learnerId, r.assessorId, ...(r.pickedBy ? [r.pickedBy] : [])]))];
	const names = new Map(ids.length === 0 ? [] : (await dbAll(db.select({ id: user.id, name: user.displayName }).from(user).where(inArray(user.id, ids)))).map((u) => [u.id, u.name]));
	return rows
		.map((r) => ({
			id: r.id,
			decisionKind: r.decisionKind,
			decisionId: r.decisionId,
			learnerName: names.get(r.learnerId) ?? '',
			assessorName: names.get(r.assessorId) ?? '',
			stage: r.stage,
			pick: r.pick,
			reason: r.reason,
			pickedByName: r.pickedBy ? (names.get(r.pickedBy) ?? '') : null,
			pickedAt: r.pickedAt
		}))
		.sort((a, b) => b.pickedAt.localeCompare(a.pickedAt) || a.id.localeCompare(b.id));
}

/** One assessor's sample at one stage: decisions that count, how many are sampled, and what the rate asks. */
export interface StageRate {
	stage: SampleStage;
	decisions: number;
	sampled: number;
	required: number;
	/** The share sampled, in whole percent (100 when there is nothing to sample). */
	achieved: number;
	met: boolean;
}

export interface AssessorRate {
	assessorId: string;
	name: string;
	risk: RiskRating;
	riskLabel: string;
	/** The rate the plan sets for the assessor's risk band (percent). */
	rate: number;
	stages: StageRate[];
}

/** One cell of the grid: samples of one assessor's decisions covering a criterion by a method at a stage. */
export interface CoverageCell {
	assessorId: string;
	criterion: string;
	method: SampleMethod;
	stage: SampleStage;
	samples: number;
}

export interface CameraHeading {
	heading: 'Candidates' | 'Assessors' | 'Methods' | 'Evidence and criteria' | 'Records' | 'Assessment locations';
	summary: string;
	/** Whether this heading has a gap the plan must close. */
	gap: boolean;
}

export interface PlanCoverage {
	planId: string;
	cohortId: string;
	qualificationTitle: string;
	stages: SampleStage[];
	methods: { method: SampleMethod; label: string }[];
	criteria: { code: string; title: string }[];
	assessors: AssessorRate[];
	/** Non-empty cells only; an absent cell has no sample. */
	cells: CoverageCell[];
	/** Each gap the plan must close, in words. */
	gaps: string[];
	/** Every assessor sampled at the required rate, every criterion and method covered at every required stage. */
	compliant: boolean;
	camera: CameraHeading[];
	sampleCount: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? 100 : Math.floor((part * 100) / whole));

/**
 * The plan's coverage as plain data (the page's grid, and the EQA's view): the assessor × criterion ×
 * method × stage counts of the samples of the cohort's counted decisions, each assessor's rate
 * achieved against the rate required, the gaps in words, the CAMERA summary and the compliant state.
 * Undefined for a plan that does not exist. Reads only. `nameLearners: false` (the EQA's view) leaves
 * the names of the cohort's learners not yet sampled out of the CAMERA summary: they are counted only.
 */
export async function planCoverage(db: Db, planId: string, { nameLearners = true }: { nameLearners?: boolean } = {}): Promise<PlanCoverage | undefined> {
	const plan = typeof planId === 'string' ? await dbGet(db.select().from(samplingPlan).where(eq(samplingPlan.id, planId))) : undefined;
	if (!plan) return undefined;
	const state = await planState(db, plan);
	const stages = requiredStages(plan);
	const names = new Map(
		state.assessorIds.length === 0 ? [] : (await dbAll(db.select({ id: user.id, name: user.displayName }).from(user).where(inArray(user.id, state.assessorIds)))).map((u) => [u.id, u.name])
	);
	const gaps: string[] = [];

	const assessors: AssessorRate[] = state.assessorIds
		.map((assessorId) => {
			const risk = bandOf(state.qualifications.get(assessorId)!, plan.rates);
			const rate = plan.rates[risk];
			return {
				assessorId,
				name: names.get(assessorId) ?? '',
				risk,
				riskLabel: RISK_LABELS[risk],
				rate,
				stages: stages.map((stage): StageRate => {
					const population = state.decisions.filter((d) => d.assessorId === assessorId && state.stages.get(d.learnerId) === stage);
					const sampled = population.filter((d) => state.sampled.has(keyOf(d.kind, d.decisionId, stage))).length;
					const required = requiredCount(rate, population.length);
					return { stage, decisions: population.length, sampled, required, achieved: percent(sampled, population.length), met: sampled >= required };
				})
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
	for (const a of assessors) {
		for (const s of a.stages) {
			if (!s.met) gaps.push(`${a.name} (risk ${a.riskLabel.toLowerCase()}): ${s.sampled} of ${s.decisions} ${s.stage} decisions sampled (${s.achieved} %), ${a.rate} % required — ${s.required - s.sampled} more to sample.`);
		}
	}

	// The samples of counted decisions, at the stage each was picked at.
	const byKey = new Map(state.decisions.map((d) => [`${d.kind}:${d.decisionId}`, d]));
	const samples = [...state.sampled.values()].flatMap((s) => {
		const d = byKey.get(`${s.decisionKind}:${s.decisionId}`);
		return d && stages.includes(s.stage) ? [{ sample: s, decision: d }] : [];
	});
	const cellMap = new Map<string, CoverageCell>();
	for (const { sample, decision } of samples) {
		for (const criterion of decision.criteria.filter((c) => plan.criteria.includes(c))) {
			for (const method of decision.methods.filter((m) => plan.methods.includes(m))) {
				const key = `${decision.assessorId}|${criterion}|${method}|${sample.stage}`;
				const cell = cellMap.get(key) ?? { assessorId: decision.assessorId, criterion, method, stage: sample.stage, samples: 0 };
				cell.samples += 1;
				cellMap.set(key, cell);
			}
		}
	}
	const cells = [...cellMap.values()];

	const criteria = plan.criteria.map((code) => ({ code, title: criterionByCode(code)?.title ?? code }));
	let criteriaCovered = 0;
	for (const c of criteria) {
		const missing = stages.filter((stage) => !samples.some(({ sample, decision }) => sample.stage === stage && decision.criteria.includes(c.code) && decision.methods.some((m) => plan.methods.includes(m))));
		if (missing.length === 0) criteriaCovered += 1;
		for (const stage of missing) gaps.push(`${c.code} ${c.title}: no ${stage} sample covers it.`);
	}
	const methods = plan.methods.map((method) => ({ method, label: METHOD_LABELS[method] }));
	let methodsCovered = 0;
	for (const m of methods) {
		const missing = stages.filter((stage) => !samples.some(({ sample, decision }) => sample.stage === stage && decision.methods.includes(m.method)));
		if (missing.length === 0) methodsCovered += 1;
		for (const stage of missing) gaps.push(`${m.label}: no ${stage} sample uses this method.`);
	}

	const sampledLearners = new Set(samples.map(({ decision }) => decision.learnerId));
	const unsampled = state.learners.filter((l) => !sampledLearners.has(l.id));
	const assessorsMet = assessors.filter((a) => a.stages.every((s) => s.met)).length;
	const allPlanSamples = await dbAll(db.select({ pick: iqaSample.pick, kind: iqaSample.decisionKind }).from(iqaSample).where(eq(iqaSample.planId, plan.id)));
	const meetings = (await dbAll(db.select({ id: standardisationMeeting.id }).from(standardisationMeeting).where(eq(standardisationMeeting.planId, plan.id)))).length;
	const simulator = samples.filter(({ decision }) => decision.kind === 'simulation').length;
	const camera: CameraHeading[] = [
		{
			heading: 'Candidates',
			summary: `${sampledLearners.size} of ${state.learners.length} learners have work in the sample${nameLearners && unsampled.length > 0 ? `; not yet: ${unsampled.map((l) => l.name).join(', ')}` : ''}.`,
			gap: false
		},
		{ heading: 'Assessors', summary: `${assessorsMet} of ${assessors.length} assessors sampled at the rate their risk band requires.`, gap: assessorsMet < assessors.length },
		{ heading: 'Methods', summary: `${methodsCovered} of ${methods.length} methods sampled at every required stage (${stages.join(' and ')}).`, gap: methodsCovered < methods.length },
		{ heading: 'Evidence and criteria', summary: `${criteriaCovered} of ${criteria.length} criteria covered by a sample at every required stage.`, gap: criteriaCovered < criteria.length },
		{
			heading: 'Records',
			summary: `${allPlanSamples.length} ${allPlanSamples.length === 1 ? 'sample' : 'samples'} picked under this plan (${allPlanSamples.filter((s) => s.pick === 'rule').length} by rule, ${allPlanSamples.filter((s) => s.pick === 'manual').length} by hand); ${meetings} standardisation ${meetings === 1 ? 'meeting' : 'meetings'} recorded.`,
			gap: false
		},
		{ heading: 'Assessment locations', summary: `In the simulator: ${simulator} sampled decisions; in the workplace: ${samples.length - simulator}.`, gap: false }
	];
	return {
		planId: plan.id,
		cohortId: plan.cohortId,
		qualificationTitle: plan.qualificationTitle,
		stages,
		methods,
		criteria,
		assessors,
		cells,
		gaps,
		compliant: gaps.length === 0,
		camera,
		sampleCount: samples.length
	};
}

export interface GridRow {
	code: string;
	title: string;
	/** One count per column (method × stage), in the columns' order. */
	counts: number[];
	/** The required stages at which no sample covers this criterion (by any method of the plan). */
	gapStages: SampleStage[];
}

export interface GridColumn {
	method: SampleMethod;
	stage: SampleStage;
	/** No sample in this column covers any of the plan's criteria. */
	gap: boolean;
}

/** The grid (criteria × method × stage) for every assessor, or for the one named. */
export function coverageGrid(coverage: PlanCoverage, assessorId: string | null): { columns: GridColumn[]; rows: GridRow[] } {
	const cells = assessorId ? coverage.cells.filter((c) => c.assessorId === assessorId) : coverage.cells;
	const slots = coverage.methods.flatMap(({ method }) => coverage.stages.map((stage) => ({ method, stage })));
	const count = (code: string | null, method: SampleMethod, stage: SampleStage) =>
		cells.filter((cell) => (code === null || cell.criterion === code) && cell.method === method && cell.stage === stage).reduce((n, cell) => n + cell.samples, 0);
	const rows = coverage.criteria.map((c) => {
		const counts = slots.map(({ method, stage }) => count(c.code, method, stage));
		const gapStages = coverage.stages.filter((stage) => !slots.some((slot, i) => slot.stage === stage && counts[i]! > 0));
		return { code: c.code, title: c.title, counts, gapStages };
	});
	const columns = slots.map(({ method, stage }) => ({ method, stage, gap: count(null, method, stage) === 0 }));
	return { columns, rows };
}

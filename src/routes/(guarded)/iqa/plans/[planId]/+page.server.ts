import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { all, checkbox, int, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { CRITERIA, CRITERION_KINDS } from '$lib/criteria';
import { RISK_RATINGS, type RiskRating } from '$lib/server/db/assessment';
import { SAMPLE_METHODS } from '$lib/server/db/sampling';
import { SAMPLE_STAGES } from '$lib/server/db/quality';
import { findCohort } from '$lib/server/cohorts';
import { RISK_LABELS } from '$lib/server/assessor-profiles';
import {
	METHOD_LABELS,
	PLAN_LIMITS,
	STAGE_LABELS,
	coverageGrid,
	decisionsToPick,
	findPlan,
	pickManualSample,
	pickRuleSamples,
	planCoverage,
	planSamples,
	updatePlan,
	type PlanSettingsInput
} from '$lib/server/iqa/sampling';

const NOT_FOUND = 'There is no sampling plan of this centre at this address.';

async function planOf(event: { locals: App.Locals; params: { planId: string } }) {
	const plan = await findPlan(getDb(), event.locals.user!.organisationId, event.params.planId);
	if (!plan) error(404, { message: NOT_FOUND });
	return plan;
}

export const load = withRole('iqa', (async (event) => {
	const db = getDb();
	const plan = await planOf(event);
	const coverage = (await planCoverage(db, plan.id))!;
	const asked = event.url.searchParams.get('assessor');
	const assessor = coverage.assessors.find((a) => a.assessorId === asked) ?? null;
	return {
		plan,
		cohortName: (await findCohort(db, plan.organisationId, plan.cohortId))?.name ?? '',
		coverage,
		grid: coverageGrid(coverage, assessor?.assessorId ?? null),
		assessor: assessor ? { id: assessor.assessorId, name: assessor.name } : null,
		samples: await planSamples(db, plan.id),
		decisions: await decisionsToPick(db, plan, event.locals.user!.id),
		risks: RISK_RATINGS.map((value) => ({ value, label: RISK_LABELS[value] })),
		methods: SAMPLE_METHODS.map((value) => ({ value, label: METHOD_LABELS[value] })),
		criterionKinds: CRITERION_KINDS.map((k) => ({ label: k.plural, criteria: CRITERIA.filter((c) => c.kind === k.kind).map((c) => ({ code: c.code, title: c.title })) })),
		stages: SAMPLE_STAGES.map((value) => ({ value, label: STAGE_LABELS[value] })),
		stageLabels: STAGE_LABELS,
		methodLabels: METHOD_LABELS,
		limits: PLAN_LIMITS
	};
}) satisfies PageServerLoad);

function settingsFrom(form: FormData): PlanSettingsInput {
	return {
		qualificationTitle: text(form, 'qualificationTitle', { max: 400 }),
		rates: Object.fromEntries(RISK_RATINGS.map((band) => [band, int(form, `rate-${band}`, { min: 0, max: 100 })])) as Record<RiskRating, number | null>,
		methods: all(form, 'methods', { max: 40, count: 20 }),
		criteria: all(form, 'criteria', { max: 20, count: 200 }),
		interimRequired: checkbox(form, 'interimRequired'),
		summativeRequired: checkbox(form, 'summativeRequired')
	};
}

const editor = (event: RequestEvent) => ({ id: event.locals.user!.id, organisationId: event.locals.user!.organisationId });

export const actions = actionsWithRole('iqa', {
	settings: async (event) => {
		const plan = await planOf(event);
		const form = await postedForm(event.request);
		const values = settingsFrom(form);
		const saved = await updatePlan(getDb(), editor(event), plan.id, values);
		if (!saved.ok) {
			const posted = { ...values, rates: Object.fromEntries(RISK_RATINGS.map((band) => [band, text(form, `rate-${band}`, { max: 20 })])) };
			return fail(400, { settings: { values: posted, errors: saved.error.fields ?? {}, message: saved.error.message } });
		}
		return { done: 'The plan’s settings are saved.' };
	},
	pick: async (event) => {
		const plan = await planOf(event);
		await postedForm(event.request);
		const { picked, leftAsOwn } = await pickRuleSamples(getDb(), plan.id, new Date(), event.locals.user!.id);
		const count = picked.length === 0 ? 'No new samples: the sample already meets every rate.' : picked.length === 1 ? 'One decision was picked.' : `${picked.length} decisions were picked.`;
		const own = leftAsOwn === 0 ? '' : ` ${leftAsOwn === 1 ? 'One decision' : `${leftAsOwn} decisions`} you signed ${leftAsOwn === 1 ? 'was' : 'were'} left for the scheduled run: an IQA never picks their own decisions.`;
		return { done: count + own };
	},
	manual: async (event) => {
		const plan = await planOf(event);
		const form = await postedForm(event.request);
		const values = { decision: text(form, 'decision', { max: 200 }), stage: text(form, 'stage', { max: 20 }), reason: text(form, 'reason', { max: 2000 }) };
		const picked = await pickManualSample(getDb(), editor(event), plan.id, values);
		if (!picked.ok) return fail(picked.error.code === 'sample.refused' ? 403 : 400, { manual: { values, errors: picked.error.fields ?? {}, message: picked.error.message } });
		return { done: 'The decision is in the sample.' };
	}
} satisfies Actions);

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { findCohort } from '$lib/server/cohorts';
import { METHOD_LABELS, STAGE_LABELS, coverageGrid, findPlan, planCoverage, planSamples } from '$lib/server/iqa/sampling';
import { meetingsOf } from '$lib/server/iqa/meetings';

/** One sampling plan's coverage, samples and meetings, for the administrator to read. */
export const load = withRole('admin', (async ({ locals, params, url }) => {
	const db = getDb();
	const plan = await findPlan(db, locals.user!.organisationId, params.planId);
	if (!plan) error(404, { message: 'There is no sampling plan of this centre at this address.' });
	const coverage = (await planCoverage(db, plan.id))!;
	const assessor = coverage.assessors.find((a) => a.assessorId === url.searchParams.get('assessor')) ?? null;
	return {
		plan: { id: plan.id, qualificationTitle: plan.qualificationTitle, updatedAt: plan.updatedAt },
		cohortName: (await findCohort(db, plan.organisationId, plan.cohortId))?.name ?? '',
		coverage,
		grid: coverageGrid(coverage, assessor?.assessorId ?? null),
		assessor: assessor ? { id: assessor.assessorId, name: assessor.name } : null,
		samples: await planSamples(db, plan.id),
		meetings: await meetingsOf(db, plan.id),
		methodLabels: METHOD_LABELS,
		stageLabels: STAGE_LABELS
	};
}) satisfies PageServerLoad);

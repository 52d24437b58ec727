import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { QUALIFICATION_LABELS, RISK_LABELS } from '$lib/server/assessor-profiles';
import { STANDING_LABELS, recordEqaView } from '$lib/server/eqa/grants';
import { requireOpenGrant } from '$lib/server/eqa/guard';
import { sampleAssessors, sampledLearners } from '$lib/server/eqa/views';
import { reportOf } from '$lib/server/eqa/reports';
import { METHOD_LABELS, STAGE_LABELS, coverageGrid, planCoverage, plansForCohort } from '$lib/server/iqa/sampling';

export const load = withRole('eqa', (async (event) => {
	const db = getDb();
	const opened = await requireOpenGrant(db, event);
	await recordEqaView(db, opened.visitor, opened.grant, 'sample');
	const report = await reportOf(db, opened.grant.id);
	// The cohort's newest sampling plan and its coverage, as the centre's IQA sees it (read-only), but
	// naming no learner: the cohort's learners outside the EQA's sample are counted, never named.
	const plan = (await plansForCohort(db, opened.grant.cohortId)).at(-1);
	const coverage = plan ? await planCoverage(db, plan.id, { nameLearners: false }) : undefined;
	return {
		access: { id: opened.grant.id, centreName: opened.centreName, cohortName: opened.cohortName, startsOn: opened.grant.startsOn, endsOn: opened.grant.endsOn },
		learners: await sampledLearners(db, opened.grant),
		assessors: await sampleAssessors(db, opened.grant),
		planCoverage: plan && coverage ? { title: plan.qualificationTitle, updatedAt: plan.updatedAt, coverage, grid: coverageGrid(coverage, null) } : null,
		methodLabels: METHOD_LABELS,
		stageLabels: STAGE_LABELS,
		report: report ? { submittedAt: report.submittedAt } : null,
		standingLabels: STANDING_LABELS,
		statusLabels: QUALIFICATION_LABELS,
		riskLabels: RISK_LABELS
	};
}) satisfies PageServerLoad);

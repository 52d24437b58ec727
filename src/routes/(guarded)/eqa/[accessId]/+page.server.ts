import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { QUALIFICATION_LABELS, RISK_LABELS } from '$lib/server/assessor-profiles';
import { STANDING_LABELS, recordEqaView } from '$lib/server/eqa/grants';
import { requireOpenGrant } from '$lib/server/eqa/guard';
import { sampleAssessors, sampledLearners } from '$lib/server/eqa/views';
import { reportOf } from '$lib/server/eqa/reports';

export const load = withRole('eqa', ((event) => {
	const db = getDb();
	const opened = requireOpenGrant(db, event);
	recordEqaView(db, opened.visitor, opened.grant, 'sample');
	const report = reportOf(db, opened.grant.id);
	return {
		access: { id: opened.grant.id, centreName: opened.centreName, cohortName: opened.cohortName, startsOn: opened.grant.startsOn, endsOn: opened.grant.endsOn },
		learners: sampledLearners(db, opened.grant),
		assessors: sampleAssessors(db, opened.grant),
		// issue 17: the sampling plan's coverage (planCoverage in src/lib/server/iqa/sampling.ts, the plan helper's) is wired here at merge.
		planCoverage: null,
		report: report ? { submittedAt: report.submittedAt } : null,
		standingLabels: STANDING_LABELS,
		statusLabels: QUALIFICATION_LABELS,
		riskLabels: RISK_LABELS
	};
}) satisfies PageServerLoad);

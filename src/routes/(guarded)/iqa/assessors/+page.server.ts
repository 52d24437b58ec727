import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { QUALIFICATION_LABELS, RISK_LABELS, centreAssessors } from '$lib/server/assessor-profiles';

export const load = withRole('iqa', (async ({ locals }) => ({
	assessors: await centreAssessors(getDb(), locals.user!.organisationId),
	statusLabels: QUALIFICATION_LABELS,
	riskLabels: RISK_LABELS
})) satisfies PageServerLoad);

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { QUALIFICATION_LABELS, RISK_LABELS, assessorProfileView } from '$lib/server/assessor-profiles';

/** The assessor's own profile, read-only: the IQA keeps it. */
export const load = withRole('assessor', (async ({ locals }) => {
	const profile = await assessorProfileView(getDb(), locals.user!.organisationId, locals.user!.id);
	if (!profile) error(404, { message: 'Your account has no assessor profile at this centre.' });
	return { profile, statusLabels: QUALIFICATION_LABELS, riskLabels: RISK_LABELS };
}) satisfies PageServerLoad);

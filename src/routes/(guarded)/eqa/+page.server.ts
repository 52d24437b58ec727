import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { GRANT_STATE_LABELS, grantsOfEqa } from '$lib/server/eqa/grants';

export const load = withRole('eqa', (async ({ locals }) => ({
	name: locals.user!.displayName,
	grants: await grantsOfEqa(getDb(), locals.user!.id),
	stateLabels: GRANT_STATE_LABELS
})) satisfies PageServerLoad);

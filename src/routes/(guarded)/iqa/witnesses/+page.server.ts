import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { witnessesForCentre } from '$lib/server/witnesses';

/** The centre's witness status list, for the IQA to check who gave testimony (issue 17 item 5). */
export const load = withRole('iqa', (async ({ locals }) => {
	return { witnesses: await witnessesForCentre(getDb(), locals.user!.organisationId) };
}) satisfies PageServerLoad);

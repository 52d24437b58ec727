import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { centrePlans } from '$lib/server/iqa/sampling';

/** The centre's sampling plans, for the administrator to read (the IQA keeps them at /iqa/plans). */
export const load = withRole('admin', (async ({ locals }) => ({ plans: await centrePlans(getDb(), locals.user!.organisationId) })) satisfies PageServerLoad);

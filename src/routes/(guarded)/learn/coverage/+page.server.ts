import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { coveragePage } from '$lib/server/coverage';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('learner', (async ({ locals }) => await coveragePage(getDb(), locals.user!.id)) satisfies PageServerLoad);

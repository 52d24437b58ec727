import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { badgeOrigin } from '$lib/server/badges/issuer';
import { learnerBadges } from '$lib/server/badges/issuing';

/** The learner's Open Badges (issued when their unit is signed off: server/badges/issuing.ts). */
export const load = withRole('learner', (async ({ locals }) => ({ badges: await learnerBadges(getDb(), badgeOrigin(), locals.user!.id) })) satisfies PageServerLoad);

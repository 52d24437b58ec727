import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { attemptsOf } from '$lib/server/attempts';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('learner', (({ locals }) => ({ attempts: attemptsOf(getDb(), locals.user!.id) })) satisfies PageServerLoad);

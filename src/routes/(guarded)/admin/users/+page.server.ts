import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { listUsers } from '$lib/server/user-admin';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('admin', (async ({ locals }) => ({ users: await listUsers(getDb(), locals.user!.organisationId), me: locals.user!.id })) satisfies PageServerLoad);

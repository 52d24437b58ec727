import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { listUsers } from '$lib/server/user-admin';

export const load = (({ locals }) => ({ users: listUsers(getDb(), locals.user!.organisationId), me: locals.user!.id })) satisfies PageServerLoad;

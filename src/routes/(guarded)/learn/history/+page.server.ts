import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { attemptsOf } from '$lib/server/attempts';

export const load = (({ locals }) => ({ attempts: attemptsOf(getDb(), locals.user!.id) })) satisfies PageServerLoad;

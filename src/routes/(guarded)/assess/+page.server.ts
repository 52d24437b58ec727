import type { PageServerLoad } from './$types';

export const load = (({ locals }) => ({ name: locals.user?.displayName ?? '' })) satisfies PageServerLoad;

import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { homeFor } from '$lib/server/auth/access';

export const load = (({ locals }) => {
	if (locals.user) redirect(303, homeFor(locals.user.roles));
	return {};
}) satisfies PageServerLoad;

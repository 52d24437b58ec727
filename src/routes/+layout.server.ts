import type { LayoutServerLoad } from './$types';
import { AREAS } from '$lib/server/auth/access';

export const load = (({ locals }) => {
	const user = locals.user;
	return {
		user: user
			? {
					displayName: user.displayName,
					email: user.email,
					roles: user.roles,
					areas: AREAS.filter((a) => user.roles.includes(a.role)).map(({ prefix, label }) => ({ href: prefix, label }))
				}
			: null
	};
}) satisfies LayoutServerLoad;

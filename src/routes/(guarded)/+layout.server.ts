import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/**
 * The access decision is made in hooks.server.ts for every request; a refused page is rendered
 * from here so that the 403 page keeps the site's layout and security headers.
 */
export const load = (({ locals }) => {
	if (locals.denied) error(403, { message: locals.denied });
	return {};
}) satisfies LayoutServerLoad;

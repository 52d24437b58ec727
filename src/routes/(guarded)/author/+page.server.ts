import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { scenarioLibrary } from '$lib/server/authoring';
import { withRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (async ({ locals }) => {
	const user = locals.user!;
	const library = await scenarioLibrary(getDb(), user);
	return {
		name: user.displayName,
		counts: {
			builtIn: library.filter((e) => e.origin === 'built-in').length,
			centre: library.filter((e) => e.origin === 'centre').length,
			drafts: library.filter((e) => e.origin === 'centre' && e.unpublishedChanges).length
		}
	};
}) satisfies PageServerLoad);

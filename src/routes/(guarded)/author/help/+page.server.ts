import type { PageServerLoad } from './$types';
import { withRole } from '$lib/server/auth/access';
import { HELP_TOPICS } from '$lib/help/topics';

export const load = withRole('tutor', (() => ({
	topics: HELP_TOPICS.map(({ slug, title, summary }) => ({ slug, title, summary }))
})) satisfies PageServerLoad);

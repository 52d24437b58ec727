import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { withRole } from '$lib/server/auth/access';
import { helpTopic } from '$lib/help/topics';

export const load = withRole('tutor', (({ params }) => {
	const topic = helpTopic(params.topic);
	if (!topic) error(404, { message: 'There is no help topic with that name.' });
	return { topic };
}) satisfies PageServerLoad);

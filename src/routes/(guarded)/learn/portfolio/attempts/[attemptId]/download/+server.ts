import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { downloadDocument } from '$lib/server/portfolio/download';

/** One ended attempt of the learner's own as a new PDF document; anyone else's is "not found". */
export const POST: RequestHandler = withRole('learner', (event) => {
	const learnerId = event.locals.user!.id;
	return downloadDocument(getDb(), event, {
		issue: { learnerId, kind: 'attempt', attemptId: event.params.attemptId },
		issuedBy: learnerId,
		notFound: 'There is no ended attempt of yours at this address.'
	});
});

/** A GET issues nothing: back to the page with the download buttons. */
export const GET: RequestHandler = withRole('learner', () => redirect(303, '/learn/portfolio'));

import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { downloadDocument } from '$lib/server/portfolio/download';

/** The learner's whole portfolio as a new PDF document, streamed (download.ts: POST only). */
export const POST: RequestHandler = withRole('learner', (event) => {
	const learnerId = event.locals.user!.id;
	return downloadDocument(getDb(), event, { issue: { learnerId, kind: 'portfolio' }, issuedBy: learnerId, notFound: 'There is no portfolio to download.' });
});

/** A GET issues nothing: back to the page with the download button. */
export const GET: RequestHandler = withRole('learner', () => redirect(303, '/learn/portfolio'));

import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { downloadEvidencePack } from '$lib/server/portfolio/pack-download';

/** The learner's own evidence pack (a ZIP), issued and recorded: POST only (pack-download.ts). */
export const POST: RequestHandler = withRole('learner', (event) => {
	const learnerId = event.locals.user!.id;
	return downloadEvidencePack(getDb(), event, { learnerId, issuedBy: learnerId, notFound: 'There is no portfolio to pack.' });
});

/** A GET issues nothing: back to the page with the download button. */
export const GET: RequestHandler = withRole('learner', () => redirect(303, '/learn/portfolio'));

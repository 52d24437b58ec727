import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { withUser } from '$lib/server/auth/access';
import { storedUploadFor, uploadResponse } from '$lib/server/uploads/serve';

/** A stored upload's file, for whoever may read it (uploads/access.ts); anyone else is told there is none. */
export const GET = withUser((async ({ locals, params }) => {
	const file = storedUploadFor(getDb(), locals.user!, params.uploadId);
	if (!file) error(404, { message: 'There is no such file, or it is not yours to see.' });
	return uploadResponse(file);
}) satisfies RequestHandler);

import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { withUser } from '$lib/server/auth/access';
import { storedUploadFor, uploadResponse } from '$lib/server/uploads/serve';
import { recordSecurityEvent, requestContext } from '$lib/server/security/events';

/** A stored upload's file, for whoever may read it (uploads/access.ts); anyone else is told there is none. */
export const GET = withUser((async (event) => {
	const { locals, params } = event;
	const db = getDb();
	const user = locals.user!;
	const file = await storedUploadFor(db, user, params.uploadId);
	if (!file) error(404, { message: 'There is no such file, or it is not yours to see.' });
	// Every view an external quality assurer makes is logged (issue 17 item 4).
	if (user.roles.includes('eqa') && file.ownerId !== user.id) {
		await recordSecurityEvent(db, { type: 'eqa.viewed', userId: user.id, ...requestContext(event), detail: { learnerId: file.ownerId, what: 'upload', uploadId: file.id } });
	}
	const response = await uploadResponse(db, file);
	if (!response) error(404, { message: 'That file is no longer in storage: ask the centre, which keeps its SHA-256 to check a copy against.' });
	return response;
}) satisfies RequestHandler);

import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { statusOf } from '$lib/server/uploads/receive';
import { created, notTus, tusRefusal, uploadMetadata } from '$lib/server/uploads/tus';
import { startEvidenceUpload } from '$lib/server/workplace/learner-evidence';

/** tus creation: a new upload for one of the learner's draft evidence items (metadata "evidence"). */
export const POST = withRole('learner', (async ({ locals, request }) => {
	const refused = notTus(request);
	if (refused) return refused;
	const metadata = uploadMetadata(request.headers.get('upload-metadata'));
	const result = await startEvidenceUpload(getDb(), locals.user!, metadata.evidence ?? '', { name: metadata.filename ?? '', length: request.headers.get('upload-length') });
	if (!result.ok) return tusRefusal(result.error);
	return created(`/learn/uploads/${result.value.id}`, statusOf(result.value));
}) satisfies RequestHandler);

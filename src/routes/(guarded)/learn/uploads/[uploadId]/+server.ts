import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { withRole } from '$lib/server/auth/access';
import { appendChunk, ownUpload, statusOf } from '$lib/server/uploads/receive';
import { notTus, offsetResponse, statusResponse, tusRefusal, uploadOffset } from '$lib/server/uploads/tus';
import { removeEvidenceFile } from '$lib/server/workplace/learner-evidence';

const missing = () => tusRefusal({ code: 'upload.not-found', message: 'There is no such upload among yours.' });

/** tus HEAD: how much of the upload has arrived, to carry on from there. */
export const HEAD = withRole('learner', (async ({ locals, params, request }) => {
	const refused = notTus(request);
	if (refused) return new Response(null, { status: refused.status, headers: refused.headers });
	const row = await ownUpload(getDb(), locals.user!, params.uploadId);
	if (!row) return new Response(null, { status: 404, headers: { 'Cache-Control': 'no-store' } });
	return offsetResponse(statusOf(row), 200);
}) satisfies RequestHandler);

/** The upload's state once its last byte is in: stored (with what was removed) or refused (why). */
export const GET = withRole('learner', (async ({ locals, params }) => {
	const row = await ownUpload(getDb(), locals.user!, params.uploadId);
	return row ? statusResponse(statusOf(row)) : missing();
}) satisfies RequestHandler);

/** tus PATCH: the next piece, at the offset the upload has reached. */
export const PATCH = withRole('learner', (async ({ locals, params, request }) => {
	const refused = notTus(request);
	if (refused) return refused;
	if (!request.body) return tusRefusal({ code: 'upload.invalid', message: 'The piece was empty.' });
	const result = await appendChunk(getDb(), locals.user!, params.uploadId, uploadOffset(request), request.body);
	return result.ok ? offsetResponse(result.value) : tusRefusal(result.error);
}) satisfies RequestHandler);

/** tus termination: the learner stops an upload or takes a draft's file off. */
export const DELETE = withRole('learner', (async ({ locals, params, request }) => {
	const refused = notTus(request);
	if (refused) return refused;
	const result = await removeEvidenceFile(getDb(), locals.user!, params.uploadId);
	if (!result.ok) return result.error.code === 'workplace.not-found' ? missing() : tusRefusal({ code: 'upload.complete', message: result.error.message });
	return new Response(null, { status: 204, headers: { 'Tus-Resumable': '1.0.0' } });
}) satisfies RequestHandler);

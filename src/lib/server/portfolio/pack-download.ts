/**
 * Asking for an evidence pack: the same rules as a PDF download (download.ts): POST only, from this
 * site's own page (Origin checked), one render per user and PORTFOLIO_RENDERS across the server.
 */
import { dbGet } from '$lib/core/database';
import type { RequestEvent } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { user, userRole } from '$lib/server/db/schema';
import { refusal } from '$lib/server/auth/refusal';
import { recordSecurityEvent, requestContext } from '$lib/server/security/events';
import type { RenderCapacity } from './capacity';
import { portfolioRenders } from './download';
import { issueEvidencePack, packResponse, type IssuePackOptions } from './evidence-pack';
import { renderOffThread } from './render-off-thread';

/**
 * Whether `learnerId` is a learner of the centre `organisationId`: whom a centre's IQA and
 * administrator may issue a pack for. Never themselves.
 */
export async function learnerOfCentre(db: Db, organisationId: string, staffId: string, learnerId: string): Promise<boolean> {
	if (learnerId === staffId) return false;
	const found = await dbGet(db
		.select({ id: user.id })
		.from(user)
		.innerJoin(userRole, and(eq(userRole.userId, user.id), eq(userRole.role, 'learner')))
		.where(and(eq(user.id, learnerId), eq(user.organisationId, organisationId))));
	return found !== undefined;
}

export interface PackRequest {
	/** The learner whose pack it is, or undefined when the asker may not have it (answered as not found). */
	learnerId: string | undefined;
	issuedBy: string;
	notFound: string;
	render?: IssuePackOptions['render'];
	zip?: IssuePackOptions['zip'];
}

type DownloadEvent = Pick<RequestEvent, 'request' | 'url' | 'isDataRequest' | 'getClientAddress' | 'route' | 'locals'>;

export async function downloadEvidencePack(db: Db, event: DownloadEvent, request: PackRequest, capacity: RenderCapacity = portfolioRenders(db)): Promise<Response> {
	const context = requestContext(event);
	if (event.request.headers.get('origin') !== event.url.origin) {
		await recordSecurityEvent(db, { type: 'access.refused', userId: request.issuedBy, ...context, detail: { reason: 'cross-origin-download' } });
		return refusal(event, 403, 'A pack can only be asked for from this site’s own pages. Open the page and use its download button.');
	}
	if (!request.learnerId) return refusal(event, 404, request.notFound);
	const slot = await capacity.start(request.issuedBy);
	if (!slot.ok) {
		const response = refusal(event, slot.error.status, slot.error.message);
		if (slot.error.code === 'render.centre-busy') response.headers.set('Retry-After', String(slot.error.retryAfterSeconds));
		return response;
	}
	try {
		const pack = await issueEvidencePack(db, request.learnerId, {
			origin: event.url.origin,
			issuedBy: request.issuedBy,
			request: context,
			render: request.render ?? renderOffThread,
			zip: request.zip
		});
		return pack ? packResponse(pack) : refusal(event, 404, request.notFound);
	} finally {
		await slot.value.release();
	}
}

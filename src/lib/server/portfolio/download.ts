/**
 * Asking for a portfolio document: what the download endpoints do with a POST.
 *
 * Issuing a document records it, so it is a POST, never a GET (RFC 9110 §9.2.1: GET is safe).
 * SvelteKit refuses a cross-site POST only for form content types; the page always sends a form,
 * and the Origin is checked here as well, so a cross-site request of any type issues nothing
 * (ASVS 5.0 §3.5.1). Renders are limited per user and centre-wide (capacity.ts).
 */
import type { RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { Db } from '$lib/core/database';
import { refusal } from '$lib/server/auth/refusal';
import { recordSecurityEvent, requestContext } from '$lib/server/security/events';
import { centreWideRenders, renderCapacity, type RenderCapacity } from './capacity';
import { documentResponse, prepareDocument, type IssueRequest, type StreamOptions } from './documents';
import { renderOffThread } from './render-off-thread';

let renders: RenderCapacity | undefined;

/** This instance's one capacity, sized by PORTFOLIO_RENDERS when first used (the app has one database). */
export function portfolioRenders(db: Db): RenderCapacity {
	renders ??= renderCapacity(centreWideRenders(env.PORTFOLIO_RENDERS), db);
	return renders;
}

export interface DownloadRequest {
	/** The document asked for, or undefined when the asker may not have it (answered as not found). */
	issue: IssueRequest | undefined;
	/** Who asks: the learner or their assessor. */
	issuedBy: string;
	notFound: string;
	/** Draws the PDF; by default in a worker thread (render-off-thread.ts). */
	render?: StreamOptions['render'];
}

type DownloadEvent = Pick<RequestEvent, 'request' | 'url' | 'isDataRequest' | 'getClientAddress' | 'route' | 'locals'>;

/** The slot is taken before the first await, so two requests at once can never both get one. */
export async function downloadDocument(db: Db, event: DownloadEvent, download: DownloadRequest, capacity: RenderCapacity = portfolioRenders(db)): Promise<Response> {
	const context = requestContext(event);
	if (event.request.headers.get('origin') !== event.url.origin) {
		await recordSecurityEvent(db, { type: 'access.refused', userId: download.issuedBy, ...context, detail: { reason: 'cross-origin-download' } });
		return refusal(event, 403, 'A document can only be asked for from this site’s own portfolio page. Open the page and use its download button.');
	}
	const slot = await capacity.start(download.issuedBy);
	if (!slot.ok) {
		const response = refusal(event, slot.error.status, slot.error.message);
		if (slot.error.code === 'render.centre-busy') response.headers.set('Retry-After', String(slot.error.retryAfterSeconds));
		return response;
	}
	try {
		const prepared = download.issue && (await prepareDocument(db, download.issue));
		if (!prepared) {
			await slot.value.release();
			return refusal(event, 404, download.notFound);
		}
		return documentResponse(db, prepared, {
			origin: event.url.origin,
			issuedBy: download.issuedBy,
			request: context,
			render: download.render ?? renderOffThread,
			// A release that fails leaves the slot to expire (capacity.ts): the download itself is done.
			onSettled: () => slot.value.release().catch(() => undefined)
		});
	} catch (e) {
		await slot.value.release();
		throw e;
	}
}

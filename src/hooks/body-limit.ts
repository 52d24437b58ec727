/**
 * Request bodies limited by route (issue 13, item 3; OWASP ASVS 5.0 §15.2.2: no loss of availability to
 * resource-demanding requests).
 *
 * adapter-node's BODY_SIZE_LIMIT (4M under `npm start`) is one bound for every route, and parsing a
 * 4 MB form of 400,000 tiny fields holds the event loop for ~440 ms, anonymously on /login. Here
 * each matched route (`event.route.id`, never the URL's text) gets the size its own forms need:
 * small for log-in and ordinary forms, more only where a form carries an upload or a long text, and
 * the upload allowance only for the content type that carries a file. A larger body is refused with
 * 413 before anything reads it: by its Content-Length, or, for a body sent without one (chunked),
 * by reading it here and stopping at the limit. BODY_SIZE_LIMIT stays the outer bound.
 *
 * Runs after authentication and authorisation (hooks.server.ts), so a refused or anonymous client
 * never gets a body read on a guarded route.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { MAX_SOURCE_BYTES } from '$lib/server/authoring';
import { IMPORT_MAX_BYTES } from '$lib/server/user-admin';
import { uploadLimitBytes } from '$lib/server/portfolio/documents';
import { refusal } from '$lib/server/auth/refusal';
import { UPLOAD_CHUNK_BYTES } from '$lib/server/uploads/storage';

const KB = 1024;

/** Log-in and every ordinary form: a few fields of bounded text. */
export const DEFAULT_BODY_LIMIT = 64 * KB;

/** Forms whose text boxes hold a page or two each (assessor's review, reflection, testimony, observation). */
const LONG_TEXT_LIMIT = 256 * KB;

/**
 * A text of `bytes` typed into a textarea and posted without JavaScript is percent-encoded: a
 * newline, a colon, a comma or an @ takes 3 bytes, a letter outside ASCII 6 to 9. Scenario YAML and
 * learner CSV come to well under 2.5 times their size; the margin covers the other fields.
 */
const typedText = (bytes: number) => Math.ceil(bytes * 2.5) + 16 * KB;

/** A file posted as multipart/form-data: the file plus its part headers and the other fields. */
const uploadOf = (bytes: number) => bytes + 16 * KB;

interface RouteLimit {
	/** Any body, whatever its content type. */
	form: number;
	/** A multipart/form-data body (a file upload) may be this large. */
	upload?: number;
}

/** Routes with more than DEFAULT_BODY_LIMIT, by route id; every other route has the default. */
function routeLimits(outerBound: number): Record<string, RouteLimit> {
	return {
		// A whole portfolio PDF uploaded to be checked (20 attempts ≈ 550 KB): as much as the server takes.
		'/verify': { form: DEFAULT_BODY_LIMIT, upload: outerBound },
		'/(guarded)/author/scenarios/import': { form: DEFAULT_BODY_LIMIT, upload: uploadOf(MAX_SOURCE_BYTES) },
		'/(guarded)/author/scenarios/[scenarioId]/edit': { form: typedText(MAX_SOURCE_BYTES) },
		'/(guarded)/admin/users/import': { form: typedText(IMPORT_MAX_BYTES), upload: uploadOf(IMPORT_MAX_BYTES) + typedText(IMPORT_MAX_BYTES) },
		'/(guarded)/assess/attempts/[attemptId]': { form: LONG_TEXT_LIMIT },
		'/(guarded)/assess/learners/[learnerId]': { form: LONG_TEXT_LIMIT },
		'/(guarded)/learn/attempts/[attemptId]/reflection': { form: LONG_TEXT_LIMIT },
		'/(guarded)/learn/evidence': { form: LONG_TEXT_LIMIT },
		'/(guarded)/learn/evidence/[evidenceId]': { form: LONG_TEXT_LIMIT },
		// One piece of a resumable upload (tus PATCH, raw bytes): the file arrives in pieces of at most this.
		'/(guarded)/learn/uploads/[uploadId]': { form: UPLOAD_CHUNK_BYTES }
	};
}

/** The largest body the route accepts with this content type, never above BODY_SIZE_LIMIT. */
export function bodyLimitFor(routeId: string | null, contentType: string | null, outerBound = uploadLimitBytes(env.BODY_SIZE_LIMIT)): number {
	const limits = routeId ? routeLimits(outerBound)[routeId] : undefined;
	const multipart = (contentType ?? '').toLowerCase().startsWith('multipart/form-data');
	const limit = (multipart ? limits?.upload : undefined) ?? limits?.form ?? DEFAULT_BODY_LIMIT;
	return Math.min(limit, outerBound);
}

/** "64 KB", "4 MB": how the refusal names a size. */
export function sizeLabel(bytes: number): string {
	return bytes >= 1024 * KB ? `${(bytes / (1024 * KB)).toFixed(bytes % (1024 * KB) === 0 ? 0 : 1)} MB` : `${Math.ceil(bytes / KB)} KB`;
}

/**
 * The 413. A client still sending its body may never read an answer that comes early on a
 * connection that is then closed (its unread bytes turn the close into a reset), so the rest of the
 * body is read and dropped, bytes only, nothing parsed: `rest` up to `budget` bytes here, or, when
 * `rest` is null (a declared length over BODY_SIZE_LIMIT, which adapter-node never starts reading),
 * by Node's HTTP server after the answer. A chunked body longer than the budget is cut off by
 * closing the connection.
 */
async function tooLarge(event: Pick<RequestEvent, 'isDataRequest' | 'request'>, limit: number, rest: ReadableStream<Uint8Array> | null, budget: number): Promise<Response> {
	const drained = rest === null || (await discardWithin(rest, budget));
	const response = refusal(event, 413, `What you sent is larger than this page accepts (at most ${sizeLabel(limit)}). Shorten the text or choose a smaller file, and send it again.`);
	if (!drained) response.headers.set('Connection', 'close');
	return response;
}

/** Reads and drops what is left of a body; false (and stops) once more than `limit` bytes came. */
async function discardWithin(body: ReadableStream<Uint8Array>, limit: number): Promise<boolean> {
	const reader = body.getReader();
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return true;
			size += value.byteLength;
			if (size > limit) return false;
		}
	} catch {
		return false;
	} finally {
		reader.releaseLock();
	}
}

/**
 * The body read whole if it is at most `limit` bytes; null as soon as it is found to be larger (the
 * rest is never read).
 */
export async function readWithin(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			// Not cancel(): adapter-node destroys the socket on cancel, and the 413 could not be sent.
			reader.releaseLock();
			return null;
		}
		chunks.push(value);
	}
	const whole = new Uint8Array(size);
	let at = 0;
	for (const chunk of chunks) {
		whole.set(chunk, at);
		at += chunk.byteLength;
	}
	return whole;
}

export const bodyLimit: Handle = async ({ event, resolve }) => {
	const request = event.request;
	if (request.body === null) return resolve(event);
	const outerBound = uploadLimitBytes(env.BODY_SIZE_LIMIT);
	const limit = bodyLimitFor(event.route.id, request.headers.get('content-type'), outerBound);
	const declared = request.headers.get('content-length');
	if (declared !== null) {
		// adapter-node errors the stream if more arrives than was declared (RFC 9112 §6.3), so the
		// declared length bounds what any parser will read.
		const length = Number(declared);
		if (!Number.isSafeInteger(length) || length > limit) return tooLarge(event, limit, length <= outerBound ? request.body : null, outerBound);
		return resolve(event);
	}
	// No Content-Length (chunked, RFC 9112 §7.1): read it here, up to the limit, before any parser does.
	const bytes = await readWithin(request.body, limit);
	if (bytes === null) return tooLarge(event, limit, request.body, outerBound - limit);
	const headers = new Headers(request.headers);
	headers.delete('transfer-encoding');
	headers.set('content-length', String(bytes.byteLength));
	event.request = new Request(request.url, { method: request.method, headers, body: bytes, signal: request.signal });
	return resolve(event);
};

/**
 * The HTTP side of receiving uploads (the core of tus 1.0: creation, HEAD, PATCH, termination):
 * reading its headers and turning the results of receive.ts into responses. Every request must
 * carry `Tus-Resumable: 1.0.0`, which a cross-site form cannot send, and a PATCH must be
 * `application/offset+octet-stream`, which it cannot send either (no CSRF through here).
 */
import type { UploadError, UploadStatus } from './receive';

export const TUS_VERSION = '1.0.0';

const STATUS_OF: Record<UploadError['code'], number> = {
	'upload.invalid': 400,
	'upload.not-found': 404,
	'upload.too-large': 413,
	'upload.quota': 413,
	'upload.offset': 409,
	'upload.busy': 409,
	'upload.complete': 409,
	'upload.interrupted': 400,
	'upload.refused': 422
};

function headers(extra: Record<string, string> = {}): Headers {
	return new Headers({ 'Tus-Resumable': TUS_VERSION, 'Cache-Control': 'no-store', ...extra });
}

export function tusRefusal(error: Pick<UploadError, 'code' | 'message' | 'offset'>): Response {
	const extra: Record<string, string> = error.offset === undefined ? {} : { 'Upload-Offset': String(error.offset) };
	return Response.json({ code: error.code, message: error.message }, { status: STATUS_OF[error.code], headers: headers(extra) });
}

/** A request without the protocol's header, or a PATCH of another content type. */
export function notTus(request: Request): Response | null {
	if (request.headers.get('tus-resumable') !== TUS_VERSION) {
		return Response.json({ message: 'This address takes resumable uploads (tus 1.0.0) from the evidence page only.' }, { status: 412, headers: headers({ 'Tus-Version': TUS_VERSION }) });
	}
	if (request.method === 'PATCH' && request.headers.get('content-type') !== 'application/offset+octet-stream') {
		return Response.json({ message: 'A piece of an upload is sent as application/offset+octet-stream.' }, { status: 415, headers: headers() });
	}
	return null;
}

/** tus Upload-Metadata: comma-separated "key base64value" pairs. */
export function uploadMetadata(header: string | null): Record<string, string> {
	const values: Record<string, string> = {};
	for (const pair of (header ?? '').split(',').slice(0, 10)) {
		const [key, encoded] = pair.trim().split(' ');
		if (!key || key.length > 40) continue;
		try {
			values[key] = encoded ? new TextDecoder().decode(Uint8Array.from(atob(encoded.slice(0, 4000)), (c) => c.charCodeAt(0))) : '';
		} catch {
			values[key] = '';
		}
	}
	return values;
}

/** The offset a PATCH says it starts at, or NaN. */
export function uploadOffset(request: Request): number {
	const value = request.headers.get('upload-offset') ?? '';
	return /^\d{1,16}$/.test(value) ? Number(value) : NaN;
}

export function created(location: string, status: UploadStatus): Response {
	return new Response(null, { status: 201, headers: headers({ Location: location, 'Upload-Offset': String(status.offset) }) });
}

export function offsetResponse(status: UploadStatus, code = 204): Response {
	return new Response(null, { status: code, headers: headers({ 'Upload-Offset': String(status.offset), 'Upload-Length': String(status.length) }) });
}

export function statusResponse(status: UploadStatus): Response {
	return Response.json(status, { headers: headers({ 'Upload-Offset': String(status.offset), 'Upload-Length': String(status.length) }) });
}

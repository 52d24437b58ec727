/**
 * Outbound HTTP of the LTI tool: every call has a timeout, a limit on what it reads, our User-Agent
 * (Canvas refuses calls without one) and no redirects (a platform's endpoints are the ones it gave).
 */
export const LTI_USER_AGENT = 'Custodian-LTI/1.0 (+https://www.imsglobal.org/spec/lti/v1p3)';
export const LTI_FETCH_TIMEOUT_MS = 10_000;
/** A platform's configuration, registration answer or JWKS is a few kilobytes; 256 KB is plenty. */
export const LTI_FETCH_MAX_BYTES = 256 * 1024;

export type FetchJsonResult =
	| { ok: true; status: number; body: unknown }
	| { ok: false; error: { code: 'http.timeout' | 'http.network' | 'http.status' | 'http.too-large' | 'http.not-json'; message: string } };

export interface FetchJsonOptions {
	method?: 'GET' | 'POST';
	headers?: Record<string, string>;
	body?: string;
	timeoutMs?: number;
	maxBytes?: number;
}

/** GET or POST, and read a JSON answer of at most `maxBytes`; any failure is a typed result naming it. */
export async function fetchJson(url: string, options: FetchJsonOptions = {}): Promise<FetchJsonResult> {
	const timeoutMs = options.timeoutMs ?? LTI_FETCH_TIMEOUT_MS;
	const maxBytes = options.maxBytes ?? LTI_FETCH_MAX_BYTES;
	const host = safeHost(url);
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers: { 'User-Agent': LTI_USER_AGENT, Accept: 'application/json', ...options.headers },
			body: options.body,
			redirect: 'error',
			signal: AbortSignal.timeout(timeoutMs)
		});
	} catch (cause) {
		const timedOut = cause instanceof DOMException && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
		return timedOut
			? { ok: false, error: { code: 'http.timeout', message: `${host} did not answer within ${timeoutMs / 1000} seconds.` } }
			: { ok: false, error: { code: 'http.network', message: `${host} could not be reached (or it answered with a redirect, which is not followed).` } };
	}
	const declared = Number(response.headers.get('content-length') ?? '0');
	if (declared > maxBytes) {
		await response.body?.cancel();
		return { ok: false, error: { code: 'http.too-large', message: `${host} sent more than ${Math.round(maxBytes / 1024)} KB.` } };
	}
	const text = await readLimited(response, maxBytes);
	if (text === null) return { ok: false, error: { code: 'http.too-large', message: `${host} sent more than ${Math.round(maxBytes / 1024)} KB.` } };
	if (!response.ok) {
		return { ok: false, error: { code: 'http.status', message: `${host} answered with HTTP ${response.status}.` } };
	}
	try {
		return { ok: true, status: response.status, body: JSON.parse(text) };
	} catch {
		return { ok: false, error: { code: 'http.not-json', message: `${host} did not answer with JSON.` } };
	}
}

async function readLimited(response: Response, maxBytes: number): Promise<string | null> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel();
			return null;
		}
		chunks.push(value);
	}
	return new TextDecoder().decode(Buffer.concat(chunks));
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'The platform';
	}
}

/** Hosts where plain http is accepted: the loopback address, for tests and a platform on the same machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Plain http (on the loopback address) only while Custodian itself is not served over https: in
 * development and tests. A site on https never calls a platform over http, so a registration link
 * cannot point the server at a local http service.
 */
function plainHttpAllowed(env: Record<string, string | undefined>): boolean {
	return !(env.ORIGIN ?? '').trim().toLowerCase().startsWith('https:');
}

/**
 * A platform's endpoint as we will call or redirect to it: an absolute https URL (http only on the
 * loopback address, and only while this site is not on https), no credentials in it, no fragment.
 * Null when it is not one; the caller names the field.
 */
export function endpointUrl(value: string, env: Record<string, string | undefined> = process.env): URL | null {
	if (value.length > 2000) return null;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return null;
	}
	if (url.username || url.password || url.hash) return null;
	if (url.protocol === 'https:') return url;
	if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && plainHttpAllowed(env)) return url;
	return null;
}

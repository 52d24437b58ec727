/**
 * Every outbound call the LTI services make goes through `outbound`: a timeout, a cap on the
 * response's size (read as it streams, so a huge or endless body never fills memory), our
 * User-Agent (Canvas refuses calls without one), and failures as typed values, never a throw.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LtiResult, LtiServiceError, OutboundOptions } from './types';

/** The app's version from its package.json (the server runs from the project's folder, as npm start does). */
function appVersion(): string {
	try {
		const version = (JSON.parse(readFileSync(resolve(process.cwd(), 'package.json'), 'utf8')) as { version?: unknown }).version;
		if (typeof version === 'string' && /^[\w.+-]{1,40}$/.test(version)) return version;
	} catch {
		// Started from elsewhere: npm's variable, else no version rather than no User-Agent.
	}
	return process.env.npm_package_version ?? '0';
}

export const USER_AGENT = `Custodian/${appVersion()} (LTI 1.3 tool)`;

export const DEFAULT_OUTBOUND: OutboundOptions = { timeoutMs: 10_000, maxResponseBytes: 1_000_000 };

export interface OutboundResponse {
	status: number;
	headers: Headers;
	body: string;
}

function failure(code: LtiServiceError['code'], message: string, retryable: boolean, status?: number): { ok: false; error: LtiServiceError } {
	return { ok: false, error: status === undefined ? { code, message, retryable } : { code, message, retryable, status } };
}

async function readLimited(response: Response, limit: number): Promise<string | undefined> {
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > limit) {
		await response.body?.cancel();
		return undefined;
	}
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
			return undefined;
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** One HTTP request to a platform; the answer whatever its status, or a typed failure to reach it. */
export async function outbound(url: string, init: { method: string; headers?: Record<string, string>; body?: string }, options: Partial<OutboundOptions> = {}): Promise<LtiResult<OutboundResponse>> {
	const { timeoutMs, maxResponseBytes } = { ...DEFAULT_OUTBOUND, ...options };
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return failure('lti.bad-response', `The platform gave an address that is not a URL: ${url.slice(0, 200)}`, false);
	}
	if (target.protocol !== 'https:' && target.protocol !== 'http:') return failure('lti.bad-response', `The platform gave an address that is not http(s): ${target.protocol}`, false);
	const signal = AbortSignal.timeout(timeoutMs);
	try {
		const response = await fetch(target, {
			method: init.method,
			headers: { 'User-Agent': USER_AGENT, ...init.headers },
			body: init.body,
			redirect: 'manual',
			signal
		});
		const body = await readLimited(response, maxResponseBytes);
		if (body === undefined) return failure('lti.too-large', `${target.host} answered with more than ${maxResponseBytes} bytes; the answer was not read.`, false, response.status);
		return { ok: true, value: { status: response.status, headers: response.headers, body } };
	} catch (error) {
		if (signal.aborted) return failure('lti.timeout', `${target.host} did not answer within ${timeoutMs / 1000} s.`, true);
		return failure('lti.unreachable', `${target.host} could not be reached (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}).`, true);
	}
}

/** A non-2xx answer as a typed failure: 5xx, 408 and 429 may be tried again, other 4xx are permanent. */
export function statusFailure(what: string, response: OutboundResponse): { ok: false; error: LtiServiceError } {
	const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
	const detail = response.body.replace(/\s+/g, ' ').slice(0, 200);
	return failure(
		response.status >= 500 ? 'lti.server-error' : 'lti.refused',
		`${what}: the platform answered ${response.status}${detail ? ` (${detail})` : ''}.`,
		retryable,
		response.status
	);
}

/** The body as JSON, or a typed failure naming what was expected. */
export function jsonBody(what: string, response: OutboundResponse): LtiResult<unknown> {
	try {
		return { ok: true, value: JSON.parse(response.body) as unknown };
	} catch {
		return failure('lti.bad-response', `${what}: the platform's answer is not JSON.`, false, response.status);
	}
}

/**
 * Access tokens for the LTI Advantage services: OAuth 2 client credentials with a JWT client
 * assertion (IMS Security Framework 1.0 §4.1, RFC 7523), asked for per service with only that
 * service's scopes, and kept per (platform, scopes) until shortly before they expire.
 */
import { SignJWT } from 'jose';
import { jsonBody, outbound, statusFailure, type OutboundResponse } from './http';
import type { LtiPlatform, LtiResult, OutboundOptions, ToolSigner } from './types';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** RFC 7523 §3: a short life; the Security Framework asks for no more than five minutes. */
const ASSERTION_LIFETIME_S = 300;
/** A cached token is given up this long before the platform said it expires. */
const EXPIRY_MARGIN_MS = 60_000;

interface CachedToken {
	token: string;
	expiresAt: number;
}

/** Tokens of this process, by platform id and scope set. */
const cache = new Map<string, CachedToken>();

function cacheKey(platformId: string, scopes: readonly string[]): string {
	return `${platformId}\n${[...scopes].sort().join(' ')}`;
}

/** Forgets a token the platform no longer accepts (a 401 from a service), so the next call asks again. */
export function forgetToken(platformId: string, scopes: readonly string[]): void {
	cache.delete(cacheKey(platformId, scopes));
}

/** Forgets every cached token (tests; a platform's registration changed). */
export function forgetAllTokens(): void {
	cache.clear();
}

/** The signed client assertion: iss = sub = client id, aud = the token URL (or the declared audience). */
export async function clientAssertion(platform: LtiPlatform, signer: ToolSigner, now = new Date()): Promise<string> {
	const issuedAt = Math.floor(now.getTime() / 1000);
	return await new SignJWT({})
		.setProtectedHeader({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })
		.setIssuer(platform.clientId)
		.setSubject(platform.clientId)
		.setAudience(platform.tokenAudience ?? platform.tokenUrl)
		.setIssuedAt(issuedAt)
		.setExpirationTime(issuedAt + ASSERTION_LIFETIME_S)
		.setJti(crypto.randomUUID())
		.sign(signer.privateKey);
}

/** A bearer token for these scopes: the cached one while it has more than a minute left, else a new one. */
export async function accessToken(
	platform: LtiPlatform,
	signer: ToolSigner,
	scopes: readonly string[],
	options: { http?: Partial<OutboundOptions>; now?: () => Date } = {}
): Promise<LtiResult<string>> {
	const now = options.now ?? (() => new Date());
	const key = cacheKey(platform.id, scopes);
	const cached = cache.get(key);
	if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now().getTime()) return { ok: true, value: cached.token };
	const body = new URLSearchParams({
		grant_type: 'client_credentials',
		client_assertion_type: ASSERTION_TYPE,
		client_assertion: await clientAssertion(platform, signer, now()),
		scope: scopes.join(' ')
	});
	const answer = await outbound(platform.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: body.toString() }, options.http);
	if (!answer.ok) return answer;
	const response = answer.value;
	if (response.status === 400 || response.status === 401) {
		const refused = statusFailure('The platform refused our token request', response);
		return { ok: false, error: { ...refused.error, code: 'lti.token-refused' } };
	}
	if (response.status < 200 || response.status >= 300) return statusFailure('The platform’s token endpoint', response);
	const json = jsonBody('The platform’s token endpoint', response);
	if (!json.ok) return json;
	const value = json.value as { access_token?: unknown; token_type?: unknown; expires_in?: unknown; scope?: unknown };
	if (typeof value.access_token !== 'string' || value.access_token === '' || (typeof value.token_type === 'string' && value.token_type.toLowerCase() !== 'bearer')) {
		return { ok: false, error: { code: 'lti.bad-response', message: 'The platform’s token endpoint answered without a bearer access_token.', retryable: false, status: response.status } };
	}
	// RFC 6749 §5.1: scope is present when it differs from what was asked; whatever was not granted is refused here.
	if (typeof value.scope === 'string') {
		const granted = new Set(value.scope.split(' ').filter(Boolean));
		const missing = scopes.filter((s) => !granted.has(s));
		if (missing.length > 0) {
			return { ok: false, error: { code: 'lti.scope-not-granted', message: `The platform did not grant ${missing.join(', ')}; ask its administrator to enable that service for this tool.`, retryable: false } };
		}
	}
	const lifetime = typeof value.expires_in === 'number' && value.expires_in > 0 ? value.expires_in : 3600;
	cache.set(key, { token: value.access_token, expiresAt: now().getTime() + lifetime * 1000 });
	return { ok: true, value: value.access_token };
}

/**
 * A call to a service with a token for `scopes`. A 401 means the platform dropped the token before
 * its time: the token is forgotten and the call made once more with a new one.
 */
export async function serviceCall(
	platform: LtiPlatform,
	signer: ToolSigner,
	scopes: readonly string[],
	request: { url: string; method: string; accept?: string; contentType?: string; body?: string },
	options: { http?: Partial<OutboundOptions>; now?: () => Date } = {}
): Promise<LtiResult<OutboundResponse>> {
	for (let round = 0; ; round++) {
		const token = await accessToken(platform, signer, scopes, options);
		if (!token.ok) return token;
		const headers: Record<string, string> = { Authorization: `Bearer ${token.value}` };
		if (request.accept) headers.Accept = request.accept;
		if (request.contentType) headers['Content-Type'] = request.contentType;
		const answer = await outbound(request.url, { method: request.method, headers, body: request.body }, options.http);
		if (answer.ok && answer.value.status === 401 && round === 0) {
			forgetToken(platform.id, scopes);
			continue;
		}
		return answer;
	}
}

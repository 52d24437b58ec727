/**
 * A platform's public keys, from its JWKS URL: fetched with a timeout, a size limit and our
 * User-Agent, kept for CACHE_MS, and fetched again when a token names a key we do not have (the
 * platform rotated), at most once per REFETCH_GAP_MS so a stream of bad tokens cannot make us hammer it.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose';
import { fetchJson } from './http';

const CACHE_MS = 10 * 60 * 1000;
const REFETCH_GAP_MS = 2_000;

interface Cached {
	jwks: JSONWebKeySet;
	fetchedAt: number;
}

const cache = new Map<string, Cached>();

export class PlatformKeysUnavailable extends Error {}

async function load(jwksUrl: string, now: number): Promise<Cached> {
	const fetched = await fetchJson(jwksUrl);
	if (!fetched.ok) throw new PlatformKeysUnavailable(`The platform’s public keys could not be read: ${fetched.error.message}`);
	const body = fetched.body as { keys?: unknown };
	if (!body || !Array.isArray(body.keys)) throw new PlatformKeysUnavailable('The platform’s public keyset is not a JWKS (it has no "keys").');
	const entry = { jwks: { keys: body.keys.filter((k) => typeof k === 'object' && k !== null) } as JSONWebKeySet, fetchedAt: now };
	cache.set(jwksUrl, entry);
	return entry;
}

function hasKid(jwks: JSONWebKeySet, kid: string | undefined): boolean {
	return jwks.keys.some((key) => key.kid === kid);
}

/** A key resolver for jose's jwtVerify, for one platform's JWKS URL. */
export function platformKeyResolver(jwksUrl: string, now = Date.now()) {
	return async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
		let entry = cache.get(jwksUrl);
		if (!entry || now - entry.fetchedAt >= CACHE_MS) entry = await load(jwksUrl, now);
		else if (!hasKid(entry.jwks, header.kid) && now - entry.fetchedAt >= REFETCH_GAP_MS) entry = await load(jwksUrl, now);
		return createLocalJWKSet(entry.jwks)(header, token);
	};
}

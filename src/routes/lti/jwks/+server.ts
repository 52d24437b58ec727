import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { toolJwks } from '$lib/server/lti/keys';

/** Our tool's public keys (RFC 7517), current and recently retired, for platforms to verify what we sign. */
export const GET: RequestHandler = async () => {
	// JSON, nothing to run or frame: the strictest policy, as for every page.
	return json(await toolJwks(getDb()), {
		headers: { 'Cache-Control': 'public, max-age=300', 'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'" }
	});
};

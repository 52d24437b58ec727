import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { badgeOrigin, didDocument } from '$lib/server/badges/issuer';

/**
 * The centre's DID document (did:web:<host>:badges:<centre>): its Open Badges keys, public halves
 * only, every key it ever had. Public and permanent: wallets and verifiers resolve badges' proofs here.
 */
export const GET: RequestHandler = async ({ params }) => {
	const document = await didDocument(getDb(), badgeOrigin(), params.centre);
	if (!document) error(404, { message: 'No centre issues badges under that name.' });
	return new Response(JSON.stringify(document, null, 2), {
		headers: { 'Content-Type': 'application/did+ld+json', 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' }
	});
};

import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { badgeOrigin, validCentreId } from '$lib/server/badges/issuer';
import { statusListCredential } from '$lib/server/badges/status-list';
import { SecretUnreadableError } from '$lib/server/security/secrets';

/**
 * A centre's signed revocation list (BitstringStatusListCredential): public and permanent, so anyone
 * holding a badge can see whether it was revoked. Cached briefly: a revocation shows within a minute.
 */
export const GET: RequestHandler = async ({ params }) => {
	const number = /^[1-9][0-9]{0,8}$/.test(params.list) ? Number(params.list) : NaN;
	let list: Record<string, unknown> | undefined;
	try {
		list = validCentreId(params.centre) && Number.isSafeInteger(number) ? await statusListCredential(getDb(), badgeOrigin(), params.centre, number) : undefined;
	} catch (failure) {
		if (!(failure instanceof SecretUnreadableError)) throw failure;
		console.error(`Open Badges: ${failure.message}`);
		error(503, { message: 'This status list cannot be signed just now: the centre’s badge key cannot be read. Try again later.' });
	}
	if (!list) error(404, { message: 'No such status list.' });
	return new Response(JSON.stringify(list), {
		headers: { 'Content-Type': 'application/vc+ld+json', 'Cache-Control': 'public, max-age=60', 'Access-Control-Allow-Origin': '*' }
	});
};

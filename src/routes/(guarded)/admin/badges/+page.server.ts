import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { postedForm } from '$lib/server/posted-form';
import { actorOf } from '$lib/server/security/events';
import { badgeOrigin, didDocumentUrl, issuerDid, issuerKeys, rotateIssuerKey } from '$lib/server/badges/issuer';

/** The centre's Open Badges issuer: its did:web, its keys (public halves) and the rotation. */
export const load = withRole('admin', (async ({ locals }) => {
	const organisationId = locals.user!.organisationId;
	const origin = badgeOrigin();
	return { did: issuerDid(origin, organisationId), didDocumentUrl: didDocumentUrl(origin, organisationId), keys: await issuerKeys(getDb(), organisationId) };
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	rotate: async (event) => {
		await postedForm(event.request);
		const key = await rotateIssuerKey(getDb(), { ...actorOf(event), organisationId: event.locals.user!.organisationId });
		return { done: `Rotated: key-${key.number} signs from now on. The earlier keys stay published, so badges they signed still verify.` };
	}
} satisfies Actions);

import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithAnyRole, withAnyRole } from '$lib/server/auth/access';
import { readForm, text } from '$lib/form-data';
import { actorOf } from '$lib/server/security/events';
import { badgeOrigin } from '$lib/server/badges/issuer';
import { REVOCATION_REASON_MAX, centreBadges, revokeBadge } from '$lib/server/badges/issuing';

// The centre's IQA and its administrator both revoke badges (access.ts SHARED_ROUTES).
export const load = withAnyRole(['iqa', 'admin'], (async ({ locals }) => ({
	badges: await centreBadges(getDb(), badgeOrigin(), locals.user!.organisationId),
	limits: { reason: REVOCATION_REASON_MAX }
})) satisfies PageServerLoad);

export const actions = actionsWithAnyRole(['iqa', 'admin'], {
	revoke: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten the reason and try again.' });
		const badgeId = text(form, 'badgeId', { max: 100 });
		const reason = text(form, 'reason', { max: REVOCATION_REASON_MAX + 1 });
		const revoked = await revokeBadge(getDb(), badgeOrigin(), { ...actorOf(event), organisationId: event.locals.user!.organisationId }, badgeId, reason);
		if (revoked.ok) return { done: 'Revoked. The centre’s status list says so now, and the learner sees your reason.' };
		if (revoked.error.code === 'badge.not-found') error(404, { message: revoked.error.message });
		return fail(revoked.error.code === 'badge.invalid' ? 400 : revoked.error.code === 'badge.key-unreadable' ? 503 : 409, { badgeId, reason, message: revoked.error.field ? undefined : revoked.error.message, errors: revoked.error.field ? { reason: revoked.error.message } : {} });
	}
} satisfies Actions);

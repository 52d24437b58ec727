import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { readForm, text } from '$lib/form-data';
import { actorOf } from '$lib/server/security/events';
import { UNLOCK_LIMITS, lockedWork, unlockWork } from '$lib/server/iqa/locks';

export const load = withRole('admin', (async ({ locals }) => ({ locked: await lockedWork(getDb(), locals.user!.organisationId), limits: UNLOCK_LIMITS })) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	unlock: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten the reason and try again.' });
		const user = event.locals.user!;
		const decisionKind = text(form, 'decisionKind', { max: 20 });
		const decisionId = text(form, 'decisionId', { max: 100 });
		const reason = text(form, 'reason', { max: UNLOCK_LIMITS.reason + 1 });
		const unlocked = await unlockWork(getDb(), { ...actorOf(event), organisationId: user.organisationId, roles: user.roles }, decisionKind, decisionId, reason);
		if (unlocked.ok) return { done: 'Unlocked. The assessor may now sign a decision that supersedes it; the reason is in the security log.' };
		if (unlocked.error.code === 'lock.not-found') error(404, { message: unlocked.error.message });
		return fail(unlocked.error.code === 'lock.invalid' ? 400 : 403, { decisionId, reason, message: unlocked.error.message, errors: unlocked.error.fields ?? {} });
	}
} satisfies Actions);

import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { all, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { ROLES } from '$lib/server/db/schema';
import { createUserAccount } from '$lib/server/user-admin';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { requestContext } from '$lib/server/security/events';
import { oneTimePasswordLifetimeMs } from '$lib/server/auth/one-time-password';

export const load = withRole('admin', (() => ({ roles: ROLES, oneTimePasswordHours: oneTimePasswordLifetimeMs() / 3_600_000 })) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	default: async ({ request, locals, getClientAddress, route }) => {
		const form = await postedForm(request);
		const values = { displayName: text(form, 'displayName'), email: text(form, 'email'), roles: all(form, 'roles', { count: 10, max: 50 }) };
		const by = { id: locals.user!.id, ...requestContext({ getClientAddress, route, locals }) };
		const result = await createUserAccount(getDb(), locals.user!.organisationId, values, by);
		if (!result.ok) return fail(400, { values, errors: result.errors, created: null });
		const { user, oneTimePassword } = result.value;
		return { values: null, errors: null, created: { id: user.id, name: user.displayName, email: user.email, password: oneTimePassword } };
	}
} satisfies Actions);

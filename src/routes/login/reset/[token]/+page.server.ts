import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { PASSWORD_MIN_LENGTH } from '$lib/server/auth/password';
import { LINK_NOT_WORKING, completePasswordReset, findResetLink } from '$lib/server/auth/password-reset';
import { requestContext } from '$lib/server/security/events';

export const load = (async ({ params }) => {
	const link = await findResetLink(getDb(), params.token);
	return { works: link !== null, email: link?.user.email ?? null, minLength: PASSWORD_MIN_LENGTH, linkMessage: LINK_NOT_WORKING };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await postedForm(event.request);
		const input = { newPassword: text(form, 'newPassword', { max: 256 }), confirmPassword: text(form, 'confirmPassword', { max: 256 }) };
		const result = await completePasswordReset(getDb(), event.params.token, input, requestContext(event));
		if (result.ok) redirect(303, '/login?reset=done');
		if (result.reason === 'link') return fail(400, { linkInvalid: true, errors: {} });
		return fail(400, { linkInvalid: false, errors: result.errors });
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { createCohort, listCohorts } from '$lib/server/cohorts';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (async ({ locals }) => ({ cohorts: await listCohorts(getDb(), locals.user!.organisationId) })) satisfies PageServerLoad);

export const actions = actionsWithRole('tutor', {
	create: async ({ request, locals }) => {
		const form = await postedForm(request);
		const values = { name: text(form, 'name'), description: text(form, 'description', { max: 2000 }) };
		const result = await createCohort(getDb(), locals.user!.organisationId, locals.user!.id, values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, `/author/cohorts/${result.value.id}?created=1`);
	}
} satisfies Actions);

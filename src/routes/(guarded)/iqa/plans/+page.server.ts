import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { listCohorts } from '$lib/server/cohorts';
import { PLAN_LIMITS, centrePlans, createPlan, planDefaults } from '$lib/server/iqa/sampling';

export const load = withRole('iqa', (async ({ locals }) => {
	const db = getDb();
	return {
		plans: await centrePlans(db, locals.user!.organisationId),
		cohorts: (await listCohorts(db, locals.user!.organisationId))
			.filter((c) => !c.archived)
			.map((c) => ({ id: c.id, name: c.name })),
		defaultTitle: planDefaults().qualificationTitle,
		limits: PLAN_LIMITS
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('iqa', {
	create: async ({ request, locals }) => {
		const form = await postedForm(request);
		const values = { cohortId: text(form, 'cohortId', { max: 100 }), qualificationTitle: text(form, 'qualificationTitle', { max: 400 }) };
		const made = await createPlan(getDb(), { id: locals.user!.id, organisationId: locals.user!.organisationId }, values.cohortId, { ...planDefaults(), qualificationTitle: values.qualificationTitle });
		if (!made.ok) return fail(400, { values, errors: made.error.fields ?? {}, message: made.error.message });
		redirect(303, `/iqa/plans/${made.value.id}`);
	}
} satisfies Actions);

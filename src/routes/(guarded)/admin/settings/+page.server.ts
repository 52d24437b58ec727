import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getOrganisation, REGIONS, updateOrganisationSettings } from '$lib/server/organisation';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('admin', (({ locals }) => {
	const org = getOrganisation(getDb(), locals.user!.organisationId);
	return {
		regions: REGIONS,
		values: org
			? { name: org.name, region: org.region as string, dpoName: org.dpoName, dpoEmail: org.dpoEmail, dpoPhone: org.dpoPhone }
			: { name: '', region: 'england-and-wales', dpoName: '', dpoEmail: '', dpoPhone: '' }
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const values = {
			name: String(form.get('name') ?? ''),
			region: String(form.get('region') ?? ''),
			dpoName: String(form.get('dpoName') ?? ''),
			dpoEmail: String(form.get('dpoEmail') ?? ''),
			dpoPhone: String(form.get('dpoPhone') ?? '')
		};
		const result = updateOrganisationSettings(getDb(), locals.user!.organisationId, values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, '/admin?saved=settings');
	}
} satisfies Actions);

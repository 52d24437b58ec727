import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { checkbox, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { getOrganisation, REGIONS, updateOrganisationSettings } from '$lib/server/organisation';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { actorOf } from '$lib/server/security/events';
import { SECURITY_LOG_RETENTION_MAX_DAYS, SECURITY_LOG_RETENTION_MIN_DAYS } from '$lib/server/security/retention';

export const load = withRole('admin', (async ({ locals }) => {
	const org = await getOrganisation(getDb(), locals.user!.organisationId);
	return {
		regions: REGIONS,
		retention: { min: SECURITY_LOG_RETENTION_MIN_DAYS, max: SECURITY_LOG_RETENTION_MAX_DAYS },
		values: org
			? {
					name: org.name,
					region: org.region as string,
					dpoName: org.dpoName,
					dpoEmail: org.dpoEmail,
					dpoPhone: org.dpoPhone,
					securityLogRetentionDays: String(org.securityLogRetentionDays),
					requireMfaForLearners: org.requireMfaForLearners
				}
			: { name: '', region: 'england-and-wales', dpoName: '', dpoEmail: '', dpoPhone: '', securityLogRetentionDays: '365', requireMfaForLearners: false }
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	default: async (event) => {
		const { request, locals } = event;
		const form = await postedForm(request);
		const values = {
			name: text(form, 'name'),
			region: text(form, 'region'),
			dpoName: text(form, 'dpoName'),
			dpoEmail: text(form, 'dpoEmail'),
			dpoPhone: text(form, 'dpoPhone'),
			securityLogRetentionDays: text(form, 'securityLogRetentionDays', { max: 20 }),
			requireMfaForLearners: checkbox(form, 'requireMfaForLearners', 'yes')
		};
		const result = await updateOrganisationSettings(getDb(), locals.user!.organisationId, values, actorOf(event));
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, '/admin?saved=settings');
	}
} satisfies Actions);

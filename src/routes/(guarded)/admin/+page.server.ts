import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getOrganisation, REGIONS, retentionRulesOf } from '$lib/server/organisation';
import { listUsers } from '$lib/server/user-admin';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { scheduledWorkView } from '$lib/server/jobs/scheduled-work';
import { failedGradeReturns, retryGradeReturn } from '$lib/server/lti/services/grade-return';
import { postedForm } from '$lib/server/posted-form';
import { text } from '$lib/form-data';
import { secretsStatus } from '$lib/server/security/secrets';

export const load = withRole('admin', (async ({ locals }) => {
	const db = getDb();
	const organisationId = locals.user!.organisationId;
	const org = await getOrganisation(db, organisationId);
	return {
		organisation: org
			? { name: org.name, region: REGIONS.find((r) => r.value === org.region)?.label ?? org.region, dpoName: org.dpoName, dpoEmail: org.dpoEmail, dpoPhone: org.dpoPhone }
			: null,
		retentionRules: (await retentionRulesOf(db, organisationId)).length,
		users: await listUsers(db, organisationId),
		me: locals.user!.id,
		scheduledWork: await scheduledWorkView(db),
		gradeReturnFailures: await failedGradeReturns(db, organisationId),
		// Only whether secrets are encrypted: never a key, nor its id.
		secretsEncrypted: secretsStatus().encrypted
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	/** A grade the LMS refused, put back in the queue once the cause is fixed there. */
	retryGrade: async ({ request, locals }) => {
		const form = await postedForm(request);
		const id = text(form, 'id', { max: 100 });
		if (!await retryGradeReturn(getDb(), locals.user!.organisationId, id)) return fail(404, { grade: { ok: false, message: 'That grade is not waiting to be tried again: reload the page.' } });
		return { grade: { ok: true, message: 'The grade is queued again and is being sent now. If the LMS refuses it again, it comes back to this list with the reason.' } };
	}
} satisfies Actions);

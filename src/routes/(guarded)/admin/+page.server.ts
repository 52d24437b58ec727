import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { getOrganisation, REGIONS, retentionRulesOf } from '$lib/server/organisation';
import { listUsers } from '$lib/server/user-admin';
import { withRole } from '$lib/server/auth/access';
import { scheduledWorkView } from '$lib/server/jobs/scheduled-work';

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
		scheduledWork: await scheduledWorkView(db)
	};
}) satisfies PageServerLoad);

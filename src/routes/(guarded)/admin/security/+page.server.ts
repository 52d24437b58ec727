import type { PageServerLoad } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { getOrganisation } from '$lib/server/organisation';
import { PAGE_SIZES, parseSecurityLogFilters, searchSecurityLog, securityEventChoices } from '$lib/server/security/search';

export const load = withRole('admin', (async ({ locals, url }) => {
	const db = getDb();
	const organisationId = locals.user!.organisationId;
	const filters = parseSecurityLogFilters(url.searchParams);
	const { size, ...criteria } = filters.values;
	return {
		choices: securityEventChoices(),
		pageSizes: PAGE_SIZES,
		retentionDays: (await getOrganisation(db, organisationId))?.securityLogRetentionDays ?? null,
		values: filters.values,
		errors: filters.ok ? {} : filters.errors,
		filtered: Object.values(criteria).some((v) => v !== ''),
		// The filters as a query string, which the links to older and newer pages carry on.
		query: new URLSearchParams(Object.entries({ ...criteria, size }).filter(([, v]) => v !== '')).toString(),
		page: filters.ok ? await searchSecurityLog(db, organisationId, filters.query) : null,
		me: locals.user!.id
	};
}) satisfies PageServerLoad);

import { asc, eq } from 'drizzle-orm';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { user, userRole } from '$lib/server/db/schema';
import { getOrganisation, REGIONS } from '$lib/server/organisation';

export const load = (({ locals }) => {
	const db = getDb();
	const organisationId = locals.user!.organisationId;
	const org = getOrganisation(db, organisationId);
	const rows = db
		.select({ id: user.id, email: user.email, displayName: user.displayName, active: user.active, role: userRole.role })
		.from(user)
		.leftJoin(userRole, eq(userRole.userId, user.id))
		.where(eq(user.organisationId, organisationId))
		.orderBy(asc(user.displayName))
		.all();
	const users = new Map<string, { id: string; email: string; displayName: string; active: boolean; roles: string[] }>();
	for (const row of rows) {
		const entry = users.get(row.id) ?? { id: row.id, email: row.email, displayName: row.displayName, active: row.active, roles: [] };
		if (row.role) entry.roles.push(row.role);
		users.set(row.id, entry);
	}
	return {
		organisation: org
			? { name: org.name, region: REGIONS.find((r) => r.value === org.region)?.label ?? org.region, dpoName: org.dpoName, dpoEmail: org.dpoEmail, dpoPhone: org.dpoPhone }
			: null,
		users: [...users.values()]
	};
}) satisfies PageServerLoad;

import { count } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { organisation, user, type Role } from '$lib/server/db/schema';
import { createUser } from '$lib/server/auth/user';

export const DEMO_ORGANISATION_ID = 'demo-centre';
export const DEMO_PASSWORD = 'custodian-demo-2026';

/** The demo accounts, documented in the README. */
export const DEMO_ACCOUNTS: readonly { email: string; displayName: string; roles: Role[] }[] = [
	{ email: 'learner@custodian.test', displayName: 'Amira Khan', roles: ['learner'] },
	{ email: 'learner2@custodian.test', displayName: 'Tomás Ó Briain', roles: ['learner'] },
	{ email: 'assessor@custodian.test', displayName: 'Gareth Llewellyn', roles: ['assessor'] },
	{ email: 'tutor@custodian.test', displayName: 'Priya Raman', roles: ['tutor'] },
	{ email: 'admin@custodian.test', displayName: 'Morag Campbell', roles: ['admin'] },
	{ email: 'lead@custodian.test', displayName: 'Sam Okafor', roles: ['assessor', 'tutor'] }
];

/** Creates the demo centre and accounts if the database has no organisation yet. */
export async function seedDemoData(db: Db): Promise<boolean> {
	const existing = db.select({ n: count() }).from(organisation).get();
	if ((existing?.n ?? 0) > 0) return false;
	db.insert(organisation)
		.values({
			id: DEMO_ORGANISATION_ID,
			name: 'Northgate Skills Centre',
			region: 'england-and-wales',
			dpoName: 'Helen Marsh',
			dpoEmail: 'dpo@northgate-skills.example',
			dpoPhone: '0113 496 0000',
			updatedAt: new Date().toISOString()
		})
		.run();
	const users = db.select({ n: count() }).from(user).get();
	if ((users?.n ?? 0) === 0) {
		for (const account of DEMO_ACCOUNTS) {
			await createUser(db, { organisationId: DEMO_ORGANISATION_ID, password: DEMO_PASSWORD, ...account });
		}
	}
	return true;
}

/**
 * A production start (DEMO_DATA=false) on an empty database: the centre and its first
 * administrator, whose one-time password must be changed at first log-in.
 */
export async function seedFirstAdministrator(
	db: Db,
	input: { centreName: string; email: string; password: string }
): Promise<boolean> {
	const existing = db.select({ n: count() }).from(organisation).get();
	if ((existing?.n ?? 0) > 0) return false;
	const id = crypto.randomUUID();
	db.insert(organisation).values({ id, name: input.centreName, updatedAt: new Date().toISOString() }).run();
	await createUser(db, {
		organisationId: id,
		email: input.email,
		displayName: 'Administrator',
		password: input.password,
		roles: ['admin'],
		mustChangePassword: true
	});
	return true;
}

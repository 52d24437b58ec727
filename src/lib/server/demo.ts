import { dbGet, dbRun } from '$lib/core/database';
import { count, eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { organisation, user, type Role } from '$lib/server/db/schema';
import { recordSecurityEvent } from '$lib/server/security/events';
import { oneTimePasswordExpiry, oneTimePasswordState } from '$lib/server/auth/one-time-password';
import { hashPassword } from '$lib/server/auth/password';
import { assignment, cohort, cohortMember, type CohortMemberRole } from '$lib/server/db/cohorts';
import { assessorProfile, assessorProfileChange } from '$lib/server/db/assessment';
import { createUser, findUserByEmail } from '$lib/server/auth/user';
import { mfaRequiredFor } from '$lib/server/auth/mfa-policy';
import { storedTotpKey } from '$lib/server/auth/mfa';
import { eqaAccess, eqaAccessLearner } from '$lib/server/db/eqa';
import { addDays } from '$lib/server/eqa/grants';
import { ukToday } from '$lib/dates';

export const DEMO_ORGANISATION_ID = 'demo-centre';
/**
 * Shared by every demo account and set by createUser directly, which checks no password: the
 * password rules would refuse it (it contains the app's name), as they should for a real account.
 */
export const DEMO_PASSWORD = 'custodian-demo-2026';

/**
 * The TOTP key of every demo account that must use MFA (the staff), so that someone trying the demo
 * can log in: `npm run demo:code -- EMAIL` prints the current code, or an authenticator app can
 * take the key by hand (base32 MN2XG5DPMRUWC3RNMRSW23ZNGIYDENRB, see the README). It is the 20 bytes
 * of "custodian-demo-2026!". Demo data only: a real account's key comes from the CSPRNG.
 */
export const DEMO_TOTP_KEY_HEX = '637573746f6469616e2d64656d6f2d3230323621';

/** The demo accounts, documented in the README. */
export const DEMO_ACCOUNTS: readonly { email: string; displayName: string; roles: Role[] }[] = [
	{ email: 'learner@custodian.test', displayName: 'Amira Khan', roles: ['learner'] },
	{ email: 'learner2@custodian.test', displayName: 'Tomás Ó Briain', roles: ['learner'] },
	{ email: 'learner3@custodian.test', displayName: 'Ola Nowak-Fitzgerald', roles: ['learner'] },
	{ email: 'assessor@custodian.test', displayName: 'Gareth Llewellyn', roles: ['assessor'] },
	{ email: 'tutor@custodian.test', displayName: 'Priya Raman', roles: ['tutor'] },
	{ email: 'admin@custodian.test', displayName: 'Morag Campbell', roles: ['admin'] },
	{ email: 'lead@custodian.test', displayName: 'Sam Okafor', roles: ['assessor', 'tutor'] },
	{ email: 'iqa@custodian.test', displayName: 'Helen Achterberg', roles: ['iqa'] },
	{ email: 'trainee@custodian.test', displayName: 'Dafydd Morgan', roles: ['assessor'] },
	{ email: 'eqa@custodian.test', displayName: 'Nkechi Adeyemi', roles: ['eqa'] }
];

/** The demo EQA's access lasts longer than an invitation's default, so a demo database stays useful. */
export const DEMO_EQA_ACCESS_DAYS = 90;

/** Creates the demo centre and accounts if the database has no organisation yet. */
export async function seedDemoData(db: Db): Promise<boolean> {
	const existing = await dbGet(db.select({ n: count() }).from(organisation));
	if ((existing?.n ?? 0) > 0) return false;
	await dbRun(db.insert(organisation)
		.values({
			id: DEMO_ORGANISATION_ID,
			name: 'Northgate Skills Centre',
			region: 'england-and-wales',
			dpoName: 'Helen Marsh',
			dpoEmail: 'dpo@northgate-skills.example',
			dpoPhone: '0113 496 0000',
			updatedAt: new Date().toISOString()
		}));
	const users = await dbGet(db.select({ n: count() }).from(user));
	if ((users?.n ?? 0) === 0) {
		for (const account of DEMO_ACCOUNTS) {
			const made = await createUser(db, { organisationId: DEMO_ORGANISATION_ID, password: DEMO_PASSWORD, ...account });
			if (mfaRequiredFor(account.roles, false)) {
				await dbRun(db.update(user).set({ totpKey: storedTotpKey(made.id, DEMO_TOTP_KEY_HEX), mfaEnrolledAt: made.createdAt }).where(eq(user.id, made.id)));
			}
		}
		await seedDemoCohorts(db, new Date());
		await seedDemoTrainee(db, new Date());
		await seedDemoEqa(db, new Date());
	}
	return true;
}

/** Nkechi (eqa@), the awarding body's EQA, has open access to a sample of the January intake: Amira and Tomás. */
async function seedDemoEqa(db: Db, now: Date): Promise<void> {
	const find = async (email: string) => await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email)));
	const eqa = await find('eqa@custodian.test');
	const iqa = await find('iqa@custodian.test');
	const sample = [await find('learner@custodian.test'), await find('learner2@custodian.test')];
	if (!eqa || !iqa || sample.some((l) => !l)) return;
	const id = 'demo-eqa-access';
	const today = ukToday(now);
	await dbRun(db.insert(eqaAccess)
		.values({ id, organisationId: DEMO_ORGANISATION_ID, eqaUserId: eqa.id, cohortId: 'demo-cohort-january', startsOn: today, endsOn: addDays(today, DEMO_EQA_ACCESS_DAYS), invitedBy: iqa.id, invitedAt: now.toISOString() }));
	for (const learner of sample) await dbRun(db.insert(eqaAccessLearner).values({ accessId: id, learnerId: learner!.id }));
}

/** Dafydd (trainee@) is a trainee assessor: his decisions count once Gareth or Sam countersigns them. */
async function seedDemoTrainee(db: Db, now: Date): Promise<void> {
	const trainee = await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, 'trainee@custodian.test')));
	const iqa = await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, 'iqa@custodian.test')));
	if (!trainee || !iqa) return;
	const at = now.toISOString();
	const since = at.slice(0, 10);
	const reason = 'Working towards the assessor qualification (CAVA); every decision countersigned until qualified.';
	await dbRun(db.insert(assessorProfile).values({ assessorId: trainee.id, status: 'trainee', statusSince: since, risk: 'trainee', riskReason: reason, updatedAt: at, updatedBy: iqa.id }));
	await dbRun(db.insert(assessorProfileChange)
		.values([
			{ id: crypto.randomUUID(), assessorId: trainee.id, kind: 'status', value: 'trainee', onDate: since, text: reason, changedBy: iqa.id, changedAt: at },
			{ id: crypto.randomUUID(), assessorId: trainee.id, kind: 'risk', value: 'trainee', text: reason, changedBy: iqa.id, changedAt: at }
		]));
}

/**
 * Two cohorts: Gareth (assessor@) assesses the January intake (Amira and Tomás) only; Sam (lead@)
 * assesses both, so the March cohort's Ola is someone assessor@ must never see.
 */
export const DEMO_COHORTS: readonly {
	id: string;
	name: string;
	description: string;
	members: { email: string; role: CohortMemberRole }[];
	assignments: { scenarioId: string; dueInDays: number }[];
}[] = [
	{
		id: 'demo-cohort-january',
		name: 'Level 2 Customer Service, January intake',
		description: 'Tuesday and Thursday group, Northgate campus.',
		members: [
			{ email: 'learner@custodian.test', role: 'learner' },
			{ email: 'learner2@custodian.test', role: 'learner' },
			{ email: 'assessor@custodian.test', role: 'assessor' },
			{ email: 'lead@custodian.test', role: 'assessor' },
			{ email: 'trainee@custodian.test', role: 'assessor' }
		],
		assignments: [
			{ scenarioId: 'spouse-caller', dueInDays: 14 },
			{ scenarioId: 'new-customer-signup', dueInDays: 21 },
			{ scenarioId: 'verbal-sar-neighbour', dueInDays: 35 }
		]
	},
	{
		id: 'demo-cohort-march',
		name: 'Level 3 Business Administration, March intake',
		description: 'Evening group.',
		members: [
			{ email: 'learner3@custodian.test', role: 'learner' },
			{ email: 'lead@custodian.test', role: 'assessor' }
		],
		assignments: [{ scenarioId: 'misdirected-email-breach', dueInDays: 28 }]
	}
];

async function seedDemoCohorts(db: Db, now: Date): Promise<void> {
	const tutor = await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, 'tutor@custodian.test')));
	if (!tutor) return;
	const at = now.toISOString();
	for (const demo of DEMO_COHORTS) {
		await dbRun(db.insert(cohort)
			.values({ id: demo.id, organisationId: DEMO_ORGANISATION_ID, name: demo.name, description: demo.description, createdBy: tutor.id, createdAt: at }));
		for (const member of demo.members) {
			const row = await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, member.email)));
			if (row) await dbRun(db.insert(cohortMember).values({ cohortId: demo.id, userId: row.id, role: member.role, addedAt: at }));
		}
		for (const planned of demo.assignments) {
			const due = new Date(now.getTime() + planned.dueInDays * 86_400_000).toISOString().slice(0, 10);
			await dbRun(db.insert(assignment)
				.values({ id: `${demo.id}-${planned.scenarioId}`, cohortId: demo.id, scenarioId: planned.scenarioId, dueOn: due, assignedBy: tutor.id, assignedAt: at }));
		}
	}
}

/**
 * A production start (DEMO_DATA=false) on an empty database: the centre and its first
 * administrator, whose one-time password (ADMIN_PASSWORD) expires like any other and must be
 * changed at first log-in. On a later start, if that administrator never chose their own password
 * and the one-time password has expired or been used, it is issued again: without it the centre
 * would have no way in. Returns whether the centre was created.
 */
export async function seedFirstAdministrator(
	db: Db,
	input: { centreName: string; email: string; password: string },
	now = new Date()
): Promise<boolean> {
	const existing = await dbGet(db.select({ n: count() }).from(organisation));
	if ((existing?.n ?? 0) > 0) {
		await reissueFirstAdministratorPassword(db, input, now);
		return false;
	}
	const id = crypto.randomUUID();
	await dbRun(db.insert(organisation).values({ id, name: input.centreName, updatedAt: now.toISOString() }));
	const admin = await createUser(
		db,
		{
			organisationId: id,
			email: input.email,
			displayName: 'Administrator',
			password: input.password,
			roles: ['admin'],
			mustChangePassword: true
		},
		now
	);
	await recordSecurityEvent(db, { type: 'one-time-password.issued', userId: admin.id, detail: { source: 'ADMIN_PASSWORD' } }, now);
	return true;
}

async function reissueFirstAdministratorPassword(db: Db, input: { email: string; password: string }, now: Date): Promise<void> {
	const admin = await findUserByEmail(db, input.email);
	if (!admin || oneTimePasswordState(admin, now.getTime()) !== 'expired') return;
	const passwordHash = await hashPassword(input.password);
	await dbRun(db.update(user)
		.set({ passwordHash, oneTimePasswordExpiresAt: oneTimePasswordExpiry(now.getTime()) })
		.where(eq(user.id, admin.id)));
	await recordSecurityEvent(db, { type: 'one-time-password.issued', userId: admin.id, detail: { source: 'ADMIN_PASSWORD', reissued: true } }, now);
}

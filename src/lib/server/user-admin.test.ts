import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { dbGet, dbAll, dbRun, dbExec } from '$lib/core/database';
import { closeTestDatabase, openTestDatabase } from '$lib/core/testing-database';
import { cohortMember } from '$lib/server/db/cohorts';
import { organisation, securityEvent, user } from '$lib/server/db/schema';
import { createServerTestDb } from '$lib/server/testing';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth/session';
import { changePassword, createUser, logIn, rolesOf } from '$lib/server/auth/user';
import { DEMO_ORGANISATION_ID, seedDemoData } from './demo';
import {
	IMPORT_MAX_ROWS,
	createUserAccount,
	generateOneTimePassword,
	importLearners,
	listUsers,
	resetToOneTimePassword,
	setUserActive,
	setUserRoles,
	updateUserAccount
} from './user-admin';

const ORG = DEMO_ORGANISATION_ID;
const cheapHash = async (password: string) => `test:${password}`;
/** The administrator acting, as the security log names them. */
const by = { id: 'administrator-1', address: '198.51.100.200', routeId: '/(guarded)/admin/users/new', requestId: null };

async function idOf(db: Db, email: string): Promise<string> {
	return (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
}

describe('user administration', () => {
	let db: Db;
	let admin: string;
	beforeEach(async () => {
		db = await openTestDatabase();
		await seedDemoData(db);
		admin = await idOf(db, 'admin@custodian.test');
	});

	it('makes readable one-time passwords from the CSPRNG, never the same twice', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const password = generateOneTimePassword();
			expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
			seen.add(password);
		}
		expect(seen.size).toBe(200);
	});

	it('creates a user with a one-time password that logs in and must be changed first', async () => {
		const made = await createUserAccount(db, ORG, { displayName: ' Nia Evans ', email: 'Nia.Evans@Example.org ', roles: ['learner', 'tutor'] }, by);
		if (!made.ok) throw new Error(made.error.message);
		expect(made.value.user).toMatchObject({ email: 'nia.evans@example.org', displayName: 'Nia Evans', mustChangePassword: true, active: true });
		expect(made.value.user.passwordHash).not.toContain(made.value.oneTimePassword);
		expect((await rolesOf(db, made.value.user.id)).sort()).toEqual(['learner', 'tutor']);
		const login = await logIn(db, { email: 'nia.evans@example.org', password: made.value.oneTimePassword }, { address: '198.51.100.7', routeId: '/login', requestId: null });
		expect(login.ok && login.user.mustChangePassword).toBe(true);
		const changed = await changePassword(db, made.value.user.id, { currentPassword: made.value.oneTimePassword, newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' }, { address: '198.51.100.7', routeId: '/(guarded)/account/password', requestId: null });
		expect(changed.ok).toBe(true);
		expect((await dbGet(db.select().from(user).where(eq(user.id, made.value.user.id))))!.mustChangePassword).toBe(false);
	});

	it('refuses a bad email, a missing name, no roles, an unknown role and an email already in use, naming each field', async () => {
		const bad = await createUserAccount(db, ORG, { displayName: '', email: 'not-an-email', roles: [] }, by);
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['displayName', 'email', 'roles']);
		const unknownRole = await createUserAccount(db, ORG, { displayName: 'X', email: 'x@example.org', roles: ['superuser'] }, by);
		expect(unknownRole).toMatchObject({ ok: false, error: { code: 'invalid', field: 'roles', message: 'Choose roles from the list.' }, errors: { roles: 'Choose roles from the list.' } });
		const taken = await createUserAccount(db, ORG, { displayName: 'Amira again', email: 'LEARNER@custodian.test', roles: ['learner'] }, by);
		expect(taken).toMatchObject({ ok: false, error: { code: 'user.email-taken', field: 'email' }, errors: { email: 'There is already an account with this email address.' } });
		expect(await dbGet(db.select().from(user).where(eq(user.email, 'x@example.org')))).toBeUndefined();
	});

	it('ends every session of a deactivated user at once and refuses their log-in; reactivating lets them log in again', async () => {
		const made = await createUserAccount(db, ORG, { displayName: 'Leaving Soon', email: 'leaving@example.org', roles: ['learner'] }, by);
		if (!made.ok) throw new Error(made.error.message);
		const id = made.value.user.id;
		const token = generateSessionToken();
		await createSession(db, token, id);
		expect((await validateSessionToken(db, token)).user?.id).toBe(id);
		expect((await setUserActive(db, ORG, { id: admin }, id, false)).ok).toBe(true);
		expect((await validateSessionToken(db, token)).user).toBeNull();
		const refused = await logIn(db, { email: 'leaving@example.org', password: made.value.oneTimePassword }, { address: '198.51.100.8', routeId: '/login', requestId: null });
		expect(refused.ok).toBe(false);
		expect((await setUserActive(db, ORG, { id: admin }, id, true)).ok).toBe(true);
		const back = await logIn(db, { email: 'leaving@example.org', password: made.value.oneTimePassword }, { address: '198.51.100.8', routeId: '/login', requestId: null });
		expect(back.ok).toBe(true);
	});

	it('never lets an administrator deactivate themselves or remove their own admin role', async () => {
		expect(await setUserActive(db, ORG, { id: admin }, admin, false)).toMatchObject({ ok: false, error: { code: 'user.self' } });
		expect(await setUserRoles(db, ORG, { id: admin }, admin, ['learner'])).toMatchObject({ ok: false, error: { code: 'user.self' } });
		// Adding roles to oneself is fine.
		expect((await setUserRoles(db, ORG, { id: admin }, admin, ['admin', 'tutor'])).ok).toBe(true);
	});

	it('keeps the last active administrator', async () => {
		const second = await createUserAccount(db, ORG, { displayName: 'Second Admin', email: 'second@example.org', roles: ['admin'] }, by);
		if (!second.ok) throw new Error(second.error.message);
		const other = second.value.user.id;
		// Two admins: the first may remove the second's admin role.
		expect((await setUserRoles(db, ORG, { id: admin }, other, ['tutor'])).ok).toBe(true);
		expect((await setUserRoles(db, ORG, { id: admin }, other, ['admin'])).ok).toBe(true);
		// The second deactivates the first; now the second is the last active admin and nobody may take that away.
		expect((await setUserActive(db, ORG, { id: other }, admin, false)).ok).toBe(true);
		expect(await setUserRoles(db, ORG, { id: admin }, other, ['tutor'])).toMatchObject({ ok: false, error: { code: 'user.last-admin' } });
		expect(await setUserActive(db, ORG, { id: admin }, other, false)).toMatchObject({ ok: false, error: { code: 'user.last-admin' } });
	});

	it('answers a user of another centre like a missing one', async () => {
		const amira = await idOf(db, 'learner@custodian.test');
		expect(await setUserActive(db, 'another-centre', { id: admin }, amira, false)).toMatchObject({ ok: false, error: { code: 'user.not-found' } });
		expect(await setUserRoles(db, 'another-centre', { id: admin }, amira, ['admin'])).toMatchObject({ ok: false, error: { code: 'user.not-found' } });
		expect(await listUsers(db, 'another-centre')).toEqual([]);
	});

	it('resets a user to a new one-time password, ending their sessions', async () => {
		const amira = await idOf(db, 'learner@custodian.test');
		const token = generateSessionToken();
		await createSession(db, token, amira);
		const reset = await resetToOneTimePassword(db, ORG, amira, by);
		if (!reset.ok) throw new Error(reset.error.message);
		expect((await validateSessionToken(db, token)).user).toBeNull();
		const login = await logIn(db, { email: 'learner@custodian.test', password: reset.value.oneTimePassword }, { address: '198.51.100.9', routeId: '/login', requestId: null });
		expect(login.ok && login.user.mustChangePassword).toBe(true);
	});
});

describe('the security events of user administration', () => {
	let db: Db;
	let admin: { id: string; address: string; routeId: string; requestId: string };
	beforeEach(async () => {
		db = await openTestDatabase();
		await seedDemoData(db);
		admin = { id: await idOf(db, 'admin@custodian.test'), address: '203.0.113.40', routeId: '/(guarded)/admin/users/[userId]', requestId: 'request-7' };
	});
	const events = async () => await dbAll(db.select().from(securityEvent));

	it('records each change to an account with its subject, the administrator and where they acted from', async () => {
		const made = await createUserAccount(db, ORG, { displayName: 'Nia Evans', email: 'nia@example.org', roles: ['tutor', 'learner'] }, admin);
		if (!made.ok) throw new Error(made.error.message);
		const nia = made.value.user.id;
		expect((await setUserRoles(db, ORG, admin, nia, ['learner', 'assessor'])).ok).toBe(true);
		expect((await setUserActive(db, ORG, admin, nia, false)).ok).toBe(true);
		expect((await setUserActive(db, ORG, admin, nia, true)).ok).toBe(true);
		const where = { actorId: admin.id, userId: nia, address: '203.0.113.40', routeId: '/(guarded)/admin/users/[userId]', requestId: 'request-7' };
		expect((await events()).map(({ type, detail, actorId, userId, address, routeId, requestId }) => ({ type, detail, actorId, userId, address, routeId, requestId }))).toEqual([
			{ type: 'account.created', detail: { roles: ['learner', 'tutor'] }, ...where },
			{ type: 'one-time-password.issued', detail: { source: 'created' }, ...where },
			{ type: 'roles.changed', detail: { before: ['learner', 'tutor'], after: ['learner', 'assessor'] }, ...where },
			{ type: 'account.deactivated', detail: null, ...where },
			{ type: 'account.reactivated', detail: null, ...where }
		]);
	});

	it('records nothing when nothing changed or the change was refused', async () => {
		const amira = await idOf(db, 'learner@custodian.test');
		expect((await setUserRoles(db, ORG, admin, amira, ['learner'])).ok).toBe(true);
		expect((await setUserActive(db, ORG, admin, amira, true)).ok).toBe(true);
		expect((await setUserRoles(db, ORG, admin, admin.id, ['tutor'])).ok).toBe(false);
		expect((await setUserActive(db, ORG, admin, admin.id, false)).ok).toBe(false);
		expect((await setUserRoles(db, 'another-centre', admin, amira, ['admin'])).ok).toBe(false);
		expect((await createUserAccount(db, ORG, { displayName: 'Amira again', email: 'learner@custodian.test', roles: ['learner'] }, admin)).ok).toBe(false);
		expect(await events()).toEqual([]);
	});

	it('records every imported account as created by the administrator, with no name, email or password in the log', async () => {
		const report = await importLearners(db, ORG, 'email,name\nrhys@example.org,Rhys Jones\nbad,Bad Row\n', admin, { hash: cheapHash });
		expect(report.imported).toHaveLength(1);
		const rhys = await idOf(db, 'rhys@example.org');
		expect((await events()).map((e) => [e.type, e.userId, e.actorId, e.detail])).toEqual([
			['account.created', rhys, admin.id, { roles: ['learner'], source: 'import' }],
			['one-time-password.issued', rhys, admin.id, { source: 'import' }]
		]);
		const logged = JSON.stringify(await events());
		expect(logged).not.toContain('Rhys');
		expect(logged).not.toContain('rhys@example.org');
		expect(logged).not.toContain(report.imported[0]!.oneTimePassword);
	});
});

describe('importing learners from CSV', () => {
	let db: Db;
	beforeEach(async () => {
		db = await openTestDatabase();
		await seedDemoData(db);
	});

	it('imports the good rows into their cohorts and reports every bad row by row, column and problem', async () => {
		const csv = [
			'Email,Name,Cohort',
			'nia@example.org,Nia Evans,"level 2 customer service, JANUARY intake"',
			'"rhys@example.org","Rhys Jones","Level 3 Business Administration, March intake"',
			'not-an-email,Bad Email,',
			'nia@example.org,Nia Twice,',
			'learner@custodian.test,Amira Again,',
			'cai@example.org,Cai Lewis,No Such Cohort',
			'dafydd@example.org,,',
			'',
			'eira@example.org,Eira Morgan'
		].join('\n');
		const report = await importLearners(db, ORG, csv, by, { hash: cheapHash });
		expect(report.rows).toBe(8);
		expect(report.imported.map((a) => [a.row, a.email, a.cohort])).toEqual([
			[2, 'nia@example.org', 'Level 2 Customer Service, January intake'],
			[3, 'rhys@example.org', 'Level 3 Business Administration, March intake'],
			[10, 'eira@example.org', '']
		]);
		expect(report.problems.map((p) => [p.row, p.column])).toEqual([
			[4, 'email'],
			[5, 'email'],
			[6, 'email'],
			[7, 'cohort'],
			[8, 'name']
		]);
		expect(report.problems[1]!.message).toMatch(/also on row 2/);
		expect(report.problems[2]!.message).toMatch(/already an account/);
		expect(report.problems[3]!.message).toMatch(/no active cohort/);
		expect(report.problems[4]!.message).toMatch(/name is missing/);
		const nia = (await dbGet(db.select().from(user).where(eq(user.email, 'nia@example.org'))))!;
		expect(nia.mustChangePassword).toBe(true);
		expect(await rolesOf(db, nia.id)).toEqual(['learner']);
		expect((await dbGet(db.select().from(cohortMember).where(eq(cohortMember.userId, nia.id))))?.cohortId).toBe('demo-cohort-january');
	});

	it('imports nothing from a file with no header, a quote never closed or too many rows, and says why', async () => {
		expect((await importLearners(db, ORG, 'a@example.org,Ann\n', by, { hash: cheapHash })).problems[0]!.message).toMatch(/missing: email, name/);
		expect((await importLearners(db, ORG, 'email,name\na@example.org,"Ann\n', by, { hash: cheapHash })).problems[0]).toMatchObject({ row: 2, column: 'file' });
		const many = ['email,name', ...Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => `l${i}@example.org,L ${i}`)].join('\n');
		const report = await importLearners(db, ORG, many, by, { hash: cheapHash });
		expect(report.imported).toEqual([]);
		expect(report.problems[0]!.message).toMatch(/at most 200/);
		expect((await importLearners(db, ORG, '', by, { hash: cheapHash })).problems[0]!.message).toMatch(/empty/);
		expect((await importLearners(db, ORG, 'x'.repeat(100_001), by, { hash: cheapHash })).problems[0]!.message).toMatch(/larger than/);
	});

	it('never throws on a file of random rows, and every row is either imported or reported', async () => {
		const cell = fc.oneof(
			fc.constantFrom('', 'a@example.org', 'b@example.org', 'learner@custodian.test', 'Level 2 Customer Service, January intake', 'No cohort', '=1+1', '"'),
			fc.string({ maxLength: 12 }),
			fc.emailAddress()
		);
		await fc.assert(
			fc.asyncProperty(fc.array(fc.array(cell, { minLength: 0, maxLength: 4 }), { maxLength: 8 }), async (rows) => {
				const local = await openTestDatabase();
				await dbExec(local, sql`INSERT INTO organisation (id, name, region, updated_at) VALUES ('c', 'C', 'england-and-wales', '2026-01-01')`);
				const text = ['email,name,cohort', ...rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(','))].join('\n');
				const report = await importLearners(local, 'c', text, by, { hash: cheapHash });
				if (!report.problems.some((p) => p.column === 'file' && p.row <= 1)) {
					const reported = new Set(report.problems.map((p) => p.row));
					for (const account of report.imported) expect(reported.has(account.row)).toBe(false);
					expect(report.imported.length + reported.size).toBe(report.rows);
				}
				closeTestDatabase(local);
			}),
			{ numRuns: 60 }
		);
	});
});

describe('an administrator changes a user’s name and email', () => {
	let db: Db;
	let admin: string;
	let rhian: string;
	const other = { id: 'centre-2', name: 'Elsewhere College', updatedAt: new Date(0).toISOString() };
	beforeEach(async () => {
		db = await createServerTestDb();
		await dbRun(db.insert(organisation).values(other));
		admin = (await createUser(db, { organisationId: 'centre-1', email: 'admin@example.org', displayName: 'Ada Admin', password: 'x', roles: ['admin'] })).id;
		rhian = (await createUser(db, { organisationId: 'centre-1', email: 'rhian@example.org', displayName: 'Rhian Jones', password: 'x', roles: ['learner'] })).id;
		await createUser(db, { organisationId: 'centre-2', email: 'taken.elsewhere@example.org', displayName: 'Elsewhere Person', password: 'x', roles: ['learner'] });
	});
	const actor = () => ({ id: admin, address: '198.51.100.200', routeId: '/(guarded)/admin/users/[userId]', requestId: null });

	it('saves both, stores the email lower-cased and logs what changed with the administrator as actor', async () => {
		const result = await updateUserAccount(db, 'centre-1', actor(), rhian, { displayName: '  Rhian Prys-Jones ', email: ' Rhian.PJ@Example.org ' });
		expect(result).toMatchObject({ ok: true, value: { displayName: 'Rhian Prys-Jones', email: 'rhian.pj@example.org' } });
		expect(await dbGet(db.select().from(user).where(eq(user.id, rhian)))).toMatchObject({ displayName: 'Rhian Prys-Jones', email: 'rhian.pj@example.org' });
		const events = (await dbAll(db.select().from(securityEvent))).filter((e) => e.type === 'account.updated');
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({
			userId: rhian,
			actorId: admin,
			address: '198.51.100.200',
			routeId: '/(guarded)/admin/users/[userId]',
			detail: { fields: ['displayName', 'email'], emailBefore: 'rhian@example.org', emailAfter: 'rhian.pj@example.org' }
		});
	});

	it('logs only the name when only the name changed, and nothing when nothing changed', async () => {
		await updateUserAccount(db, 'centre-1', actor(), rhian, { displayName: 'Rhian Jones-Evans', email: 'RHIAN@example.org' });
		await updateUserAccount(db, 'centre-1', actor(), rhian, { displayName: 'Rhian Jones-Evans', email: 'rhian@example.org' });
		const events = (await dbAll(db.select().from(securityEvent))).filter((e) => e.type === 'account.updated');
		expect(events.map((e) => e.detail)).toEqual([{ fields: ['displayName'] }]);
	});

	it('refuses an empty name, a text that is not an email, and an email another account has in any case, naming the field', async () => {
		expect(await updateUserAccount(db, 'centre-1', actor(), rhian, { displayName: '   ', email: 'not an email' })).toMatchObject({
			ok: false,
			errors: { displayName: 'Enter the person’s name.', email: 'Enter an email address like name@example.org.' }
		});
		expect(await updateUserAccount(db, 'centre-1', actor(), rhian, { displayName: 'Rhian', email: 'ADMIN@example.org' })).toMatchObject({
			ok: false,
			errors: { email: 'There is already an account with this email address.' }
		});
		// Emails are unique across the installation: another centre's account holds it too.
		expect(await updateUserAccount(db, 'centre-1', actor(), rhian, { displayName: 'Rhian', email: 'Taken.Elsewhere@example.org' })).toMatchObject({ ok: false, errors: { email: expect.any(String) } });
		expect(await dbGet(db.select().from(user).where(eq(user.id, rhian)))).toMatchObject({ displayName: 'Rhian Jones', email: 'rhian@example.org' });
		expect((await dbAll(db.select().from(securityEvent))).filter((e) => e.type === 'account.updated')).toEqual([]);
	});

	it('answers another centre’s user like a missing one, and changes nothing of theirs', async () => {
		const elsewhere = (await dbGet(db.select().from(user).where(eq(user.email, 'taken.elsewhere@example.org'))))!;
		expect(await updateUserAccount(db, 'centre-1', actor(), elsewhere.id, { displayName: 'Changed', email: 'changed@example.org' })).toMatchObject({ ok: false, error: { code: 'user.not-found' } });
		expect(await updateUserAccount(db, 'centre-1', actor(), 'no-such-user', { displayName: 'Changed', email: 'changed@example.org' })).toMatchObject({ ok: false, error: { code: 'user.not-found' } });
		expect(await dbGet(db.select().from(user).where(eq(user.id, elsewhere.id)))).toMatchObject({ displayName: 'Elsewhere Person', email: 'taken.elsewhere@example.org' });
	});
});

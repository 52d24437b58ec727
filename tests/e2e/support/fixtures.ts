import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { test as base, expect, request as playwrightRequest, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { dbRun, dbGet, openDatabase, type Db } from '../../../src/lib/core/database';
import { createUser } from '../../../src/lib/server/auth/user';
import { addMember, assignScenario, createCohort } from '../../../src/lib/server/cohorts';
import { ukToday } from '../../../src/lib/dates';
import { organisation, user as userTable, type Role } from '../../../src/lib/server/db/schema';
import { DEMO_ORGANISATION_ID } from '../../../src/lib/server/demo';
import { assessmentDecision } from '../../../src/lib/server/db/assessment';
import { iqaSample, type SampleStage } from '../../../src/lib/server/db/quality';
import { waitForHydration } from './accounts';
import { e2eDatabasePath } from './fingerprint';
import { baseURL, unusedCode, withLock } from './mfa';

/**
 * Each test's own data, made through the app's own services on the database of the server the tests
 * run against (scripts/e2e-server.js): users with a password and, for staff, an MFA key of their own,
 * a cohort of the test's users with its assignments, an ended attempt. Every name, email and id has a
 * random part, so tests run in any order, in parallel and repeated on one database, and no test sees
 * what another did. The demo accounts are left to the tests of the demo itself.
 */

export interface OwnUser {
	id: string;
	email: string;
	name: string;
	password: string;
	roles: Role[];
	/** The centre the account belongs to: the demo centre unless the test made one of its own. */
	organisationId: string;
	/** The TOTP key of a staff account (staff must use MFA); null for a learner. */
	totpKey: Uint8Array | null;
	/** The page the user lands on after logging in. */
	home: string;
}

export interface OwnCohort {
	id: string;
	name: string;
	/** Assignment ids by scenario id. */
	assignments: Record<string, string>;
}

const STAFF: readonly Role[] = ['assessor', 'tutor', 'admin', 'iqa', 'eqa'];
const HOME: Record<Role, string> = { learner: '/learn', assessor: '/assess', tutor: '/author', admin: '/admin', iqa: '/iqa', eqa: '/eqa' };

/** A short random part for names, emails and ids: unique per test, run and worker. */
export function uniqueSuffix(): string {
	return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

let connection: Db | undefined;
/** One connection per worker to the e2e server's database (the server has migrated it). */
function db(): Db {
	connection ??= openDatabase(e2eDatabasePath(), { migrate: false });
	return connection;
}

/**
 * A centre of the test's own, for a test that changes a centre's settings (the demo centre's are
 * every test's). The app makes a centre only on a first start (seedFirstAdministrator), so this
 * writes the row as that does.
 */
export async function createOwnCentre(): Promise<string> {
	const suffix = uniqueSuffix();
	const id = `own-centre-${suffix}`;
	// With a data protection officer, as the settings form requires before it saves anything else.
	await dbRun(db().insert(organisation).values({ id, name: `Own centre ${suffix}`, dpoName: 'Own Officer', dpoEmail: `dpo.${suffix}@own-centre.example`, updatedAt: new Date().toISOString() }));
	return id;
}

/**
 * An account of the test's own, in the demo centre unless `organisationId` names another, made as
 * the app makes one (createUser), with a password of its own; a staff account is enrolled in MFA
 * with a key no other account has.
 */
export async function createOwnUser(
	roles: Role[],
	label = roles.join(' ') || 'person',
	{ organisationId = DEMO_ORGANISATION_ID }: { organisationId?: string } = {}
): Promise<OwnUser> {
	const suffix = uniqueSuffix();
	const name = `${label.replace(/(^|\s)\w/g, (c) => c.toUpperCase())} ${suffix}`;
	const email = `${label.toLowerCase().replace(/\s+/g, '.')}.${suffix}@custodian.test`;
	const password = `Own-${randomBytes(9).toString('base64url')}-${suffix}`;
	const made = await createUser(db(), { organisationId, email, displayName: name, password, roles });
	let totpKey: Uint8Array | null = null;
	if (roles.some((role) => STAFF.includes(role))) {
		totpKey = new Uint8Array(randomBytes(20));
		await dbRun(db().update(userTable).set({ totpKey: Buffer.from(totpKey).toString('hex'), mfaEnrolledAt: made.createdAt }).where(eq(userTable.id, made.id)));
	}
	const home = HOME[roles.find((role) => role !== 'learner') ?? roles[0] ?? 'learner'];
	return { id: made.id, email: made.email, name, password, roles, organisationId, totpKey, home };
}

/**
 * A cohort of the test's own, made by `tutor`, with the given learners and assessors as members and
 * each scenario assigned, due in `dueInDays`.
 */
export async function createOwnCohort(
	tutor: OwnUser,
	members: { learners?: OwnUser[]; assessors?: OwnUser[] },
	scenarios: readonly string[] = [],
	dueInDays = 14
): Promise<OwnCohort> {
	const suffix = uniqueSuffix();
	const made = await createCohort(db(), tutor.organisationId, tutor.id, { name: `Own cohort ${suffix}`, description: 'Made by an end-to-end test.' });
	if (!made.ok) throw new Error(`cohort not made: ${made.error.message}`);
	const cohortId = made.value.id;
	for (const [role, people] of [['learner', members.learners ?? []], ['assessor', members.assessors ?? []]] as const) {
		for (const person of people) {
			const added = await addMember(db(), tutor.organisationId, cohortId, { userId: person.id, role });
			if (!added.ok) throw new Error(`${person.email} not added: ${added.error.message}`);
		}
	}
	const dueOn = ukToday(new Date(Date.now() + dueInDays * 86_400_000));
	const assignments: Record<string, string> = {};
	for (const scenarioId of scenarios) {
		const assigned = await assignScenario(db(), tutor.organisationId, cohortId, tutor.id, { scenarioId, dueOn, note: '' });
		if (!assigned.ok) throw new Error(`${scenarioId} not assigned: ${assigned.error.message}`);
		assignments[scenarioId] = assigned.value.id;
	}
	return { id: cohortId, name: made.value.name, assignments };
}

/** The id of the newest signed decision on an attempt (the one in force). */
export async function newestDecisionOf(attemptId: string): Promise<string> {
	const found = await dbGet(db().select({ id: assessmentDecision.id }).from(assessmentDecision).where(eq(assessmentDecision.attemptId, attemptId)).orderBy(desc(assessmentDecision.sequence)).limit(1));
	if (!found) throw new Error(`no decision on ${attemptId}`);
	return found.id;
}

/**
 * A sample of a signed simulation decision for the IQA, written as the sampling plan's manual pick
 * would write it (the plan's own page is another module's): the test's own row in iqa_sample.
 */
export async function createOwnSample(sample: { decisionId: string; learner: OwnUser; assessor: OwnUser }, stage: SampleStage = 'interim'): Promise<string> {
	const id = `own-sample-${uniqueSuffix()}`;
	await dbRun(db().insert(iqaSample)
		.values({ id, organisationId: sample.learner.organisationId, planId: null, decisionKind: 'simulation', decisionId: sample.decisionId, learnerId: sample.learner.id, assessorId: sample.assessor.id, stage, pick: 'manual', reason: 'Picked by an end-to-end test', pickedBy: null, pickedAt: new Date().toISOString() }));
	return id;
}

/**
 * Logs an HTTP client in as a browser does: password, then, for staff, a code of the account's key
 * the server has not accepted yet (a user may log in more than once in a test; each code works once).
 */
async function logInClient(client: APIRequestContext, person: OwnUser): Promise<void> {
	const login = await client.post('/login', { form: { email: person.email, password: person.password }, maxRedirects: 0 });
	expect(login.status(), `log-in of ${person.email}`).toBe(303);
	if (!String(login.headers()['location']).startsWith('/account/mfa/verify')) return;
	await withLock(person.email, async () => {
		const verified = await client.post('/account/mfa/verify', { form: { code: await unusedCode(person.email) }, maxRedirects: 0 });
		expect(verified.status(), `second step for ${person.email}`).toBe(303);
	});
}

/**
 * A client address of a test's own, in RFC 2544's benchmarking range (198.18.0.0/15). The e2e server
 * reads the client's address from X-Forwarded-For (scripts/e2e-server.js), so each test's people
 * log in as if from a machine of their own: failed log-ins one test makes on purpose (and the
 * hostile input of fuzz.spec.ts) count against that test's address only, never slowing another
 * test's log-in with the address throttle (src/lib/server/auth/throttle.ts).
 */
export function newClientAddress(): string {
	const [a, b, c] = randomBytes(3);
	return `198.${18 + (a! & 1)}.${b}.${c}`;
}

let testAddress = newClientAddress();

/** The headers that carry the current test's client address; every client the fixtures make sends them. */
export function addressHeaders(address = testAddress): Record<string, string> {
	return { 'x-forwarded-for': address };
}

/** A session of the user's, as the value of the session cookie. */
async function sessionOf(person: OwnUser): Promise<string> {
	const client = await playwrightRequest.newContext({ baseURL: baseURL(), extraHTTPHeaders: { origin: baseURL(), accept: 'text/html', ...addressHeaders() } });
	try {
		await logInClient(client, person);
		const token = (await client.storageState()).cookies.find((c) => c.name === 'session')?.value;
		if (!token) throw new Error(`no session cookie for ${person.email}`);
		return token;
	} finally {
		await client.dispose();
	}
}

/**
 * Signs the page's browser context in as the user and opens their home page (or `path`), waiting
 * for it to hydrate unless the context runs without JavaScript (`javaScript: false`).
 */
export async function logInAsOwn(page: Page, person: OwnUser, path = person.home, { javaScript = true } = {}): Promise<void> {
	const token = await sessionOf(person);
	await page.context().addCookies([{ name: 'session', value: token, url: baseURL(), httpOnly: true, sameSite: 'Lax' }]);
	await page.goto(path);
	await expect(page).toHaveURL(path);
	if (javaScript) await waitForHydration(page);
}

/** A page in a browser context of its own, signed in as the user, on their home page (or `path`). */
export async function newPageAsOwn(browser: Browser, person: OwnUser, path = person.home, { javaScript = true } = {}): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled: javaScript, extraHTTPHeaders: addressHeaders() });
	const page = await context.newPage();
	await logInAsOwn(page, person, path, { javaScript });
	return page;
}

/** An HTTP client signed in as the user. */
export async function requestContextAsOwn(person: OwnUser, extraHTTPHeaders: Record<string, string> = {}): Promise<APIRequestContext> {
	const client = await playwrightRequest.newContext({ baseURL: baseURL(), extraHTTPHeaders: { origin: baseURL(), accept: 'text/html', ...addressHeaders(), ...extraHTTPHeaders } });
	await logInClient(client, person);
	return client;
}

interface Fixtures {
	/** The test's own client address (see newClientAddress), set afresh for every test. */
	clientAddress: string;
	/** A learner of the test's own, in `cohort`. */
	learner: OwnUser;
	/** An assessor of the test's own, assessing `cohort` (so, `learner`). */
	assessor: OwnUser;
	/** A tutor of the test's own, who made `cohort`. */
	tutor: OwnUser;
	/** An administrator of the test's own. */
	admin: OwnUser;
	/** A cohort of the test's own: `learner` and `assessor`, with the demo January cohort's three assignments. */
	cohort: OwnCohort;
}

export const test = base.extend<Fixtures>({
	clientAddress: [
		async ({}, use) => {
			testAddress = newClientAddress();
			await use(testAddress);
		},
		{ auto: true }
	],
	// The page, context and request fixtures send the test's address too.
	extraHTTPHeaders: async ({ extraHTTPHeaders, clientAddress }, use) => use({ ...extraHTTPHeaders, ...addressHeaders(clientAddress) }),
	tutor: async ({}, use) => use(await createOwnUser(['tutor'])),
	admin: async ({}, use) => use(await createOwnUser(['admin'])),
	learner: async ({}, use) => use(await createOwnUser(['learner'])),
	assessor: async ({}, use) => use(await createOwnUser(['assessor'])),
	cohort: async ({ tutor, learner, assessor }, use) =>
		use(await createOwnCohort(tutor, { learners: [learner], assessors: [assessor] }, ['spouse-caller', 'new-customer-signup', 'verbal-sar-neighbour']))
});

export { expect };

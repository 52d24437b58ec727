import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import Database from 'better-sqlite3';
import { ACCOUNTS, type RoleName } from './support/accounts';
import { e2eDatabasePath, fingerprint } from './support/fingerprint';
import { addressHeaders, createOwnCohort, createOwnUser, expect, newClientAddress, test, type OwnUser } from './support/fixtures';
import { logInClient } from './support/probes';
import { discoverRoutes, oneRoleFor } from './support/routes';

/**
 * Hostile input to every form action and endpoint of the app, sent by a user allowed to reach it:
 * very long strings, control characters, markup, SQL fragments, repeated keys (wrong types) and
 * missing fields. Nothing may answer 500, nothing sent may come back unescaped, and a request the
 * app refuses (4xx) stores nothing: every row of every table that mentions the test's own users or
 * their attempt's workspace is the same after it as before (support/fingerprint.ts).
 */
const SCRIPT = '<script>alert("custodian")</script>';
const PAYLOADS: Record<string, string | string[]> = {
	empty: '',
	long: 'x'.repeat(10_000), // every field of this stays under the 4 MB body limit (scripts/e2e-server.js), so they reach validation
	control: 'a\u0000b\u0007c\u001b[31md\r\ne\u202e',
	markup: `${SCRIPT}<img src=x onerror=alert(1)>`,
	sql: "' OR 1=1; DROP TABLE user; --",
	number: '-1e309',
	repeated: ['one', 'two', 'three']
};
/** Field names the app's forms use, so hostile values reach validation, not only "missing". */
const FIELDS = [
	'email', 'password', 'currentPassword', 'newPassword', 'confirmPassword', 'redirectTo',
	'name', 'region', 'dpoName', 'dpoEmail', 'dpoPhone',
	'choiceId', 'expectedActionSeq', 'operation', 'formId', 'customerId', 'purposeCode', 'postcode', 'givenName', 'familyName', 'dateOfBirth', 'fields', 'reason',
	'situation', 'task', 'action', 'result',
	// assessment, other evidence, portfolio verification
	'assessorNote', 'feedback', 'met', 'newComment', 'newCommentCriterion', 'nextSteps', 'outcome', 'signedName', 'supersedes',
	'criteria', 'declaredCriteria', 'observedOn', 'relationship', 'setting', 'statement', 'testimonyId', 'witnessName', 'witnessRole', 'witnessedOn',
	'file', 'hash', 'id',
	// authoring, cohorts, administration
	'source', 'title', 'scenarioId', 'scenario', 'state', 'assignmentId', 'dueOn', 'note', 'description', 'learner', 'role', 'roles', 'userId',
	'displayName', 'csv', 'code', 'periodMonths', 'trigger', 'authority', 'ruleId'
];

function form(value: string | string[]): FormData {
	const data = new FormData();
	for (const field of FIELDS) for (const v of Array.isArray(value) ? value : [value]) data.append(field, v);
	return data;
}

const SKIP = new Set(['POST /logout']); // ends the client's own session; auth.spec.ts covers it
const ACTIONS = discoverRoutes().filter((r) => r.method === 'POST' && !SKIP.has(`${r.method} ${r.path}`));

test.describe('hostile input to every form action', () => {
	const clients = new Map<RoleName | 'anonymous', APIRequestContext>();
	let attemptId = 'not-a-real-id';
	/** The test's own users and its attempt's workspace: what the fingerprint watches. */
	const watched: string[] = [];
	let db: Database.Database;

	test.beforeAll(async ({ baseURL }) => {
		// The test's own accounts (one per role), so no other spec running beside it touches their rows;
		// its assessor assesses its learner, in a cohort of its own.
		const own = new Map<RoleName, OwnUser>();
		for (const role of Object.keys(ACCOUNTS) as RoleName[]) own.set(role, await createOwnUser([role], `fuzz ${role}`));
		const cohort = await createOwnCohort(own.get('tutor')!, { learners: [own.get('learner')!], assessors: [own.get('assessor')!] }, ['spouse-caller']);
		watched.push(...[...own.values()].map((a) => a.id), cohort.id);
		// An address of its own: the wrong passwords it posts count against it alone.
		const address = newClientAddress();
		for (const visitor of ['anonymous', ...(Object.keys(ACCOUNTS) as RoleName[])] as const) {
			// A connection per request: actions that answer without reading a large body (e.g. ?/end)
			// leave a kept-alive connection unusable, which says nothing about the app.
			const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL!, accept: 'text/html', connection: 'close', ...addressHeaders(address) } });
			if (visitor !== 'anonymous') {
				const person = own.get(visitor)!;
				await logInClient(client, person, person.password);
			}
			clients.set(visitor, client);
		}
		// A real attempt of the learner's, so that the attempt's own actions are fuzzed too.
		const started = await clients.get('learner')!.post('/learn/scenarios/spouse-caller?/start', { form: {}, maxRedirects: 0 });
		expect(started.status()).toBe(303);
		attemptId = started.headers()['location']!.split('/').pop()!;
		db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
		const workspace = db.prepare('SELECT workspace_id AS id FROM attempt WHERE id = ?').get(attemptId) as { id: string };
		watched.push(attemptId, workspace.id);
	});

	test.afterAll(async () => {
		for (const client of clients.values()) await client.dispose();
		db?.close();
	});

	for (const route of ACTIONS) {
		const label = `POST ${route.path}${route.action ? `?/${route.action}` : ''}`;
		test(`${label} answers hostile input with a clear refusal, never a server error or unescaped markup`, async () => {
			const needed = oneRoleFor(route.path);
			const client = clients.get(needed === null ? 'anonymous' : needed === 'signed-in' ? 'learner' : needed)!;
			const url = (route.action ? `${route.path}?/${route.action}` : route.path).replace('not-a-real-id', attemptId);
			for (const [name, value] of Object.entries(PAYLOADS)) {
				const before = fingerprint(db, watched);
				const response = await client.post(url, { multipart: form(value), maxRedirects: 0 });
				expect(response.status(), `${label} with ${name} values`).toBeLessThan(500);
				const body = await response.text();
				expect(body.includes(SCRIPT), `${label} with ${name} values: markup came back unescaped`).toBe(false);
				if (response.status() >= 400) {
					expect(fingerprint(db, watched), `${label} with ${name} values was refused (${response.status()}) but stored something`).toBe(before);
				}
			}
			// Over the body-size limit the server answers 413 and may close the connection before the
			// upload ends: either is a refusal; a 5xx is not.
			const oversized = await client
				.post(url, { multipart: form('y'.repeat(200_000)), maxRedirects: 0 })
				.then((response) => response.status())
				.catch((error: Error) => (/ECONNRESET|EPIPE|socket hang up/.test(error.message) ? 413 : Promise.reject(error)));
			expect(oversized, `${label} oversized`).toBeLessThan(500);
		});
	}
});

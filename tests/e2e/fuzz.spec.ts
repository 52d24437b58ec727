import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { ACCOUNTS, PASSWORD, type RoleName } from './support/accounts';
import { discoverRoutes, requiredRole } from './support/routes';

/**
 * Hostile input to every form action and endpoint of the app, sent by a user allowed to reach it:
 * very long strings, control characters, markup, SQL fragments, repeated keys (wrong types) and
 * missing fields. Nothing may answer 500, and nothing sent may come back unescaped.
 */
const SCRIPT = '<script>alert("custodian")</script>';
const PAYLOADS: Record<string, string | string[]> = {
	empty: '',
	long: 'x'.repeat(10_000), // 27 fields of this stay under the 512 KB body limit, so they reach validation
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
	'situation', 'task', 'action', 'result'
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

	test.beforeAll(async ({ baseURL }) => {
		for (const visitor of ['anonymous', ...(Object.keys(ACCOUNTS) as RoleName[])] as const) {
			// A connection per request: actions that answer without reading a large body (e.g. ?/end)
			// leave a kept-alive connection unusable, which says nothing about the app.
			const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL!, accept: 'text/html', connection: 'close' } });
			if (visitor !== 'anonymous') {
				const response = await client.post('/login', { form: { email: ACCOUNTS[visitor].email, password: PASSWORD }, maxRedirects: 0 });
				expect(response.status()).toBe(303);
			}
			clients.set(visitor, client);
		}
		// A real attempt of the learner's, so that the attempt's own actions are fuzzed too.
		const started = await clients.get('learner')!.post('/learn/scenarios/spouse-caller?/start', { form: {}, maxRedirects: 0 });
		expect(started.status()).toBe(303);
		attemptId = started.headers()['location']!.split('/').pop()!;
	});

	test.afterAll(async () => {
		for (const client of clients.values()) await client.dispose();
	});

	for (const route of ACTIONS) {
		const label = `POST ${route.path}${route.action ? `?/${route.action}` : ''}`;
		test(`${label} answers hostile input with a clear refusal, never a server error or unescaped markup`, async () => {
			const needed = requiredRole(route.path);
			const client = clients.get(needed === null ? 'anonymous' : needed === 'signed-in' ? 'learner' : needed)!;
			const url = (route.action ? `${route.path}?/${route.action}` : route.path).replace('not-a-real-id', attemptId);
			for (const [name, value] of Object.entries(PAYLOADS)) {
				const response = await client.post(url, { multipart: form(value), maxRedirects: 0 });
				expect(response.status(), `${label} with ${name} values`).toBeLessThan(500);
				const body = await response.text();
				expect(body.includes(SCRIPT), `${label} with ${name} values: markup came back unescaped`).toBe(false);
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

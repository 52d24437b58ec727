import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { dbGet } from '$lib/core/database';
import { createServerTestDb } from '$lib/server/testing';
import { ltiPlatform } from '$lib/server/db/lti';
import { startStandInPlatform, type StandInPlatform } from '../../../../tests/support/lti-platform';
import { createRegistrationLink, registerDynamically } from './registration';
import { LTI_USER_AGENT } from './http';

const ORIGIN = 'http://tool.test';
const request = { address: '127.0.0.1', routeId: '/lti/register/[token]', requestId: null };
const actor = { id: 'admin-1', ...request };
const closing: { close(): Promise<void> }[] = [];

afterEach(async () => {
	for (const item of closing.splice(0)) await item.close();
});

async function platformWith(options: Parameters<typeof startStandInPlatform>[0] = {}): Promise<StandInPlatform> {
	const lms = await startStandInPlatform(options);
	closing.push(lms);
	return lms;
}

/** A server that answers every request with `answer` (a configuration of the test's making). */
async function serving(answer: (port: number) => { status?: number; body: string; delayMs?: number }): Promise<string> {
	const server: Server = createServer((_req, res) => {
		const a = answer((server.address() as AddressInfo).port);
		setTimeout(() => {
			res.writeHead(a.status ?? 200, { 'Content-Type': 'application/json' });
			res.end(a.body);
		}, a.delayMs ?? 0);
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	closing.push({ close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }) });
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Dynamic Registration', () => {
	it('fetches the configuration, registers our tool with the registration token and keeps the platform pending', async () => {
		const lms = await platformWith({ registrationToken: 'reg-token-1' });
		const db = await createServerTestDb();
		const { token } = await createRegistrationLink(db, 'centre-1', actor);
		const result = await registerDynamically(db, { token, openidConfiguration: `${lms.url}/.well-known/openid-configuration`, registrationToken: 'reg-token-1', origin: ORIGIN, request });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.platform).toMatchObject({ status: 'pending', issuer: lms.issuer, clientId: lms.clientId, deploymentIds: [lms.deploymentId], jwksUrl: `${lms.url}/jwks`, authLoginUrl: `${lms.url}/auth` });
		expect(lms.configurationRequests).toEqual([{ authorization: 'Bearer reg-token-1', userAgent: LTI_USER_AGENT }]);
		const sent = lms.registrations[0]!;
		expect(sent.authorization).toBe('Bearer reg-token-1');
		expect(sent.body).toMatchObject({
			initiate_login_uri: `${ORIGIN}/lti/login`,
			redirect_uris: [`${ORIGIN}/lti/launch`],
			jwks_uri: `${ORIGIN}/lti/jwks`,
			token_endpoint_auth_method: 'private_key_jwt'
		});
		const tool = sent.body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as { messages: { type: string }[] };
		expect(tool.messages.map((m) => m.type)).toEqual(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']);
		expect(String(sent.body.scope)).toContain('https://purl.imsglobal.org/spec/lti-ags/scope/score');
		// The link works once.
		const again = await registerDynamically(db, { token, openidConfiguration: `${lms.url}/.well-known/openid-configuration`, registrationToken: 'reg-token-1', origin: ORIGIN, request });
		expect(again.ok ? 'ok' : again.error.code).toBe('link');
		expect((await dbGet(db.select().from(ltiPlatform).where(eq(ltiPlatform.id, result.platform.id))))?.status).toBe('pending');
	});

	it('refuses an unknown or expired link before calling the platform', async () => {
		const lms = await platformWith();
		const db = await createServerTestDb();
		const unknown = await registerDynamically(db, { token: 'x'.repeat(43), openidConfiguration: `${lms.url}/.well-known/openid-configuration`, registrationToken: null, origin: ORIGIN, request });
		expect(unknown.ok ? 'ok' : unknown.error.code).toBe('link');
		const { token } = await createRegistrationLink(db, 'centre-1', actor, new Date(Date.now() - 2 * 60 * 60 * 1000));
		const expired = await registerDynamically(db, { token, openidConfiguration: `${lms.url}/.well-known/openid-configuration`, registrationToken: null, origin: ORIGIN, request });
		expect(expired.ok ? 'ok' : expired.error.code).toBe('link');
		expect(lms.configurationRequests).toHaveLength(0);
	});

	it('refuses a configuration whose issuer is on another host than the configuration URL', async () => {
		const db = await createServerTestDb();
		const url = await serving((port) => ({
			body: JSON.stringify({ issuer: 'https://moodle.other.example', authorization_endpoint: `http://127.0.0.1:${port}/auth`, token_endpoint: `http://127.0.0.1:${port}/token`, jwks_uri: `http://127.0.0.1:${port}/jwks`, registration_endpoint: `http://127.0.0.1:${port}/register`, id_token_signing_alg_values_supported: ['RS256'], 'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'x' } })
		}));
		const { token } = await createRegistrationLink(db, 'centre-1', actor);
		const result = await registerDynamically(db, { token, openidConfiguration: `${url}/config`, registrationToken: null, origin: ORIGIN, request });
		expect(result.ok ? 'ok' : result.error).toMatchObject({ code: 'configuration', message: expect.stringContaining('moodle.other.example') });
	});

	it('refuses a plain-http configuration URL off the loopback address, a configuration too large, one not JSON and one too slow', async () => {
		const db = await createServerTestDb();
		const large = await serving(() => ({ body: JSON.stringify({ padding: 'x'.repeat(300 * 1024) }) }));
		const notJson = await serving(() => ({ body: '<html>' }));
		const slow = await serving(() => ({ body: '{}', delayMs: 11_000 }));
		const outcomes = [];
		for (const url of ['http://lms.example/config', `${large}/c`, `${notJson}/c`, `${slow}/c`]) {
			const { token } = await createRegistrationLink(db, 'centre-1', actor);
			const result = await registerDynamically(db, { token, openidConfiguration: url, registrationToken: null, origin: ORIGIN, request });
			outcomes.push(result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`);
		}
		expect(outcomes[0]).toMatch(/^configuration-url: .*https/);
		expect(outcomes[1]).toMatch(/^configuration-fetch: .*more than 256 KB/);
		expect(outcomes[2]).toMatch(/^configuration-fetch: .*not answer with JSON/);
		expect(outcomes[3]).toMatch(/^configuration-fetch: .*did not answer within 10 seconds/);
	}, 20_000);

	it('refuses when the platform refuses our registration (a wrong registration token)', async () => {
		const lms = await platformWith({ registrationToken: 'right' });
		const db = await createServerTestDb();
		const { token } = await createRegistrationLink(db, 'centre-1', actor);
		const result = await registerDynamically(db, { token, openidConfiguration: `${lms.url}/.well-known/openid-configuration`, registrationToken: 'wrong', origin: ORIGIN, request });
		expect(result.ok ? 'ok' : result.error.message).toMatch(/HTTP 401/);
	});
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, jwtVerify, decodeProtectedHeader, type CryptoKey as JoseKey } from 'jose';
import { serveToolJwks, startStandInPlatform, SCOPES, type StandInPlatform } from '../../../../../tests/support/lti-platform-services';
import { USER_AGENT, outbound } from './http';
import { accessToken, clientAssertion, forgetAllTokens } from './token';
import { AGS_SCOPES, findOrCreateLineItem, postScore, withPath } from './ags';
import { fetchMemberships, isLearner, nextLink } from './nrps';
import { deepLinkingRequestOf, deepLinkingResponse } from './deep-linking';
import type { AgsClaim, LtiPlatform, ToolSigner } from './types';

let signer: ToolSigner;
let publicKey: JoseKey;
let jwks: { url: string; close: () => Promise<void> };
let lms: StandInPlatform;
let platform: LtiPlatform;

const members = [
	{ user_id: 'sub-1', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Ada Learner' },
	{ user_id: 'sub-2', roles: ['Learner'], status: 'Active', name: 'Ben Learner' },
	{ user_id: 'sub-3', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], name: 'Cai Teacher' },
	{ user_id: 'sub-4', roles: ['Learner'], status: 'Inactive', name: 'Dee Gone' },
	{ user_id: 'sub-5', roles: ['Learner'], status: 'Deleted' }
];

beforeAll(async () => {
	const pair = await generateKeyPair('RS256', { extractable: true });
	signer = { kid: 'tool-key-1', privateKey: pair.privateKey as CryptoKey };
	publicKey = pair.publicKey;
	jwks = await serveToolJwks(pair.publicKey as CryptoKey, signer.kid);
});
afterAll(async () => await jwks.close());

async function startLms(options: { grantable?: string[]; tokenLifetime?: number } = {}) {
	lms = await startStandInPlatform({ clientId: 'tool-client', toolJwksUrl: jwks.url, members, pageSize: 2, ...options });
	platform = { id: 'p1', issuer: lms.issuer, clientId: 'tool-client', tokenUrl: lms.tokenUrl };
}

beforeEach(() => forgetAllTokens());
afterEach(async () => {
	// Every request the tool made carried our User-Agent (Canvas refuses calls without one).
	expect(lms.userAgents.every((ua) => ua === USER_AGENT)).toBe(true);
	await lms.close();
});

const ags = (): AgsClaim => ({ scope: [AGS_SCOPES.lineItem, AGS_SCOPES.score], lineitems: lms.lineItemsUrl });

describe('the token client', () => {
	beforeEach(async () => await startLms({ tokenLifetime: 120 }));

	it('asks once per platform and scopes, keeps the token, and asks again shortly before it expires', async () => {
		const t0 = new Date();
		const first = await accessToken(platform, signer, [SCOPES.score], { now: () => t0 });
		const again = await accessToken(platform, signer, [SCOPES.score], { now: () => new Date(t0.getTime() + 30_000) });
		expect(first.ok && again.ok && first.value === again.value).toBe(true);
		expect(lms.tokenRequests).toHaveLength(1);
		const other = await accessToken(platform, signer, [SCOPES.nrps], { now: () => t0 });
		expect(other.ok).toBe(true);
		expect(lms.tokenRequests.map((r) => r.scope)).toEqual([SCOPES.score, SCOPES.nrps]);
		// 120 s tokens are given up a minute early: at 61 s a new one is asked for.
		const later = await accessToken(platform, signer, [SCOPES.score], { now: () => new Date(t0.getTime() + 61_000) });
		expect(later.ok && first.ok && later.value !== first.value).toBe(true);
		expect(lms.tokenRequests).toHaveLength(3);
		expect(lms.tokenRequests.every((r) => r.granted)).toBe(true);
	});

	it('signs an assertion the platform verifies against our JWKS: iss = sub = client id, aud = token URL, kid, five minutes', async () => {
		const assertion = await clientAssertion(platform, signer);
		const { payload, protectedHeader } = await jwtVerify(assertion, publicKey, { issuer: 'tool-client', subject: 'tool-client', audience: lms.tokenUrl });
		expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'tool-key-1' });
		expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
		expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
		expect(await clientAssertion({ ...platform, tokenAudience: 'https://lms.example/oauth2/token' }, signer).then((a) => jwtVerify(a, publicKey)).then((v) => v.payload.aud)).toBe('https://lms.example/oauth2/token');
	});

	it('is refused, with a typed error, when the assertion is signed with another key', async () => {
		const stranger = await generateKeyPair('RS256');
		const refused = await accessToken(platform, { kid: signer.kid, privateKey: stranger.privateKey as CryptoKey }, [SCOPES.score]);
		expect(refused).toMatchObject({ ok: false, error: { code: 'lti.token-refused', status: 400, retryable: false } });
		expect(lms.tokenRequests[0]).toMatchObject({ granted: false, refusal: expect.stringContaining('signature') });
	});

	it('is refused for an expired or replayed assertion (the stand-in checks what a platform checks)', async () => {
		const post = async (assertion: string) =>
			await outbound(lms.tokenUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, scope: SCOPES.score }).toString()
			});
		const old = await clientAssertion(platform, signer, new Date(Date.now() - 10 * 60_000));
		expect(await post(old)).toMatchObject({ ok: true, value: { status: 400 } });
		expect(lms.tokenRequests[0]!.refusal).toMatch(/exp/);
		const fresh = await clientAssertion(platform, signer);
		expect(await post(fresh)).toMatchObject({ ok: true, value: { status: 200 } });
		expect(await post(fresh)).toMatchObject({ ok: true, value: { status: 400 } });
		expect(lms.tokenRequests[2]!.refusal).toMatch(/replayed/);
	});

	it('refuses to use a token that lacks a scope it asked for', async () => {
		await lms.close();
		await startLms({ grantable: [SCOPES.lineItem] });
		const refused = await accessToken(platform, signer, [SCOPES.score]);
		expect(refused).toMatchObject({ ok: false, error: { code: 'lti.scope-not-granted', retryable: false } });
		expect(refused.ok || refused.error.message).toContain(SCOPES.score);
	});

	it('asks for a new token once when the platform dropped the one it had', async () => {
		const item = await findOrCreateLineItem({ platform, signer, ags: ags() }, { resourceLinkId: 'rl-1', tag: 'score', label: 'Spouse', scoreMaximum: 100, resourceId: 'spouse-caller', useLaunchLineItem: false });
		expect(item.ok).toBe(true);
		lms.revokeTokens();
		const posted = await postScore({ platform, signer, ags: ags() }, item.ok ? item.value : '', { userId: 'sub-1', scoreGiven: 1, scoreMaximum: 1, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date().toISOString() });
		expect(posted.ok).toBe(true);
		expect(lms.scores).toHaveLength(1);
	});
});

describe('outbound calls', () => {
	beforeEach(async () => await startLms());

	it('give up after the timeout, and refuse an answer larger than the limit, as typed errors', async () => {
		const silent = createServer(() => undefined);
		const huge = createServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('x'.repeat(5000));
		});
		await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
		await new Promise<void>((done) => huge.listen(0, '127.0.0.1', done));
		try {
			const slow = await outbound(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, { method: 'GET' }, { timeoutMs: 200 });
			expect(slow).toMatchObject({ ok: false, error: { code: 'lti.timeout', retryable: true } });
			const big = await outbound(`http://127.0.0.1:${(huge.address() as AddressInfo).port}/`, { method: 'GET' }, { maxResponseBytes: 1000 });
			expect(big).toMatchObject({ ok: false, error: { code: 'lti.too-large', retryable: false } });
			const nowhere = await outbound('http://127.0.0.1:1/', { method: 'GET' });
			expect(nowhere).toMatchObject({ ok: false, error: { code: 'lti.unreachable', retryable: true } });
		} finally {
			silent.closeAllConnections();
			huge.closeAllConnections();
			await new Promise((done) => silent.close(done));
			await new Promise((done) => huge.close(done));
		}
	});
});

describe('Assignment and Grade Services', () => {
	beforeEach(async () => await startLms());

	it('makes the line item for a tag once, finds it again, and posts a score with its content type', async () => {
		const call = { platform, signer, ags: ags() };
		const wanted = { resourceLinkId: 'rl-1', tag: 'assessor-decision', label: 'Spouse: decision', scoreMaximum: 1, resourceId: 'spouse-caller', useLaunchLineItem: false };
		const made = await findOrCreateLineItem(call, wanted);
		const found = await findOrCreateLineItem(call, wanted);
		expect(made.ok && found.ok && made.value === found.value).toBe(true);
		expect(lms.lineItems).toEqual([expect.objectContaining({ tag: 'assessor-decision', resourceLinkId: 'rl-1', scoreMaximum: 1, label: 'Spouse: decision' })]);
		const timestamp = '2026-03-05T12:00:00.000Z';
		expect(await postScore(call, made.ok ? made.value : '', { userId: 'sub-1', scoreGiven: 1, scoreMaximum: 1, comment: 'Met', activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp })).toEqual({ ok: true, value: undefined });
		expect(lms.scores).toEqual([{ lineItemId: made.ok ? made.value : '', contentType: 'application/vnd.ims.lis.v1.score+json', score: { userId: 'sub-1', scoreGiven: 1, scoreMaximum: 1, comment: 'Met', activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp } }]);
		// Listing and making line items used the line-item scope; posting the score only the score scope.
		expect(lms.tokenRequests.map((r) => r.scope)).toEqual([AGS_SCOPES.lineItem, AGS_SCOPES.score]);
	});

	it('uses the launch’s own line item for the score, and says so when a service was not offered', async () => {
		expect(await findOrCreateLineItem({ platform, signer, ags: { scope: [AGS_SCOPES.score], lineitem: 'https://lms.example/li/7' } }, { resourceLinkId: 'rl', tag: 'score', label: 'x', scoreMaximum: 100, resourceId: 'x', useLaunchLineItem: true })).toEqual({ ok: true, value: 'https://lms.example/li/7' });
		expect(await findOrCreateLineItem({ platform, signer, ags: { scope: [AGS_SCOPES.score], lineitem: 'https://lms.example/li/7' } }, { resourceLinkId: 'rl', tag: 'assessor-decision', label: 'x', scoreMaximum: 1, resourceId: 'x', useLaunchLineItem: false })).toMatchObject({ ok: false, error: { code: 'lti.not-offered' } });
		expect(await postScore({ platform, signer, ags: { scope: [AGS_SCOPES.lineItem] } }, 'https://lms.example/li/7', { userId: 'u', activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: new Date().toISOString() })).toMatchObject({ ok: false, error: { code: 'lti.not-offered' } });
		expect(lms.requests).toEqual([]);
	});

	it('adds /scores to a line item URL before its query', () => {
		expect(withPath('https://lms.example/api/lti/courses/1/line_items/2?type_id=x', 'scores')).toBe('https://lms.example/api/lti/courses/1/line_items/2/scores?type_id=x');
	});

	it('reports a refused score as permanent and a platform error as worth retrying', async () => {
		const call = { platform, signer, ags: ags() };
		const item = await findOrCreateLineItem(call, { resourceLinkId: 'rl-1', tag: 'score', label: 'S', scoreMaximum: 100, resourceId: 's', useLaunchLineItem: false });
		const score = { userId: 'sub-1', scoreGiven: 50, scoreMaximum: 100, activityProgress: 'Completed' as const, gradingProgress: 'PendingManual' as const, timestamp: new Date().toISOString() };
		lms.answerScoresWith = 422;
		expect(await postScore(call, item.ok ? item.value : '', score)).toMatchObject({ ok: false, error: { code: 'lti.refused', status: 422, retryable: false } });
		lms.answerScoresWith = null;
		lms.answerAllWith = 503;
		expect(await postScore(call, item.ok ? item.value : '', score)).toMatchObject({ ok: false, error: { code: 'lti.server-error', status: 503, retryable: true } });
	});
});

describe('Names and Role Provisioning', () => {
	beforeEach(async () => await startLms());

	it('follows rel="next" through every page and collects each member with their status', async () => {
		const read = await fetchMemberships(platform, signer, { context_memberships_url: lms.membershipsUrl, service_versions: ['2.0'] });
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.value.pages).toBe(3);
		expect(read.value.context).toEqual({ id: 'c1', title: 'Customer Service L2' });
		expect(read.value.members.map((m) => [m.userId, m.status, isLearner(m)])).toEqual([
			['sub-1', 'Active', true],
			['sub-2', 'Active', true],
			['sub-3', 'Active', false],
			['sub-4', 'Inactive', true],
			['sub-5', 'Deleted', true]
		]);
		expect(lms.requests.filter((r) => r.startsWith('GET /context/c1/memberships'))).toHaveLength(3);
		expect(lms.tokenRequests.map((r) => r.scope)).toEqual([SCOPES.nrps]);
	});

	it('reads the next link among others in a Link header, relative or absolute', () => {
		expect(nextLink('<https://lms.example/m?p=1>; rel="first", <https://lms.example/m?p=3>; rel="next"', 'https://lms.example/m')).toBe('https://lms.example/m?p=3');
		expect(nextLink('</m?page=2>; rel=next', 'https://lms.example/m')).toBe('https://lms.example/m?page=2');
		expect(nextLink('<https://lms.example/m?p=1>; rel="prev"', 'https://lms.example/m')).toBeUndefined();
		expect(nextLink(null, 'https://lms.example/m')).toBeUndefined();
	});
});

describe('the Deep Linking response', () => {
	beforeEach(async () => await startLms());

	it('is a JWT our public key verifies, from the client id to the platform, with the content item and the data echoed', async () => {
		const request = deepLinkingRequestOf({
			'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'dep-1',
			'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': { deep_link_return_url: `${lms.url}/deep-link-return`, accept_types: ['ltiResourceLink'], data: 'opaque-42' }
		});
		expect(request).toBeDefined();
		const jwt = await deepLinkingResponse(signer, platform, request!, [{ scenarioId: 'spouse-caller', title: 'The spouse on the phone' }], 'https://custodian.example');
		expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: 'tool-key-1' });
		const { payload } = await jwtVerify(jwt, publicKey, { issuer: 'tool-client', audience: lms.issuer, algorithms: ['RS256'] });
		expect(payload).toMatchObject({
			'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
			'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
			'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'dep-1',
			'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'opaque-42',
			'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [
				{
					type: 'ltiResourceLink',
					title: 'The spouse on the phone',
					url: 'https://custodian.example/lti/launch',
					custom: { scenario: 'spouse-caller' },
					lineItem: { scoreMaximum: 100, label: 'The spouse on the phone', resourceId: 'spouse-caller', tag: 'score' }
				}
			]
		});
		expect(typeof payload.nonce).toBe('string');
		expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
	});

	it('is not built from a request without a return URL, accepted types or deployment', () => {
		expect(deepLinkingRequestOf({ 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': { deep_link_return_url: 'https://lms.example/r', accept_types: [] } })).toBeUndefined();
		expect(deepLinkingRequestOf({ 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'd', 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': { accept_types: ['ltiResourceLink'] } })).toBeUndefined();
		expect(deepLinkingRequestOf({ 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'd', 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': { deep_link_return_url: 'javascript:alert(1)', accept_types: ['ltiResourceLink'] } })).toBeUndefined();
	});
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, type Db } from '$lib/core/database';
import { ltiAttemptLink } from '$lib/server/db/lti-services';
import { inProgressAttemptOf, startLearnerAttempt } from '$lib/server/attempts';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { agsClaimOf, attachLaunchToSession, carryLaunchesToSession, launchOfSession } from './attempt-launch';
import { DEEP_LINK_WINDOW_MS, deepLinkLaunchOf, spendDeepLinkLaunch } from './deep-link-launch';
import { lmsCoursesOf } from './services/members';
import { createServerTestDb } from '$lib/server/testing';
import { ltiLaunch, ltiLoginState, ltiPlatform } from '$lib/server/db/lti';
import { securityEvent, user, userRole } from '$lib/server/db/schema';
import { startStandInPlatform, type PlatformUser, type StandInPlatform } from '../../../../tests/support/lti-platform';
import { addPlatform, forgetPlatformStorage, setPlatformStatus, type LtiPlatformRecord } from './platforms';
import { initiateLogin } from './login';
import { framersOfSession } from './framed-session';
import { platformsReachingOnly } from './accounts';
import { verifyLaunch, type LaunchVerification } from './launch';
import { completeLaunch, createHandoff, DEEP_LINK_PATH, redeemHandoff } from './completion';

const ORIGIN = 'http://tool.test';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const request = { address: '127.0.0.1', routeId: '/lti/launch', requestId: null };
const actor = { id: 'admin-1', ...request };
const learner: PlatformUser = { sub: 'moodle-user-17', name: 'Ada Learner', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] };

let lms: StandInPlatform;
let db: Db;
let platform: LtiPlatformRecord;

async function register(on: Db, stand: StandInPlatform): Promise<LtiPlatformRecord> {
	const added = await addPlatform(
		on,
		'centre-1',
		{ name: 'Stand-in', issuer: stand.issuer, clientId: stand.clientId, authLoginUrl: `${stand.url}/auth`, tokenUrl: `${stand.url}/token`, jwksUrl: `${stand.url}/jwks`, deploymentIds: [stand.deploymentId] },
		{ registeredBy: 'manual', actor }
	);
	if (!added.ok) throw new Error('not added');
	return added.platform;
}

/** A login as the platform would start it: the state and nonce our redirect carries. */
async function login(stand = lms, now = new Date()): Promise<{ state: string; nonce: string }> {
	const started = await initiateLogin(db, { iss: stand.issuer, loginHint: 'hint', targetLinkUri: `${ORIGIN}/lti/launch`, ltiMessageHint: null, clientId: stand.clientId, deploymentId: null }, ORIGIN, now);
	if (!started.ok) throw new Error(started.error.message);
	const redirect = new URL(started.redirectTo);
	return { state: redirect.searchParams.get('state')!, nonce: redirect.searchParams.get('nonce')! };
}

/** A launch whose claims (and signing) the test changes from a valid one. */
async function launchWith(change: (claims: Record<string, unknown>) => void = () => {}, sign: Parameters<StandInPlatform['signIdToken']>[1] = {}, who = learner): Promise<LaunchVerification> {
	const { state, nonce } = await login();
	const claims = lms.launchClaims(who, nonce, ORIGIN);
	change(claims);
	return await verifyLaunch(db, { idToken: await lms.signIdToken(claims, sign), state, stateCookie: null });
}

function refusedWith(result: LaunchVerification): string {
	if (result.ok) throw new Error('the launch was accepted');
	return result.error.code;
}

beforeAll(async () => {
	lms = await startStandInPlatform();
});
afterAll(async () => {
	await lms.close();
});
beforeEach(async () => {
	db = await createServerTestDb();
	platform = await register(db, lms);
});

describe('login initiation', () => {
	it('redirects to the platform with a fresh state and nonce, form_post and prompt none', async () => {
		const started = await initiateLogin(db, { iss: lms.issuer, loginHint: 'u1', targetLinkUri: `${ORIGIN}/lti/launch`, ltiMessageHint: 'm1', clientId: lms.clientId, deploymentId: lms.deploymentId }, ORIGIN);
		expect(started.ok).toBe(true);
		if (!started.ok) return;
		const url = new URL(started.redirectTo);
		expect(url.origin + url.pathname).toBe(`${lms.url}/auth`);
		expect(Object.fromEntries(url.searchParams)).toMatchObject({ scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: lms.clientId, login_hint: 'u1', lti_message_hint: 'm1', redirect_uri: `${ORIGIN}/lti/launch` });
		expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(url.searchParams.get('nonce')).not.toBe(url.searchParams.get('state'));
		const again = await login();
		expect(again.state).not.toBe(url.searchParams.get('state'));
	});

	it('refuses an unknown issuer, a client id not registered, an unknown deployment and a target on another site', async () => {
		const base = { iss: lms.issuer, loginHint: 'u1', targetLinkUri: null, ltiMessageHint: null, clientId: lms.clientId, deploymentId: null };
		const codes = [];
		for (const params of [{ ...base, iss: 'https://other.example' }, { ...base, clientId: 'nope' }, { ...base, deploymentId: 'elsewhere' }, { ...base, targetLinkUri: 'https://evil.example/lti/launch' }, { ...base, loginHint: null }]) {
			const started = await initiateLogin(db, params, ORIGIN);
			codes.push(started.ok ? 'ok' : started.error.code);
		}
		expect(codes).toEqual(['platform', 'platform', 'deployment', 'target', 'login-hint']);
	});

	it('keeps at most the bound of logins in progress per platform, dropping the oldest, whose launch is then refused', async () => {
		const start = (at: Date) => initiateLogin(db, { iss: lms.issuer, loginHint: 'flood', targetLinkUri: null, ltiMessageHint: null, clientId: lms.clientId, deploymentId: null }, ORIGIN, at, 3);
		const first = await start(new Date(Date.now() - 4_000));
		for (let i = 3; i >= 1; i--) expect((await start(new Date(Date.now() - i * 1_000))).ok).toBe(true);
		const last = await start(new Date());
		if (!first.ok || !last.ok) throw new Error('login refused');
		expect(await dbAll(db.select().from(ltiLoginState))).toHaveLength(3);
		const launchOf = async (started: typeof first) => {
			const redirect = new URL(started.ok ? started.redirectTo : '');
			const claims = lms.launchClaims(learner, redirect.searchParams.get('nonce')!, ORIGIN);
			return await verifyLaunch(db, { idToken: await lms.signIdToken(claims, {}), state: redirect.searchParams.get('state')!, stateCookie: null });
		};
		expect((await launchOf(first)).ok).toBe(false);
		expect((await launchOf(last)).ok).toBe(true);
	});

	it('refuses a platform that is pending or disabled', async () => {
		await setPlatformStatus(db, 'centre-1', platform.id, 'disabled', actor);
		const started = await initiateLogin(db, { iss: lms.issuer, loginHint: 'u1', targetLinkUri: null, ltiMessageHint: null, clientId: lms.clientId, deploymentId: null }, ORIGIN);
		expect(started.ok ? 'ok' : started.error.code).toBe('platform');
	});
});

describe('the certification suite’s valid launches', () => {
	it('accepts a resource-link launch and keeps the claims the services need', async () => {
		const result = await launchWith();
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		expect(done.ok).toBe(true);
		if (!done.ok) return;
		const row = await dbGet(db.select().from(ltiLaunch).where(eq(ltiLaunch.id, done.launchId)));
		expect(row).toMatchObject({ sub: learner.sub, resourceLinkId: 'resource-link-1', contextId: 'course-101', deploymentId: lms.deploymentId, messageType: 'LtiResourceLinkRequest' });
		expect(row?.agsClaim).toMatchObject({ lineitems: `${lms.url}/lineitems` });
		expect(done.landingPath).toBe('/learn');
		const account = await dbGet(db.select().from(user).where(eq(user.id, done.userId)));
		expect(account?.displayName).toBe('Ada Learner');
		expect(account?.email).toMatch(/^lti-[0-9a-f-]+@lti\.invalid$/);
		expect((await dbAll(db.select().from(userRole).where(eq(userRole.userId, done.userId)))).map((r) => r.role)).toEqual(['learner']);
	});

	it('accepts short role names, unknown roles and no roles at all', async () => {
		for (const roles of [['Learner'], ['http://example.com/roles#Juggler'], []]) {
			expect((await launchWith((c) => (c[`${LTI}roles`] = roles))).ok, JSON.stringify(roles)).toBe(true);
		}
	});

	it('accepts a launch without personal data or a context, and names the account after the platform', async () => {
		const result = await launchWith((c) => {
			delete c.name;
			delete c[`${LTI}context`];
		}, {}, { sub: 'anonymous-1', roles: ['Learner'] });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.launch.contextId).toBeNull();
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok) throw new Error(done.message);
		expect((await dbGet(db.select().from(user).where(eq(user.id, done.userId))))?.displayName).toBe('Learner from Stand-in');
	});

	it('links a second launch to the same account by (platform, sub), and another platform’s same sub to another account', async () => {
		const first = await launchWith();
		const second = await launchWith();
		if (!first.ok || !second.ok) throw new Error('refused');
		const a = await completeLaunch(db, first.launch, ORIGIN, request);
		const b = await completeLaunch(db, second.launch, ORIGIN, request);
		const other = await startStandInPlatform();
		try {
			await register(db, other);
			const { state, nonce } = await login(other);
			const claims = other.launchClaims(learner, nonce, ORIGIN);
			const result = await verifyLaunch(db, { idToken: await other.signIdToken(claims), state, stateCookie: null });
			if (!result.ok) throw new Error(result.error.message);
			const c = await completeLaunch(db, result.launch, ORIGIN, request);
			if (!a.ok || !b.ok || !c.ok) throw new Error('not completed');
			expect(b.userId).toBe(a.userId);
			expect(c.userId).not.toBe(a.userId);
		} finally {
			await other.close();
		}
	});

	it('makes an Instructor a tutor, never an administrator or assessor whatever the LMS says', async () => {
		const result = await launchWith(() => {}, {}, { sub: 'teacher-1', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor', 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator', 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator'] });
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok) throw new Error(done.message);
		expect((await dbAll(db.select().from(userRole).where(eq(userRole.userId, done.userId)))).map((r) => r.role)).toEqual(['tutor']);
	});

	it('takes a learner to the scenario a custom parameter names, and never to another site', async () => {
		const result = await launchWith((c) => (c[`${LTI}custom`] = { scenario: 'subject-access-request' }));
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		expect(done.ok && done.landingPath).toBe('/learn/scenarios/subject-access-request');
		const away = await launchWith((c) => (c[`${LTI}target_link_uri`] = 'https://evil.example/learn'));
		if (!away.ok) throw new Error(away.error.message);
		const landed = await completeLaunch(db, away.launch, ORIGIN, request);
		expect(landed.ok && landed.landingPath).toBe('/learn');
	});

	it('verifies a token signed with the platform’s new key after it rotated (the JWKS is fetched again)', async () => {
		expect((await launchWith()).ok).toBe(true);
		await lms.rotateKeys();
		const { state, nonce } = await login();
		const token = await lms.signIdToken(lms.launchClaims(learner, nonce, ORIGIN));
		const result = await verifyLaunch(db, { idToken: token, state, stateCookie: null }, new Date(Date.now() + 3_000));
		expect(result.ok).toBe(true);
	});
});

describe('the certification suite’s known-bad payloads', () => {
	it('refuses a token without a kid, and one whose kid the platform does not publish', async () => {
		expect(refusedWith(await launchWith(() => {}, { kid: null }))).toBe('kid-missing');
		expect(refusedWith(await launchWith(() => {}, { kid: 'no-such-key' }))).toBe('kid-unknown');
	});

	it('refuses a wrong or missing LTI version', async () => {
		expect(refusedWith(await launchWith((c) => (c[`${LTI}version`] = '1.1')))).toBe('version');
		expect(refusedWith(await launchWith((c) => delete c[`${LTI}version`]))).toBe('version');
	});

	it('refuses what is not a JWT', async () => {
		const { state } = await login();
		expect(refusedWith(await verifyLaunch(db, { idToken: 'this is not a token', state, stateCookie: null }))).toBe('not-jwt');
		const again = await login();
		expect(refusedWith(await verifyLaunch(db, { idToken: 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24', state: again.state, stateCookie: null }))).toBe('not-jwt');
	});

	it('refuses missing or bad timestamps: no iat, no exp, expired, issued in the future', async () => {
		const now = Math.floor(Date.now() / 1000);
		expect(refusedWith(await launchWith((c) => delete c.iat))).toBe('iat');
		expect(refusedWith(await launchWith((c) => delete c.exp))).toBe('expired');
		expect(refusedWith(await launchWith((c) => ((c.iat = now - 600), (c.exp = now - 300))))).toBe('expired');
		expect(refusedWith(await launchWith((c) => ((c.iat = now + 3600), (c.exp = now + 7200))))).toBe('iat');
	});

	it('refuses a launch missing its message type, roles, deployment id, resource link id or sub', async () => {
		expect(refusedWith(await launchWith((c) => delete c[`${LTI}message_type`]))).toBe('message-type');
		expect(refusedWith(await launchWith((c) => (c[`${LTI}message_type`] = 'LtiSomethingElse')))).toBe('message-type');
		expect(refusedWith(await launchWith((c) => delete c[`${LTI}roles`]))).toBe('roles');
		expect(refusedWith(await launchWith((c) => delete c[`${LTI}deployment_id`]))).toBe('deployment');
		expect(refusedWith(await launchWith((c) => delete c[`${LTI}resource_link`]))).toBe('resource-link');
		expect(refusedWith(await launchWith((c) => (c[`${LTI}resource_link`] = { title: 'no id' })))).toBe('resource-link');
		expect(refusedWith(await launchWith((c) => delete c.sub))).toBe('sub');
	});

	it('refuses a deep-linking launch without a return address', async () => {
		expect(refusedWith(await launchWith((c) => (c[`${LTI}message_type`] = 'LtiDeepLinkingRequest')))).toBe('deep-linking');
	});

	it('refuses an unknown deployment, a wrong audience, a wrong azp and a wrong issuer', async () => {
		expect(refusedWith(await launchWith((c) => (c[`${LTI}deployment_id`] = 'deployment-elsewhere')))).toBe('deployment');
		expect(refusedWith(await launchWith((c) => (c.aud = 'another-tool')))).toBe('aud');
		expect(refusedWith(await launchWith((c) => (c.aud = [lms.clientId, 'another-tool'])))).toBe('azp');
		expect(refusedWith(await launchWith((c) => (c.azp = 'another-tool')))).toBe('azp');
		expect((await launchWith((c) => ((c.aud = [lms.clientId, 'another-tool']), (c.azp = lms.clientId)))).ok).toBe(true);
		expect(refusedWith(await launchWith((c) => (c.iss = 'https://other-lms.example')))).toBe('iss');
	});

	it('refuses alg none and HS256 (a key anyone could know), and a signature that does not verify', async () => {
		expect(refusedWith(await launchWith(() => {}, { alg: 'none' }))).toBe('alg');
		expect(refusedWith(await launchWith(() => {}, { alg: 'HS256' }))).toBe('alg');
		const { state, nonce } = await login();
		const token = await lms.signIdToken(lms.launchClaims(learner, nonce, ORIGIN));
		const [h, , s] = token.split('.');
		const forged = `${h}.${Buffer.from(JSON.stringify({ ...lms.launchClaims({ ...learner, sub: 'someone-else' }, nonce, ORIGIN) })).toString('base64url')}.${s}`;
		expect(refusedWith(await verifyLaunch(db, { idToken: forged, state, stateCookie: null }))).toBe('signature');
	});

	it('refuses a replayed id_token and state, another launch’s nonce, an expired state and a state cookie of another launch', async () => {
		const { state, nonce } = await login();
		const token = await lms.signIdToken(lms.launchClaims(learner, nonce, ORIGIN));
		expect((await verifyLaunch(db, { idToken: token, state, stateCookie: state })).ok).toBe(true);
		expect(refusedWith(await verifyLaunch(db, { idToken: token, state, stateCookie: null }))).toBe('state');
		const fresh = await login();
		expect(refusedWith(await verifyLaunch(db, { idToken: token, state: fresh.state, stateCookie: null }))).toBe('nonce');
		const old = await login(lms, new Date(Date.now() - 11 * 60 * 1000));
		expect(refusedWith(await verifyLaunch(db, { idToken: await lms.signIdToken(lms.launchClaims(learner, old.nonce, ORIGIN)), state: old.state, stateCookie: null }))).toBe('state');
		const other = await login();
		expect(refusedWith(await verifyLaunch(db, { idToken: await lms.signIdToken(lms.launchClaims(learner, other.nonce, ORIGIN)), state: other.state, stateCookie: 'another-state' }))).toBe('state-cookie');
	});

	it('refuses a launch of a platform disabled after the login began', async () => {
		const { state, nonce } = await login();
		await setPlatformStatus(db, 'centre-1', platform.id, 'disabled', actor);
		expect(refusedWith(await verifyLaunch(db, { idToken: await lms.signIdToken(lms.launchClaims(learner, nonce, ORIGIN)), state, stateCookie: null }))).toBe('platform');
	});

	it('refuses a launch when the platform’s keys cannot be read, saying so', async () => {
		const gone = await startStandInPlatform();
		const registered = await register(db, gone);
		await gone.close();
		const started = await initiateLogin(db, { iss: gone.issuer, loginHint: 'x', targetLinkUri: null, ltiMessageHint: null, clientId: gone.clientId, deploymentId: null }, ORIGIN);
		if (!started.ok) throw new Error(started.error.message);
		const url = new URL(started.redirectTo);
		const result = await verifyLaunch(db, { idToken: await lms.signIdToken(lms.launchClaims(learner, url.searchParams.get('nonce')!, ORIGIN)), state: url.searchParams.get('state')!, stateCookie: null });
		expect(refusedWith(result)).toBe('keys-unavailable');
		expect(registered.status).toBe('enabled');
	});
});

describe('the hand-off to a new window', () => {
	it('finishes a launch once, and not after two minutes', async () => {
		const result = await launchWith();
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok) throw new Error(done.message);
		const code = await createHandoff(db, done.launchId);
		expect(await redeemHandoff(db, code)).toEqual({ launchId: done.launchId, userId: done.userId, landingPath: '/learn' });
		expect(await redeemHandoff(db, code)).toBeNull();
		const late = await createHandoff(db, done.launchId);
		expect(await redeemHandoff(db, late, new Date(Date.now() + 3 * 60 * 1000))).toBeNull();
		expect(await redeemHandoff(db, 'not a code')).toBeNull();
		const events = await dbAll(db.select({ type: securityEvent.type }).from(securityEvent).where(eq(securityEvent.userId, done.userId)));
		expect(events.map((e) => e.type)).toEqual(['account.created', 'lti.launched']);
	});
});

describe('how a launch is tied to the browser that began it (the state cookie, the platform’s storage)', () => {
	const storageLogin = async (target: string | null) => {
		const started = await initiateLogin(db, { iss: lms.issuer, loginHint: 'hint', targetLinkUri: null, ltiMessageHint: null, clientId: lms.clientId, deploymentId: null, storageTarget: target }, ORIGIN);
		if (!started.ok) throw new Error(started.error.message);
		const url = new URL(started.redirectTo);
		return { started, state: url.searchParams.get('state')!, nonce: url.searchParams.get('nonce')! };
	};
	const launch = async (login: { state: string; nonce: string }, stateCookie: string | null) =>
		await verifyLaunch(db, { idToken: await lms.signIdToken(lms.launchClaims(learner, login.nonce, ORIGIN)), state: login.state, stateCookie });

	it('is bound by the cookie when it came back, and trusts the state alone from a platform that never offered storage', async () => {
		const withCookie = await storageLogin(null);
		const bound = await launch(withCookie, withCookie.state);
		expect(bound.ok && bound.launch.binding).toEqual({ kind: 'cookie' });
		const without = await storageLogin(null);
		const stateOnly = await launch(without, null);
		expect(stateOnly.ok && stateOnly.launch.binding).toEqual({ kind: 'state-only' });
	});

	it('gives the page the platform’s storage frame to put the state in, and refuses a frame name it cannot address', async () => {
		const { started } = await storageLogin('post_message_forwarding');
		expect(started.storage).toEqual({ target: 'post_message_forwarding', origin: lms.url });
		const refused = await initiateLogin(db, { iss: lms.issuer, loginHint: 'hint', targetLinkUri: null, ltiMessageHint: null, clientId: lms.clientId, deploymentId: null, storageTarget: 'javascript:alert(1)' }, ORIGIN);
		expect(refused.ok ? 'ok' : refused.error.code).toBe('storage-target');
	});

	it('without the cookie, a launch whose state went to the platform’s storage must read it back: only the right state finishes it', async () => {
		const login = await storageLogin('_parent');
		const result = await launch(login, null);
		if (!result.ok) throw new Error(result.error.message);
		expect(result.launch.binding).toMatchObject({ kind: 'storage', target: '_parent', origin: lms.url });
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok || result.launch.binding.kind !== 'storage') throw new Error('not completed');
		const code = () => createHandoff(db, done.launchId, undefined, result.launch.binding.kind === 'storage' ? result.launch.binding.stateHash : null);
		expect(await redeemHandoff(db, await code())).toBeNull();
		expect(await redeemHandoff(db, await code(), undefined, 'a state from another browser')).toBeNull();
		expect(await redeemHandoff(db, await code(), undefined, login.state)).toMatchObject({ launchId: done.launchId, userId: done.userId });
	});

	it('once a platform has offered storage, a launch without cookie or storage is refused: a forged login cannot leave storage out', async () => {
		// Offered at a login whose launch the platform signed, not at a login anyone can start.
		const unsigned = await storageLogin('_parent');
		expect((await dbGet(db.select().from(ltiPlatform).where(eq(ltiPlatform.id, platform.id))))?.storageSeenAt).toBeNull();
		expect((await launch(unsigned, null)).ok).toBe(true);
		expect((await dbGet(db.select().from(ltiPlatform).where(eq(ltiPlatform.id, platform.id))))?.storageSeenAt).not.toBeNull();
		const forged = await storageLogin(null);
		expect(refusedWith(await launch(forged, null))).toBe('state-unproven');
		// The cookie still binds a launch from that platform.
		const withCookie = await storageLogin(null);
		expect((await launch(withCookie, withCookie.state)).ok).toBe(true);
		// An administrator who forgets the platform's storage (noted by mistake) lets such launches through again.
		expect(await forgetPlatformStorage(db, 'centre-1', platform.id, actor)).toBe(true);
		expect(await forgetPlatformStorage(db, 'another-centre', platform.id, actor)).toBe(false);
		const afterForgetting = await storageLogin(null);
		const accepted = await launch(afterForgetting, null);
		expect(accepted.ok && accepted.launch.binding).toEqual({ kind: 'state-only' });
	});
});

describe('an account a launch made', () => {
	it('is reached through its platform only, until an administrator gives it a one-time password', async () => {
		const result = await launchWith();
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok) throw new Error(done.message);
		expect(await platformsReachingOnly(db, done.userId, false)).toEqual(['Stand-in']);
		expect(await platformsReachingOnly(db, done.userId, true)).toEqual([]);
		expect(await platformsReachingOnly(db, 'a-user-who-logs-in-with-a-password', false)).toEqual([]);
	});
});

describe('a session begun in the platform’s frame', () => {
	it('may be framed by the platform that launched it, and by nobody once that platform is disabled', async () => {
		const result = await launchWith();
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok) throw new Error(done.message);
		await attachLaunchToSession(db, done.launchId, 'framed-session-1');
		const now = Date.now();
		expect(await framersOfSession(db, 'framed-session-1', now)).toEqual([lms.url]);
		expect(await framersOfSession(db, 'a-session-no-launch-began', now)).toEqual([]);
		await setPlatformStatus(db, 'centre-1', platform.id, 'disabled', actor);
		// Remembered for a minute, then read again.
		expect(await framersOfSession(db, 'framed-session-1', now + 1_000)).toEqual([lms.url]);
		expect(await framersOfSession(db, 'framed-session-1', now + 61_000)).toEqual([]);
	});
});

describe('a launch into a scenario, for grade return', () => {
	const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
	const intoScenario = (c: Record<string, unknown>) => {
		c[`${LTI}custom`] = { scenario: 'spouse-caller' };
		c[NRPS] = { context_memberships_url: `${lms.url}/memberships`, service_versions: ['2.0'] };
	};

	it('links the attempt started in the launch’s session, and only that one, with the launch’s AGS claim; remembers the course', async () => {
		await syncBuiltInScenarios(db);
		const result = await launchWith(intoScenario, {}, { ...learner, sub: 'scenario-learner' });
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok) throw new Error(done.message);
		expect(done.landingPath).toBe('/learn/scenarios/spouse-caller');
		expect(await lmsCoursesOf(db, 'centre-1')).toMatchObject([{ platformId: platform.id, contextId: 'course-101', title: 'Business Administration L3', membershipsUrl: `${lms.url}/memberships` }]);

		// No session yet, another session, another learner, another scenario: no launch.
		expect(await launchOfSession(db, undefined, done.userId, 'spouse-caller')).toBeNull();
		await attachLaunchToSession(db, done.launchId, 'session-of-the-launch');
		expect(await launchOfSession(db, 'a-password-session', done.userId, 'spouse-caller')).toBeNull();
		expect(await launchOfSession(db, 'session-of-the-launch', 'someone-else', 'spouse-caller')).toBeNull();
		expect(await launchOfSession(db, 'session-of-the-launch', done.userId, 'another-scenario')).toBeNull();
		const launch = await launchOfSession(db, 'session-of-the-launch', done.userId, 'spouse-caller');
		expect(launch).toEqual({ platformId: platform.id, sub: 'scenario-learner', resourceLinkId: 'resource-link-1', ags: { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'], lineitems: `${lms.url}/lineitems` } });

		const started = await startLearnerAttempt(db, done.userId, 'spouse-caller', launch);
		if (!started.ok) throw new Error(started.error.message);
		expect(await dbGet(db.select().from(ltiAttemptLink).where(eq(ltiAttemptLink.attemptId, started.value.id)))).toMatchObject({ platformId: platform.id, sub: 'scenario-learner', resourceLinkId: 'resource-link-1' });
		const own = await startLearnerAttempt(db, done.userId, 'spouse-caller', null);
		if (!own.ok) throw new Error(own.error.message);
		expect(await dbGet(db.select().from(ltiAttemptLink).where(eq(ltiAttemptLink.attemptId, own.value.id)))).toBeUndefined();

		// Launched again while an attempt is in progress: continuing it returns its grade too.
		await dbRun(db.delete(ltiAttemptLink));
		const again = await launchWith(intoScenario, {}, { ...learner, sub: 'scenario-learner' });
		if (!again.ok) throw new Error(again.error.message);
		expect((await completeLaunch(db, again.launch, ORIGIN, request)).ok).toBe(true);
		expect((await dbAll(db.select({ attemptId: ltiAttemptLink.attemptId }).from(ltiAttemptLink))).map((r) => r.attemptId)).toEqual([await inProgressAttemptOf(db, done.userId, 'spouse-caller')]);
	});

	it('keeps no AGS claim that names no https endpoint or no scope', () => {
		expect(agsClaimOf({ scope: ['s'], lineitems: 'http://lms.example/lineitems' })).toBeUndefined();
		expect(agsClaimOf({ scope: [], lineitem: 'https://lms.example/li/1' })).toBeUndefined();
		expect(agsClaimOf({ scope: 'not-a-list', lineitem: 'https://lms.example/li/1' })).toBeUndefined();
		expect(agsClaimOf({ scope: ['s', 7], lineitem: 'https://lms.example/li/1' })).toEqual({ scope: ['s'], lineitem: 'https://lms.example/li/1' });
	});
});

describe('a Deep Linking launch by a teacher', () => {
	const teacher: PlatformUser = { sub: 'teacher-1', name: 'Tess Teacher', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] };
	const deepLinking = (c: Record<string, unknown>) => {
		c[`${LTI}message_type`] = 'LtiDeepLinkingRequest';
		delete c[`${LTI}resource_link`];
		c['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = { deep_link_return_url: `${lms.url}/deep-link-return`, accept_types: ['ltiResourceLink'], data: 'opaque-42' };
	};

	it('takes the teacher to the picker, whose request is found by their session only, once, within the hour', async () => {
		const t0 = new Date();
		const result = await launchWith(deepLinking, {}, teacher);
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request, t0);
		if (!done.ok) throw new Error(done.message);
		expect(done.landingPath).toBe(DEEP_LINK_PATH);
		expect(await deepLinkLaunchOf(db, 'tutor-session', done.userId, t0)).toBeNull();
		await attachLaunchToSession(db, done.launchId, 'tutor-session');
		expect(await deepLinkLaunchOf(db, 'tutor-session', 'another-tutor', t0)).toBeNull();
		expect(await deepLinkLaunchOf(db, 'tutor-session', done.userId, new Date(t0.getTime() + DEEP_LINK_WINDOW_MS + 1000))).toBeNull();
		// The second factor replaces the session: the request follows the tutor.
		await carryLaunchesToSession(db, 'tutor-session', 'verified-session');
		expect(await deepLinkLaunchOf(db, 'tutor-session', done.userId, t0)).toBeNull();
		const found = await deepLinkLaunchOf(db, 'verified-session', done.userId, t0);
		expect(found).toMatchObject({ launchId: done.launchId, platform: { id: platform.id }, request: { deploymentId: lms.deploymentId, settings: { data: 'opaque-42' } } });
		await spendDeepLinkLaunch(db, done.launchId);
		expect(await deepLinkLaunchOf(db, 'verified-session', done.userId, t0)).toBeNull();
	});

	it('sends a learner’s deep-linking launch home, and finds no request from a disabled platform', async () => {
		const result = await launchWith(deepLinking);
		if (!result.ok) throw new Error(result.error.message);
		const done = await completeLaunch(db, result.launch, ORIGIN, request);
		if (!done.ok) throw new Error(done.message);
		expect(done.landingPath).toBe('/learn');
		await attachLaunchToSession(db, done.launchId, 's');
		expect(await deepLinkLaunchOf(db, 's', done.userId)).not.toBeNull();
		await setPlatformStatus(db, 'centre-1', platform.id, 'disabled', actor);
		expect(await deepLinkLaunchOf(db, 's', done.userId)).toBeNull();
	});
});

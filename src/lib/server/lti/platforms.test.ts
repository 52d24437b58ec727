import { describe, expect, it } from 'vitest';
import { dbRun } from '$lib/core/database';
import { createServerTestDb } from '$lib/server/testing';
import { organisation } from '$lib/server/db/schema';
import { endpointUrl } from './http';
import { toolJwks } from './keys';
import { ltiServices } from './services/deps';
import { wireLtiServices } from './services-wiring';
import { addPlatform, checkPlatformInput, enablePlatform, platformById, platformOrigins, setPlatformStatus, type PlatformInput } from './platforms';

const actor = { id: 'admin-1', address: null, routeId: null, requestId: null };
const valid: PlatformInput = {
	name: 'College Moodle',
	issuer: 'https://moodle.college.example',
	clientId: 'abc123',
	authLoginUrl: 'https://moodle.college.example/mod/lti/auth.php',
	tokenUrl: 'https://moodle.college.example/mod/lti/token.php',
	jwksUrl: 'https://moodle.college.example/mod/lti/certs.php',
	deploymentIds: '1\n2, 2'
};

describe('platforms', () => {
	it('checks the manual registration form field by field, https only except on the loopback address', () => {
		const checked = checkPlatformInput(valid);
		expect(checked.ok && checked.value.deploymentIds).toEqual(['1', '2']);
		const bad = checkPlatformInput({ ...valid, name: ' ', issuer: 'http://moodle.college.example', jwksUrl: 'https://user:pw@x.example/jwks', tokenUrl: 'not a url', deploymentIds: ' , ' });
		expect(bad.ok ? {} : Object.keys(bad.errors).sort()).toEqual(['deploymentIds', 'issuer', 'jwksUrl', 'name', 'tokenUrl']);
		expect(checkPlatformInput({ ...valid, issuer: 'http://127.0.0.1:8080', authLoginUrl: 'http://localhost:8080/auth' }).ok).toBe(true);
	});

	it('refuses a second registration of one issuer and client id', async () => {
		const db = await createServerTestDb();
		const checked = checkPlatformInput(valid);
		if (!checked.ok) throw new Error('invalid');
		expect((await addPlatform(db, 'centre-1', checked.value, { registeredBy: 'manual', actor })).ok).toBe(true);
		const again = await addPlatform(db, 'centre-1', checked.value, { registeredBy: 'dynamic', actor });
		expect(again.ok ? {} : again.errors).toEqual({ clientId: 'This issuer and client id are registered already.' });
	});

	it('lets only the platform’s own centre enable or disable it, and asks for a deployment id to enable', async () => {
		const db = await createServerTestDb();
		await dbRun(db.insert(organisation).values({ id: 'centre-2', name: 'Other', region: 'england-and-wales', updatedAt: new Date(0).toISOString() }));
		const checked = checkPlatformInput(valid);
		if (!checked.ok) throw new Error('invalid');
		const added = await addPlatform(db, 'centre-1', { ...checked.value, deploymentIds: [] }, { registeredBy: 'dynamic', actor });
		if (!added.ok) throw new Error('not added');
		expect(added.platform.status).toBe('pending');
		expect(await enablePlatform(db, 'centre-2', added.platform.id, '1', actor)).toMatchObject({ ok: false, notFound: true });
		expect(await setPlatformStatus(db, 'centre-2', added.platform.id, 'disabled', actor)).toBe(false);
		expect(await enablePlatform(db, 'centre-1', added.platform.id, '  ', actor)).toMatchObject({ ok: false, errors: { deploymentIds: expect.stringContaining('at least one') } });
		expect((await platformById(db, added.platform.id))?.status).toBe('pending');
		expect(await enablePlatform(db, 'centre-1', added.platform.id, 'dep-1', actor)).toEqual({ ok: true });
		expect(await platformById(db, added.platform.id)).toMatchObject({ status: 'enabled', deploymentIds: ['dep-1'] });
	});

	it('allows framing by the platform’s own origins only', () => {
		expect(platformOrigins({ issuer: 'https://canvas.instructure.com', authLoginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect' })).toEqual(['https://canvas.instructure.com', 'https://sso.canvaslms.com']);
	});

	it('accepts plain http on the loopback address only while the site itself is not on https', () => {
		const local = 'http://127.0.0.1:9000/.well-known/openid-configuration';
		expect(endpointUrl(local, { ORIGIN: 'http://localhost:5173' })?.href).toBe(local);
		expect(endpointUrl(local, {})?.href).toBe(local);
		expect(endpointUrl(local, { ORIGIN: 'https://custodian.college.example' })).toBeNull();
		expect(endpointUrl('http://localhost/x', { ORIGIN: ' HTTPS://custodian.college.example' })).toBeNull();
		expect(endpointUrl('https://moodle.college.example/jwks', { ORIGIN: 'https://custodian.college.example' })?.host).toBe('moodle.college.example');
		expect(endpointUrl('http://moodle.college.example/jwks', { ORIGIN: 'http://localhost:5173' })).toBeNull();
	});
});

describe('the services’ view of platforms (services-wiring.ts)', () => {
	it('gives grade return and NRPS an enabled platform only, and signs with the key the JWKS publishes', async () => {
		const db = await createServerTestDb();
		const checked = checkPlatformInput(valid);
		if (!checked.ok) throw new Error('invalid');
		const added = await addPlatform(db, 'centre-1', { ...checked.value, deploymentIds: [] }, { registeredBy: 'dynamic', actor });
		if (!added.ok) throw new Error('not added');
		wireLtiServices();
		const deps = ltiServices()!;
		expect(await deps.platform(db, added.platform.id)).toBeUndefined();
		expect(await enablePlatform(db, 'centre-1', added.platform.id, 'dep-1', actor)).toEqual({ ok: true });
		expect(await deps.platform(db, added.platform.id)).toEqual({ id: added.platform.id, issuer: valid.issuer, clientId: valid.clientId, tokenUrl: valid.tokenUrl });
		expect(await setPlatformStatus(db, 'centre-1', added.platform.id, 'disabled', actor)).toBe(true);
		expect(await deps.platform(db, added.platform.id)).toBeUndefined();
		expect(await deps.platform(db, 'no-such-platform')).toBeUndefined();
		const signer = await deps.signer(db);
		expect((await toolJwks(db)).keys.map((k) => k.kid)).toContain(signer.kid);
	});
});

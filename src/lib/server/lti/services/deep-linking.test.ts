import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, jwtVerify, type CryptoKey as JoseKey } from 'jose';
import type { Db } from '$lib/core/database';
import { createServerTestDb } from '$lib/server/testing';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { chooseDeepLink, deepLinkingPicker, deepLinkingRequestOf, returnFormOrigin } from './deep-linking';
import type { ToolSigner } from './types';

let db: Db;
let signer: ToolSigner;
let publicKey: JoseKey;
const author = { id: 'tutor-1', organisationId: 'centre-1' };
const platform = { issuer: 'https://lms.example', clientId: 'tool-client' };
const claims = (settings: Record<string, unknown>) => ({
	'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'dep-1',
	'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': { deep_link_return_url: 'https://lms.example/dl/return?course=7', accept_types: ['ltiResourceLink'], ...settings }
});

beforeAll(async () => {
	const pair = await generateKeyPair('RS256');
	signer = { kid: 'k1', privateKey: pair.privateKey as CryptoKey };
	publicKey = pair.publicKey;
	// The tests only read the library: one database for them all.
	db = await createServerTestDb();
	await syncBuiltInScenarios(db);
});

describe('the deep-linking picker', () => {
	it('lists the library’s published scenarios, and only for a request that takes resource links', async () => {
		const view = await deepLinkingPicker(db, author, claims({ title: 'Week 3', accept_multiple: true }));
		expect(view?.acceptMultiple).toBe(true);
		expect(view?.title).toBe('Week 3');
		expect(view?.scenarios.map((s) => s.scenarioId)).toContain('spouse-caller');
		expect(view?.scenarios.every((s) => s.title !== '')).toBe(true);
		expect(await deepLinkingPicker(db, author, claims({ accept_types: ['file'] }))).toBeUndefined();
		expect(await deepLinkingPicker(db, author, {})).toBeUndefined();
	});

	it('answers the chosen scenario as a signed response posted back to the LMS', async () => {
		const request = deepLinkingRequestOf(claims({ data: 'state-9' }))!;
		const chosen = await chooseDeepLink(db, { author, request, platform, signer, origin: 'https://custodian.example', chosen: ['spouse-caller'] });
		expect(chosen.ok).toBe(true);
		if (!chosen.ok) return;
		expect(chosen.value.action).toBe('https://lms.example/dl/return?course=7');
		expect(returnFormOrigin(chosen.value)).toBe('https://lms.example');
		const { payload } = await jwtVerify(chosen.value.jwt, publicKey, { issuer: 'tool-client', audience: 'https://lms.example' });
		expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/data']).toBe('state-9');
		expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items']).toEqual([expect.objectContaining({ type: 'ltiResourceLink', custom: { scenario: 'spouse-caller' } })]);
	});

	it('refuses nothing chosen, an unknown scenario, and two when the LMS takes one, naming the field', async () => {
		const request = deepLinkingRequestOf(claims({}))!;
		const choose = async (chosen: string[], r = request) => await chooseDeepLink(db, { author, request: r, platform, signer, origin: 'https://custodian.example', chosen });
		expect(await choose([])).toMatchObject({ ok: false, error: { field: 'scenario', code: 'lti.dl-none' } });
		expect(await choose(['no-such-scenario'])).toMatchObject({ ok: false, error: { field: 'scenario', code: 'lti.dl-unknown' } });
		const pickable = (await deepLinkingPicker(db, author, claims({})))!.scenarios.map((s) => s.scenarioId);
		expect(await choose(pickable.slice(0, 2))).toMatchObject({ ok: false, error: { field: 'scenario', code: 'lti.dl-one-only' } });
		const several = deepLinkingRequestOf(claims({ accept_multiple: true }))!;
		expect(await choose(pickable.slice(0, 2), several)).toMatchObject({ ok: true });
		expect(await choose(Array.from({ length: 51 }, (_, i) => `s${i}`), several)).toMatchObject({ ok: false, error: { code: 'lti.dl-too-many' } });
		const files = deepLinkingRequestOf(claims({ accept_types: ['file'] }))!;
		expect(await choose(['spouse-caller'], files)).toMatchObject({ ok: false, error: { code: 'lti.dl-type-refused' } });
	});

});

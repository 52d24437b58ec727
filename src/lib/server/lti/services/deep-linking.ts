/**
 * Deep Linking 2.0: a tutor launched from the LMS to pick a scenario; the tool answers with an
 * LtiDeepLinkingResponse, a JWT signed with the tool's key that the browser posts back to the
 * platform's deep_link_return_url (https://www.imsglobal.org/spec/lti-dl/v2p0).
 */
import { SignJWT } from 'jose';
import type { Db } from '$lib/core/database';
import { scenarioLibrary } from '$lib/server/authoring';
import type { DeepLinkPickerView, DeepLinkReturnForm, PickableScenario } from '$lib/views/lti';
import { DEEP_LINKING_SETTINGS_CLAIM, DEPLOYMENT_ID_CLAIM, type DeepLinkingSettings, type LtiPlatform, type ToolSigner } from './types';

/** Where a resource link launches: the tool's launch endpoint under ORIGIN (the launch side mounts it). */
export const LAUNCH_PATH = '/lti/launch';
/** The response's life: the browser posts it back at once. */
const RESPONSE_LIFETIME_S = 300;

export interface DeepLinkingRequest {
	deploymentId: string;
	settings: DeepLinkingSettings;
}

/** The deep-linking request's claims as the launch verified them; undefined when they are not a usable request. */
export function deepLinkingRequestOf(claims: Record<string, unknown>): DeepLinkingRequest | undefined {
	const deploymentId = claims[DEPLOYMENT_ID_CLAIM];
	const settings = claims[DEEP_LINKING_SETTINGS_CLAIM] as Partial<DeepLinkingSettings> | undefined;
	if (typeof deploymentId !== 'string' || !settings || typeof settings !== 'object') return undefined;
	if (typeof settings.deep_link_return_url !== 'string' || !Array.isArray(settings.accept_types)) return undefined;
	try {
		const url = new URL(settings.deep_link_return_url);
		if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
	} catch {
		return undefined;
	}
	return { deploymentId, settings: settings as DeepLinkingSettings };
}

/** What a tutor may link: the library's published scenarios that are not archived, as the author area lists them. */
export async function pickableScenarios(db: Db, author: { id: string; organisationId: string }): Promise<PickableScenario[]> {
	return (await scenarioLibrary(db, author))
		.filter((entry) => entry.state === 'published' && !entry.archived)
		.map((entry) => ({ scenarioId: entry.scenarioId, title: entry.title, criteria: entry.criteria }));
}

export interface LinkedScenario {
	scenarioId: string;
	title: string;
}

/** One content item: a resource link to the scenario, with a line item for its score. */
export function contentItemOf(scenario: LinkedScenario, origin: string): Record<string, unknown> {
	return {
		type: 'ltiResourceLink',
		title: scenario.title,
		url: new URL(LAUNCH_PATH, origin).toString(),
		custom: { scenario: scenario.scenarioId },
		lineItem: { scoreMaximum: 100, label: scenario.title, resourceId: scenario.scenarioId, tag: 'score' }
	};
}

/** The signed LtiDeepLinkingResponse: iss the client id, aud the platform's issuer, the request's data echoed. */
export async function deepLinkingResponse(
	signer: ToolSigner,
	platform: Pick<LtiPlatform, 'issuer' | 'clientId'>,
	request: DeepLinkingRequest,
	scenarios: LinkedScenario[],
	origin: string,
	now = new Date()
): Promise<string> {
	const claims: Record<string, unknown> = {
		nonce: crypto.randomUUID(),
		'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
		'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
		[DEPLOYMENT_ID_CLAIM]: request.deploymentId,
		'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': scenarios.map((s) => contentItemOf(s, origin))
	};
	if (request.settings.data !== undefined) claims['https://purl.imsglobal.org/spec/lti-dl/claim/data'] = request.settings.data;
	const issuedAt = Math.floor(now.getTime() / 1000);
	return await new SignJWT(claims)
		.setProtectedHeader({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })
		.setIssuer(platform.clientId)
		.setAudience(platform.issuer)
		.setIssuedAt(issuedAt)
		.setExpirationTime(issuedAt + RESPONSE_LIFETIME_S)
		.sign(signer.privateKey);
}

/**
 * The picker's page for a verified deep-linking request, or undefined when the claims are not one the
 * tool can answer (no return URL, or the LMS takes no resource links).
 */
export async function deepLinkingPicker(db: Db, author: { id: string; organisationId: string }, claims: Record<string, unknown>): Promise<DeepLinkPickerView | undefined> {
	const request = deepLinkingRequestOf(claims);
	if (!request || !request.settings.accept_types.includes('ltiResourceLink')) return undefined;
	const view: DeepLinkPickerView = { scenarios: await pickableScenarios(db, author), acceptMultiple: request.settings.accept_multiple === true };
	if (typeof request.settings.title === 'string' && request.settings.title.trim() !== '') view.title = request.settings.title.trim().slice(0, 200);
	return view;
}

/**
 * The origin the return page's form posts to: the page answering with DeepLinkReturn must allow it
 * in its Content-Security-Policy (form-action), which is 'self' everywhere else.
 */
export function returnFormOrigin(form: DeepLinkReturnForm): string {
	return new URL(form.action).origin;
}

export type DeepLinkChoice =
	| { ok: true; value: DeepLinkReturnForm }
	| { ok: false; error: { code: string; field: 'scenario'; message: string } };

/**
 * The tutor's choice of scenario(s), checked against what they may pick and what the platform
 * accepts, turned into the form that returns it.
 */
export async function chooseDeepLink(
	db: Db,
	input: {
		author: { id: string; organisationId: string };
		request: DeepLinkingRequest;
		platform: Pick<LtiPlatform, 'issuer' | 'clientId'>;
		signer: ToolSigner;
		origin: string;
		chosen: string[];
	},
	now = new Date()
): Promise<DeepLinkChoice> {
	const refuse = (code: string, message: string): DeepLinkChoice => ({ ok: false, error: { code, field: 'scenario', message } });
	if (!input.request.settings.accept_types.includes('ltiResourceLink')) return refuse('lti.dl-type-refused', 'The LMS does not accept links to activities here, so a scenario cannot be added from this page.');
	const chosen = [...new Set(input.chosen.filter((id) => id !== ''))];
	if (chosen.length > 50) return refuse('lti.dl-too-many', 'Choose at most 50 scenarios at a time.');
	if (chosen.length === 0) return refuse('lti.dl-none', 'Choose a scenario to add to the course.');
	if (chosen.length > 1 && input.request.settings.accept_multiple !== true) return refuse('lti.dl-one-only', 'The LMS accepts one scenario at a time here: choose one.');
	const pickable = new Map((await pickableScenarios(db, input.author)).map((s) => [s.scenarioId, s]));
	const scenarios: LinkedScenario[] = [];
	for (const id of chosen) {
		const found = pickable.get(id);
		if (!found) return refuse('lti.dl-unknown', 'Choose a published scenario from the list.');
		scenarios.push({ scenarioId: found.scenarioId, title: found.title });
	}
	const jwt = await deepLinkingResponse(input.signer, input.platform, input.request, scenarios, input.origin, now);
	return { ok: true, value: { action: input.request.settings.deep_link_return_url, jwt } };
}

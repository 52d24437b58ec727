/**
 * IMS LTI Dynamic Registration 1.0 (https://www.imsglobal.org/spec/lti-dr/v1p0).
 *
 * The guard: a one-time registration link an administrator makes on /admin/lti. The LMS opens the
 * link in a frame of its own site (Moodle does), where our SameSite=Lax session cookie is not sent,
 * so an administrator's session cannot guard it; the link's 256-bit secret does, for an hour, once.
 * The platform then gives `openid_configuration` (and usually `registration_token`); we fetch its
 * configuration, check its issuer's host is the configuration URL's host, send our client
 * registration, and store the platform as pending until an administrator enables it.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { dbGet, dbRun, type Db } from '$lib/core/database';
import { ltiRegistrationLink } from '$lib/server/db/lti';
import { recordActorEvent, type Actor, type RequestContext } from '$lib/server/security/events';
import { endpointUrl, fetchJson } from './http';
import { addPlatform, type LtiPlatformRecord } from './platforms';
import { newSecret, secretHash } from './tokens';

/** How long a registration link works. */
export const REGISTRATION_LINK_MS = 60 * 60 * 1000;

export const LTI_SCOPES = [
	'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
	'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
	'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
	'https://purl.imsglobal.org/spec/lti-ags/scope/score',
	'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'
];

/** Our tool's addresses under ORIGIN. */
export function toolUrls(origin: string) {
	return {
		login: `${origin}/lti/login`,
		launch: `${origin}/lti/launch`,
		jwks: `${origin}/lti/jwks`,
		registration: (token: string) => `${origin}/lti/register/${token}`
	};
}

export async function createRegistrationLink(db: Db, organisationId: string, actor: Actor, now = new Date()): Promise<{ token: string; expiresAt: string }> {
	const token = newSecret();
	const expiresAt = new Date(now.getTime() + REGISTRATION_LINK_MS).toISOString();
	await dbRun(db.insert(ltiRegistrationLink).values({ tokenHash: secretHash(token), organisationId, createdBy: actor.id, createdAt: now.toISOString(), expiresAt, usedAt: null, platformId: null }));
	await recordActorEvent(db, actor, { type: 'lti.registration-link-created', detail: { expiresAt } }, now);
	return { token, expiresAt };
}

async function openLink(db: Db, token: string, now: Date) {
	if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
	return await dbGet(db
		.select()
		.from(ltiRegistrationLink)
		.where(and(eq(ltiRegistrationLink.tokenHash, secretHash(token)), isNull(ltiRegistrationLink.usedAt), gt(ltiRegistrationLink.expiresAt, now.toISOString()))));
}

export type RegistrationFailure = { code: string; message: string };
export type RegistrationResult = { ok: true; platform: LtiPlatformRecord } | { ok: false; error: RegistrationFailure };

const fail = (code: string, message: string): RegistrationResult => ({ ok: false, error: { code, message } });

const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface PlatformConfiguration {
	issuer: string;
	authorizationEndpoint: string;
	tokenEndpoint: string;
	jwksUri: string;
	registrationEndpoint: string;
	productFamily: string;
}

/** The parts of the platform's OpenID configuration we rely on, each checked. */
export function readPlatformConfiguration(body: unknown, configurationUrl: URL): { ok: true; value: PlatformConfiguration } | { ok: false; message: string } {
	if (!isRecord(body)) return { ok: false, message: 'The platform’s configuration is not a JSON object.' };
	const keys = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'registration_endpoint'] as const;
	const urls = {} as Record<(typeof keys)[number], string>;
	for (const key of keys) {
		const value = body[key];
		if (typeof value !== 'string' || !endpointUrl(value)) return { ok: false, message: `The platform’s configuration has no usable ${key} (an https:// address is needed).` };
		urls[key] = value;
	}
	// The issuer must be the site that serves the configuration (LTI-DR §3.5.1): a configuration
	// URL on one host cannot register another host's issuer.
	if (new URL(urls.issuer).host !== configurationUrl.host) {
		return { ok: false, message: `The platform’s issuer (${new URL(urls.issuer).host}) is not on the host its configuration came from (${configurationUrl.host}).` };
	}
	const algs = body.id_token_signing_alg_values_supported;
	if (!Array.isArray(algs) || !algs.includes('RS256')) return { ok: false, message: 'The platform does not sign its tokens with RS256, the only algorithm LTI 1.3 allows.' };
	const lti = body[PLATFORM_CONFIGURATION];
	if (!isRecord(lti)) return { ok: false, message: `The platform’s configuration has no ${PLATFORM_CONFIGURATION} section: it is not an LTI 1.3 platform.` };
	const productFamily = typeof lti.product_family_code === 'string' ? lti.product_family_code.slice(0, 50) : 'LMS';
	return {
		ok: true,
		value: {
			issuer: urls.issuer,
			authorizationEndpoint: urls.authorization_endpoint,
			tokenEndpoint: urls.token_endpoint,
			jwksUri: urls.jwks_uri,
			registrationEndpoint: urls.registration_endpoint,
			productFamily
		}
	};
}

/** Our client registration (LTI-DR §3.6 and the OpenID Connect registration it extends). */
export function clientRegistration(origin: string) {
	const urls = toolUrls(origin);
	return {
		application_type: 'web',
		response_types: ['id_token'],
		grant_types: ['implicit', 'client_credentials'],
		initiate_login_uri: urls.login,
		redirect_uris: [urls.launch],
		client_name: 'Custodian',
		jwks_uri: urls.jwks,
		token_endpoint_auth_method: 'private_key_jwt',
		scope: LTI_SCOPES.join(' '),
		[TOOL_CONFIGURATION]: {
			domain: new URL(origin).host,
			target_link_uri: urls.launch,
			description: 'Practise processing customer information in realistic simulations, with assessed evidence.',
			claims: ['iss', 'sub', 'name', 'given_name', 'family_name'],
			messages: [
				{ type: 'LtiResourceLinkRequest', target_link_uri: urls.launch },
				{ type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, label: 'Custodian scenario' }
			]
		}
	};
}

export interface RegistrationRequest {
	token: string;
	openidConfiguration: string | null;
	registrationToken: string | null;
	/** Our ORIGIN: the addresses we register. */
	origin: string;
	request: RequestContext;
}

/** Whether a registration link still works (the page says so before the platform's part begins). */
export async function registrationLinkWorks(db: Db, token: string, now = new Date()): Promise<boolean> {
	return (await openLink(db, token, now)) !== undefined;
}

/** The whole Dynamic Registration, from the link to the pending platform. Every failure names what was wrong. */
export async function registerDynamically(db: Db, input: RegistrationRequest, now = new Date()): Promise<RegistrationResult> {
	const link = await openLink(db, input.token, now);
	if (!link) return fail('link', 'This registration link has expired or has been used. Ask your Custodian administrator for a new one (Admin → LTI).');
	if (!input.openidConfiguration) return fail('configuration-url', 'The platform did not give its configuration address (openid_configuration). Start the registration from the platform’s “Register a tool” page.');
	const configurationUrl = endpointUrl(input.openidConfiguration);
	if (!configurationUrl) return fail('configuration-url', 'The platform’s configuration address must be an https:// address.');
	if (input.registrationToken !== null && (input.registrationToken.length > 4096 || /[\s\u0000-\u001f]/.test(input.registrationToken))) {
		return fail('registration-token', 'The platform’s registration token is not a usable bearer token.');
	}
	const bearer: Record<string, string> = input.registrationToken ? { Authorization: `Bearer ${input.registrationToken}` } : {};
	const fetched = await fetchJson(configurationUrl.href, { headers: bearer });
	if (!fetched.ok) return fail('configuration-fetch', `The platform’s configuration could not be read: ${fetched.error.message}`);
	const configuration = readPlatformConfiguration(fetched.body, configurationUrl);
	if (!configuration.ok) return fail('configuration', configuration.message);
	const registered = await fetchJson(configuration.value.registrationEndpoint, {
		method: 'POST',
		headers: { ...bearer, 'Content-Type': 'application/json' },
		body: JSON.stringify(clientRegistration(input.origin))
	});
	if (!registered.ok) return fail('registration', `The platform refused our registration: ${registered.error.message}`);
	const answer = registered.body;
	if (!isRecord(answer) || typeof answer.client_id !== 'string' || answer.client_id.length === 0 || answer.client_id.length > 255) {
		return fail('registration', 'The platform’s answer to our registration has no client_id.');
	}
	const toolConfiguration = answer[TOOL_CONFIGURATION];
	const deploymentId = isRecord(toolConfiguration) && typeof toolConfiguration.deployment_id === 'string' ? toolConfiguration.deployment_id.slice(0, 255) : null;
	// The link is spent here, once: of two registrations racing with one link, one goes through.
	const claimed = await dbRun(db
		.update(ltiRegistrationLink)
		.set({ usedAt: now.toISOString() })
		.where(and(eq(ltiRegistrationLink.tokenHash, link.tokenHash), isNull(ltiRegistrationLink.usedAt))));
	if (claimed.changes !== 1) return fail('link', 'This registration link has just been used. Ask your Custodian administrator for a new one (Admin → LTI).');
	const actor: Actor = { id: link.createdBy, ...input.request };
	const added = await addPlatform(
		db,
		link.organisationId,
		{
			name: `${configuration.value.productFamily} at ${new URL(configuration.value.issuer).host}`,
			issuer: configuration.value.issuer,
			clientId: answer.client_id,
			authLoginUrl: configuration.value.authorizationEndpoint,
			tokenUrl: configuration.value.tokenEndpoint,
			jwksUrl: configuration.value.jwksUri,
			deploymentIds: deploymentId ? [deploymentId] : []
		},
		{ registeredBy: 'dynamic', actor },
		now
	);
	if (!added.ok) return fail('duplicate', 'This platform gave a client id that is registered already.');
	await dbRun(db.update(ltiRegistrationLink).set({ platformId: added.platform.id }).where(eq(ltiRegistrationLink.tokenHash, link.tokenHash)));
	return { ok: true, platform: added.platform };
}

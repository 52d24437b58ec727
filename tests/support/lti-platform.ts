/**
 * A stand-in LTI 1.3 platform (an LMS) on the loopback address, for the unit and end-to-end tests:
 * its own RSA keys (rotating) and JWKS, an OpenID configuration, a Dynamic Registration endpoint,
 * an OIDC authentication endpoint that answers with an auto-submitting form_post of a signed
 * id_token, and the pages a course would have (a launch link, a tool registration page). Real HTTP,
 * nothing of the app's own code.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { SCOPES, standInServices, type Member, type StandInPlatform as StandInServicesPlatform } from './lti-platform-services';

export interface PlatformUser {
	sub: string;
	name?: string;
	roles: string[];
	/** Custom parameters of the link the user opens (`scenario` names one). */
	custom?: Record<string, string>;
	/** The user opens the LMS's "add an activity": a Deep Linking request instead of a resource link. */
	deepLinking?: boolean;
}

export interface SignOptions {
	/** The header's kid; null leaves it out. Defaults to the current key's. */
	kid?: string | null;
	alg?: 'RS256' | 'HS256' | 'none';
}

export interface StandInPlatform {
	url: string;
	issuer: string;
	clientId: string;
	deploymentId: string;
	/** Client registrations the tool sent (Dynamic Registration), as received, with the Authorization header. */
	registrations: { body: Record<string, unknown>; authorization: string | null }[];
	/** Requests for the OpenID configuration, with the Authorization header each carried. */
	configurationRequests: { authorization: string | null; userAgent: string | null }[];
	/** Login hints to users. */
	users: Map<string, PlatformUser>;
	/** Changes the next id_token the authentication endpoint issues (claims and signing), once. */
	tamperNext(change: (claims: Record<string, unknown>) => { claims: Record<string, unknown>; sign?: SignOptions }): void;
	/** The last form the authentication endpoint posted to the tool (id_token and state). */
	lastPost: { id_token: string; state: string } | null;
	/** A new signing key; the old one leaves the JWKS. */
	rotateKeys(): Promise<void>;
	currentKid(): string;
	signIdToken(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
	/** A valid resource-link launch's claims for a user and nonce. */
	launchClaims(user: PlatformUser, nonce: string, toolOrigin: string): Record<string, unknown>;
	/** The services (token, AGS, NRPS) when started with `services`: launches then offer them. */
	services: StandInServicesPlatform | null;
	/** Deep Linking answers the tool posted back, each verified against the tool's JWKS. */
	deepLinkResponses: JWTPayload[];
	close(): Promise<void>;
}

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

function html(res: ServerResponse, body: string, status = 200): void {
	res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
	res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stand-in LMS</title></head><body>${body}</body></html>`);
}

function json(res: ServerResponse, body: unknown, status = 200): void {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function autoPost(action: string, fields: Record<string, string>): string {
	const inputs = Object.entries(fields)
		.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
		.join('');
	return `<form id="f" method="post" action="${escapeHtml(action)}">${inputs}<button>Continue</button></form><script>document.getElementById('f').submit()</script>`;
}

/**
 * The platform's storage (1EdTech LTI Client Side postMessages) as the course page offers it to the
 * tool's frame (lti_storage_target=_parent): lti.capabilities, lti.put_data and lti.get_data, each
 * answered to the asking window at its own origin, values kept per origin. A `forgetful` page
 * acknowledges put_data but keeps nothing, as the user's browser would for a login begun elsewhere.
 */
function storageScript(forgetful: boolean): string {
	return `(() => {
		const kept = new Map();
		addEventListener('message', (event) => {
			const data = event.data;
			if (!data || typeof data !== 'object' || typeof data.message_id !== 'string' || !event.source) return;
			const answer = (fields) => event.source.postMessage({ subject: data.subject + '.response', message_id: data.message_id, ...fields }, event.origin);
			const key = event.origin + ' ' + data.key;
			if (data.subject === 'lti.capabilities') answer({ supported_messages: [{ subject: 'lti.put_data' }, { subject: 'lti.get_data' }] });
			else if (data.subject === 'lti.put_data') { if (!${forgetful}) kept.set(key, data.value); answer({ key: data.key, value: data.value }); }
			else if (data.subject === 'lti.get_data') answer(kept.has(key) ? { key: data.key, value: kept.get(key) } : { key: data.key, error: { code: 'bad_request', message: 'No value for this key' } });
			else answer({ error: { code: 'unsupported_subject', message: 'Not supported here' } });
		});
	})();`;
}

export async function startStandInPlatform(
	options: { clientId?: string; deploymentId?: string; registrationToken?: string; services?: { toolJwksUrl: string; members?: Member[] } } = {}
): Promise<StandInPlatform> {
	let keys: { kid: string; privateKey: CryptoKey; publicJwk: JWK };
	async function newKey() {
		const pair = await generateKeyPair('RS256', { extractable: true });
		const kid = `platform-${crypto.randomUUID()}`;
		keys = { kid, privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
	}
	await newKey();
	let tamper: ((claims: Record<string, unknown>) => { claims: Record<string, unknown>; sign?: SignOptions }) | null = null;
	const server = createServer();
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const clientId = options.clientId ?? `client-${crypto.randomUUID()}`;
	const services = options.services ? standInServices({ clientId, toolJwksUrl: options.services.toolJwksUrl, members: options.services.members }, url, async () => {}) : null;
	const toolKeys = options.services ? createRemoteJWKSet(new URL(options.services.toolJwksUrl)) : null;

	const platform: StandInPlatform = {
		url,
		issuer: url,
		clientId,
		services: services?.platform ?? null,
		deepLinkResponses: [],
		deploymentId: options.deploymentId ?? 'deployment-1',
		registrations: [],
		configurationRequests: [],
		users: new Map(),
		lastPost: null,
		tamperNext(change) {
			tamper = change;
		},
		async rotateKeys() {
			await newKey();
		},
		currentKid: () => keys.kid,
		async signIdToken(claims, sign = {}) {
			const alg = sign.alg ?? 'RS256';
			const kid = sign.kid === undefined ? keys.kid : sign.kid;
			const header: Record<string, string> = { alg, typ: 'JWT' };
			if (kid !== null) header.kid = kid;
			if (alg === 'RS256') return await new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(keys.privateKey);
			const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
			if (alg === 'none') return `${encode(header)}.${encode(claims)}.`;
			return await new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(new TextEncoder().encode('a shared secret that anyone could know'));
		},
		launchClaims(user, nonce, toolOrigin) {
			const now = Math.floor(Date.now() / 1000);
			const claims: Record<string, unknown> = {
				iss: url,
				aud: platform.clientId,
				sub: user.sub,
				iat: now,
				exp: now + 300,
				nonce,
				[`${LTI}version`]: '1.3.0',
				[`${LTI}message_type`]: 'LtiResourceLinkRequest',
				[`${LTI}deployment_id`]: platform.deploymentId,
				[`${LTI}target_link_uri`]: `${toolOrigin}/lti/launch`,
				[`${LTI}roles`]: user.roles,
				[`${LTI}resource_link`]: { id: 'resource-link-1', title: 'Custodian practice' },
				[`${LTI}context`]: { id: 'course-101', title: 'Business Administration L3' },
				'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
					scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
					lineitems: `${url}/lineitems`
				}
			};
			if (user.name) claims.name = user.name;
			if (user.custom) claims[`${LTI}custom`] = user.custom;
			if (services) {
				claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] = { scope: [SCOPES.lineItem, SCOPES.score], lineitems: services.platform.lineItemsUrl };
				claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] = { context_memberships_url: services.platform.membershipsUrl, service_versions: ['2.0'] };
			}
			if (user.deepLinking) {
				claims[`${LTI}message_type`] = 'LtiDeepLinkingRequest';
				delete claims[`${LTI}resource_link`];
				claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
					deep_link_return_url: `${url}/deep-link-return`,
					accept_types: ['ltiResourceLink'],
					accept_presentation_document_targets: ['iframe', 'window'],
					title: 'Week 3 practice',
					data: 'stand-in-request-data'
				};
			}
			return claims;
		},
		close: () => {
			server.closeAllConnections();
			return new Promise<void>((done) => server.close(() => done()));
		}
	};

	server.on('request', (req, res) => {
		void (async () => {
			const here = new URL(req.url ?? '/', url);
			const path = here.pathname;
			if (services && (path === '/token' || path.startsWith('/context/'))) return await services.handle(req, res);
			if (path === '/deep-link-return' && req.method === 'POST' && toolKeys) {
				// The LMS checks the tool's signed answer as a real one does: the tool's keys, iss = client id, aud = the LMS.
				const jwt = new URLSearchParams(await readBody(req)).get('JWT') ?? '';
				try {
					const { payload } = await jwtVerify(jwt, toolKeys, { issuer: platform.clientId, audience: url, algorithms: ['RS256'] });
					platform.deepLinkResponses.push(payload);
				} catch (error) {
					return html(res, `<h1>Deep Linking answer refused</h1><p>${escapeHtml(String(error))}</p>`, 400);
				}
				return html(res, '<h1>Activity added to the course</h1>');
			}
			if (path === '/jwks') return json(res, { keys: [keys.publicJwk] });
			if (path === '/.well-known/openid-configuration') {
				platform.configurationRequests.push({ authorization: req.headers.authorization ?? null, userAgent: req.headers['user-agent'] ?? null });
				if (options.registrationToken && req.headers.authorization !== `Bearer ${options.registrationToken}`) return json(res, { error: 'unauthorized' }, 401);
				return json(res, {
					issuer: url,
					authorization_endpoint: `${url}/auth`,
					token_endpoint: `${url}/token`,
					jwks_uri: `${url}/jwks`,
					registration_endpoint: `${url}/register`,
					scopes_supported: ['openid'],
					response_types_supported: ['id_token'],
					id_token_signing_alg_values_supported: ['RS256'],
					'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'stand-in', version: '1.0', messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }] }
				});
			}
			if (path === '/register' && req.method === 'POST') {
				const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
				platform.registrations.push({ body, authorization: req.headers.authorization ?? null });
				if (options.registrationToken && req.headers.authorization !== `Bearer ${options.registrationToken}`) return json(res, { error: 'unauthorized' }, 401);
				return json(res, { ...body, client_id: platform.clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { ...(body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as object), deployment_id: platform.deploymentId } });
			}
			if (path === '/auth') {
				const q = here.searchParams;
				const problems: string[] = [];
				if (q.get('scope') !== 'openid') problems.push('scope');
				if (q.get('response_type') !== 'id_token') problems.push('response_type');
				if (q.get('response_mode') !== 'form_post') problems.push('response_mode');
				if (q.get('prompt') !== 'none') problems.push('prompt');
				if (q.get('client_id') !== platform.clientId) problems.push('client_id');
				const user = platform.users.get(q.get('login_hint') ?? '');
				if (!user) problems.push('login_hint');
				const redirectUri = q.get('redirect_uri') ?? '';
				if (!redirectUri.endsWith('/lti/launch')) problems.push('redirect_uri');
				if (!q.get('state') || !q.get('nonce')) problems.push('state/nonce');
				if (problems.length > 0) return html(res, `<h1>Authentication request refused</h1><p>${escapeHtml(problems.join(', '))}</p>`, 400);
				let claims = platform.launchClaims(user!, q.get('nonce')!, new URL(redirectUri).origin);
				let sign: SignOptions | undefined;
				if (tamper) {
					({ claims, sign } = tamper(claims));
					tamper = null;
				}
				const idToken = await platform.signIdToken(claims, sign);
				platform.lastPost = { id_token: idToken, state: q.get('state')! };
				return html(res, autoPost(redirectUri, platform.lastPost));
			}
			if (path === '/replay') {
				// An attacker's replay of the last id_token and state the platform posted.
				if (!platform.lastPost) return html(res, '<h1>Nothing to replay</h1>', 404);
				return html(res, autoPost(`${here.searchParams.get('tool') ?? ''}/lti/launch`, platform.lastPost));
			}
			if (path === '/course') {
				// A course page's link to the tool: third-party initiated login, posted cross-site.
				const tool = here.searchParams.get('tool') ?? '';
				const fields: Record<string, string> = {
					iss: url,
					login_hint: here.searchParams.get('user') ?? '',
					target_link_uri: `${tool}/lti/launch`,
					client_id: platform.clientId,
					lti_deployment_id: here.searchParams.get('deployment') ?? platform.deploymentId,
					lti_message_hint: 'resource-link-1'
				};
				const storage = here.searchParams.get('storage');
				if (storage) fields.lti_storage_target = '_parent';
				if (here.searchParams.get('frame') === '1') {
					const inner = new URLSearchParams({ tool, user: fields.login_hint! });
					if (storage) inner.set('storage', storage);
					const script = storage ? `<script>${storageScript(storage === 'forgetful')}</script>` : '';
					return html(res, `<h1>Course</h1>${script}<iframe title="Custodian" name="tool" src="${escapeHtml(`${url}/course?${inner}`)}" width="900" height="600"></iframe>`);
				}
				return html(res, autoPost(`${tool}/lti/login`, fields));
			}
			if (path === '/register-tool') {
				// The LMS's "register a tool" page: our registration URL in a frame, closed by postMessage.
				const tool = here.searchParams.get('url') ?? '';
				const target = new URL(tool);
				target.searchParams.set('openid_configuration', `${url}/.well-known/openid-configuration`);
				if (options.registrationToken) target.searchParams.set('registration_token', options.registrationToken);
				return html(
					res,
					`<h1>Register a tool</h1><p id="status">Registering…</p><iframe title="Tool registration" src="${escapeHtml(target.href)}" width="900" height="500"></iframe>` +
						`<script>addEventListener('message', (e) => { if (e.data && e.data.subject === 'org.imsglobal.lti.close') document.getElementById('status').textContent = 'Tool registration closed'; });</script>`
				);
			}
			return html(res, '<h1>Not found</h1>', 404);
		})().catch((error: unknown) => {
			res.writeHead(500);
			res.end(String(error));
		});
	});
	return platform;
}

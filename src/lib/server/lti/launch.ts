/**
 * The launch (LTI 1.3 Core §5.1.1.3, IMS Security Framework §5.1.3): the platform posts an id_token
 * and the state we gave at login. Each check the certification suite probes is made here, in this
 * order, and each failure is a typed result naming what was wrong:
 *
 * 1. the state is ours, unexpired and not used (it is consumed now, whatever follows: a replay fails);
 * 2. the token is a JWS with alg RS256 (never none or HS256) and a kid;
 * 3. its signature verifies against the platform's JWKS (refetched for an unknown kid), with the
 *    issuer pinned, the audience our client id (azp too when aud is a list), exp and iat checked;
 * 4. the nonce is the one we gave with that state;
 * 5. the LTI claims: version 1.3.0, a known message type, a registered deployment id, roles, sub, a
 *    resource link id for a resource link, a return URL for deep linking.
 */
import { eq } from 'drizzle-orm';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { ltiLoginState, LTI_MESSAGE_TYPES, type LtiMessageType } from '$lib/server/db/lti';
import { platformById, type LtiPlatformRecord } from './platforms';
import { platformKeyResolver, PlatformKeysUnavailable } from './platform-keys';
import { noteStorageOffered, type LaunchBinding } from './storage';
import { secretHash } from './tokens';

export const CLAIM = {
	version: 'https://purl.imsglobal.org/spec/lti/claim/version',
	messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
	deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
	roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
	resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
	context: 'https://purl.imsglobal.org/spec/lti/claim/context',
	targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
	custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
	ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
	nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
	deepLinking: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'
} as const;

/** The largest id_token we read: real ones are a few kilobytes. */
export const MAX_ID_TOKEN_LENGTH = 32 * 1024;
/** Clock difference allowed between the platform and us. */
const CLOCK_TOLERANCE_S = 60;

export type LaunchRefusalCode =
	| 'missing-token'
	| 'state'
	| 'state-cookie'
	| 'state-unproven'
	| 'not-jwt'
	| 'alg'
	| 'kid-missing'
	| 'kid-unknown'
	| 'platform'
	| 'keys-unavailable'
	| 'signature'
	| 'expired'
	| 'iat'
	| 'iss'
	| 'aud'
	| 'azp'
	| 'nonce'
	| 'version'
	| 'message-type'
	| 'deployment'
	| 'roles'
	| 'sub'
	| 'resource-link'
	| 'deep-linking';

export interface LaunchRefusal {
	code: LaunchRefusalCode;
	message: string;
	platformId?: string;
}

/** What a verified launch tells us, the claims the services need kept as sent. */
export interface VerifiedLaunch {
	platform: LtiPlatformRecord;
	sub: string;
	deploymentId: string;
	messageType: LtiMessageType;
	roles: string[];
	resourceLinkId: string | null;
	contextId: string | null;
	/** The course's title (or label) as the platform sent it, if it did. */
	contextTitle: string | null;
	name: string | null;
	targetLinkUri: string | null;
	custom: Record<string, string>;
	agsClaim: Record<string, unknown> | null;
	nrpsClaim: Record<string, unknown> | null;
	deepLinkingClaim: Record<string, unknown> | null;
	/** How the launch is tied to the browser that began its login (storage.ts). */
	binding: LaunchBinding;
}

export type LaunchVerification = { ok: true; launch: VerifiedLaunch } | { ok: false; error: LaunchRefusal };

const MESSAGES: Record<LaunchRefusalCode, string> = {
	'missing-token': 'The platform did not send an id_token and state. Start again from your course page.',
	state: 'This launch has expired or was already used (each launch works once, within 10 minutes). Start again from your course page.',
	'state-cookie': 'This launch was started in another browser window or session. Start again from your course page.',
	'state-unproven':
		'Your browser did not keep this launch’s check: it blocks Custodian’s cookies here, and the launch did not use your LMS’s storage. Start again from your course page; if it keeps happening, open the activity in a new window or allow cookies for Custodian.',
	'not-jwt': 'The platform’s id_token is not a signed JWT.',
	alg: 'The platform’s id_token is not signed with RS256, the only algorithm LTI 1.3 allows.',
	'kid-missing': 'The platform’s id_token does not name its signing key (no kid in its header).',
	'kid-unknown': 'The platform’s id_token names a signing key (kid) that is not in the platform’s public keyset.',
	platform: 'The platform of this launch is not enabled in Custodian. Ask the centre’s administrator.',
	'keys-unavailable': 'The platform’s public keys could not be read, so the launch could not be checked. Try again shortly.',
	signature: 'The platform’s id_token signature does not verify.',
	expired: 'The platform’s id_token has expired. Start again from your course page.',
	iat: 'The platform’s id_token has no usable issue time (iat), or one in the future or too far in the past.',
	iss: 'The platform’s id_token comes from another issuer than the registered platform.',
	aud: 'The platform’s id_token is not addressed to this tool (its audience is not our client id).',
	azp: 'The platform’s id_token names another authorised party (azp) than this tool.',
	nonce: 'The platform’s id_token does not carry the nonce of this launch.',
	version: 'The launch is not an LTI 1.3.0 launch (the version claim is missing or another version).',
	'message-type': 'The launch has no message type Custodian handles (LtiResourceLinkRequest or LtiDeepLinkingRequest).',
	deployment: 'The launch comes from a deployment of the tool that is not registered in Custodian. Ask the centre’s administrator to add its deployment id.',
	roles: 'The launch does not carry the roles claim.',
	sub: 'The launch does not say who the user is (no sub claim).',
	'resource-link': 'The launch does not carry a resource link id.',
	'deep-linking': 'The deep-linking launch has no return address (deep_link_return_url).'
};

function refuse(code: LaunchRefusalCode, platformId?: string, message = MESSAGES[code]): LaunchVerification {
	return { ok: false, error: { code, message, platformId } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function boundedString(value: unknown, max = 255): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** Consumes a login state: the row goes whether or not what follows succeeds, so a state works once. */
async function consumeState(db: Db, state: string, now: Date) {
	const stateHash = secretHash(state);
	return await writeTransaction(db, async () => {
		const row = await dbGet(db.select().from(ltiLoginState).where(eq(ltiLoginState.stateHash, stateHash)));
		if (!row) return null;
		const removed = await dbRun(db.delete(ltiLoginState).where(eq(ltiLoginState.stateHash, stateHash)));
		if (removed.changes !== 1) return null;
		return row.expiresAt > now.toISOString() ? row : null;
	});
}

function verificationFailure(cause: unknown, platformId: string): LaunchVerification {
	if (cause instanceof PlatformKeysUnavailable) return refuse('keys-unavailable', platformId, cause.message);
	if (cause instanceof joseErrors.JWKSNoMatchingKey || cause instanceof joseErrors.JWKSMultipleMatchingKeys) return refuse('kid-unknown', platformId);
	if (cause instanceof joseErrors.JWTExpired) return refuse('expired', platformId);
	if (cause instanceof joseErrors.JWTClaimValidationFailed) {
		if (cause.claim === 'iss') return refuse('iss', platformId);
		if (cause.claim === 'aud') return refuse('aud', platformId);
		if (cause.claim === 'iat' || cause.claim === 'exp' || cause.claim === 'nbf') return refuse(cause.claim === 'iat' ? 'iat' : 'expired', platformId);
		return refuse('not-jwt', platformId);
	}
	if (cause instanceof joseErrors.JWSSignatureVerificationFailed) return refuse('signature', platformId);
	if (cause instanceof joseErrors.JOSEAlgNotAllowed) return refuse('alg', platformId);
	if (cause instanceof joseErrors.JWTInvalid || cause instanceof joseErrors.JWSInvalid || cause instanceof joseErrors.JOSENotSupported) return refuse('not-jwt', platformId);
	throw cause;
}

export interface LaunchInput {
	idToken: string | null;
	state: string | null;
	/** The state cookie set at login, when the browser sent it back (third-party cookies may be blocked). */
	stateCookie: string | null;
}

export async function verifyLaunch(db: Db, input: LaunchInput, now = new Date()): Promise<LaunchVerification> {
	const { idToken, state } = input;
	if (!idToken || !state || idToken.length > MAX_ID_TOKEN_LENGTH || state.length > 100) return refuse('missing-token');
	const login = await consumeState(db, state, now);
	if (!login) return refuse('state');
	// The server-side state is the check; the cookie, where the browser kept it, ties the launch to this browser too.
	if (input.stateCookie !== null && input.stateCookie !== state) return refuse('state-cookie', login.platformId);
	let header;
	try {
		header = decodeProtectedHeader(idToken);
	} catch {
		return refuse('not-jwt', login.platformId);
	}
	if (idToken.split('.').length !== 3) return refuse('not-jwt', login.platformId);
	if (header.alg !== 'RS256') return refuse('alg', login.platformId);
	if (typeof header.kid !== 'string' || header.kid.length === 0) return refuse('kid-missing', login.platformId);
	const platform = await platformById(db, login.platformId);
	if (!platform || platform.status !== 'enabled') return refuse('platform', login.platformId);

	let payload: JWTPayload;
	try {
		({ payload } = await jwtVerify(idToken, platformKeyResolver(platform.jwksUrl, now.getTime()), {
			algorithms: ['RS256'],
			issuer: platform.issuer,
			audience: platform.clientId,
			requiredClaims: ['iat', 'exp'],
			maxTokenAge: '1 hour',
			clockTolerance: CLOCK_TOLERANCE_S,
			currentDate: now
		}));
	} catch (cause) {
		return verificationFailure(cause, platform.id);
	}
	// OpenID Connect Core §3.1.3.7: with several audiences, azp must be us; when present, always us.
	if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp === undefined) return refuse('azp', platform.id);
	if (payload.azp !== undefined && payload.azp !== platform.clientId) return refuse('azp', platform.id);
	if (typeof payload.nonce !== 'string' || secretHash(payload.nonce) !== login.nonceHash) return refuse('nonce', platform.id);
	if (payload[CLAIM.version] !== '1.3.0') return refuse('version', platform.id);
	const messageType = payload[CLAIM.messageType];
	if (typeof messageType !== 'string' || !(LTI_MESSAGE_TYPES as readonly string[]).includes(messageType)) return refuse('message-type', platform.id);
	const deploymentId = payload[CLAIM.deploymentId];
	if (!boundedString(deploymentId) || !platform.deploymentIds.includes(deploymentId)) return refuse('deployment', platform.id);
	const roles = payload[CLAIM.roles];
	if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return refuse('roles', platform.id);
	if (!boundedString(payload.sub)) return refuse('sub', platform.id);
	const resourceLink = payload[CLAIM.resourceLink];
	const resourceLinkId = isRecord(resourceLink) && boundedString(resourceLink.id) ? resourceLink.id : null;
	if (messageType === 'LtiResourceLinkRequest' && resourceLinkId === null) return refuse('resource-link', platform.id);
	const deepLinking = payload[CLAIM.deepLinking];
	if (messageType === 'LtiDeepLinkingRequest' && !(isRecord(deepLinking) && boundedString(deepLinking.deep_link_return_url, 2000))) return refuse('deep-linking', platform.id);
	// Which way the launch is tied to this browser (storage.ts): the cookie, else the platform's storage.
	let binding: LaunchBinding;
	if (input.stateCookie === state) binding = { kind: 'cookie' };
	else if (login.storageTarget !== null) binding = { kind: 'storage', target: login.storageTarget, origin: new URL(platform.authLoginUrl).origin, stateHash: login.stateHash };
	else if (platform.storageSeenAt !== null) return refuse('state-unproven', platform.id);
	else binding = { kind: 'state-only' };
	// Noted from a launch the platform signed, not from a login anyone can start.
	if (login.storageTarget !== null) await noteStorageOffered(db, platform.id, now);
	const context = payload[CLAIM.context];
	const custom = payload[CLAIM.custom];
	const target = payload[CLAIM.targetLinkUri];
	return {
		ok: true,
		launch: {
			platform,
			sub: payload.sub,
			deploymentId,
			messageType: messageType as LtiMessageType,
			roles: (roles as string[]).slice(0, 100).map((role) => role.slice(0, 255)),
			resourceLinkId,
			contextId: isRecord(context) && boundedString(context.id) ? context.id : null,
			contextTitle: isRecord(context) ? [context.title, context.label].find((t): t is string => boundedString(t, 200)) ?? null : null,
			name: displayName(payload),
			targetLinkUri: typeof target === 'string' ? target : login.targetLinkUri,
			custom: isRecord(custom) ? Object.fromEntries(Object.entries(custom).filter((e): e is [string, string] => typeof e[1] === 'string').slice(0, 50)) : {},
			agsClaim: isRecord(payload[CLAIM.ags]) ? (payload[CLAIM.ags] as Record<string, unknown>) : null,
			nrpsClaim: isRecord(payload[CLAIM.nrps]) ? (payload[CLAIM.nrps] as Record<string, unknown>) : null,
			deepLinkingClaim: isRecord(deepLinking) ? deepLinking : null,
			binding
		}
	};
}

/** The user's name as the platform sent it, if it did (personal data is optional in LTI). */
function displayName(payload: JWTPayload): string | null {
	const name = typeof payload.name === 'string' ? payload.name.trim() : '';
	if (name) return name.slice(0, 100);
	const parts = [payload.given_name, payload.family_name].filter((p): p is string => typeof p === 'string' && p.trim().length > 0);
	return parts.length > 0 ? parts.join(' ').trim().slice(0, 100) : null;
}

/**
 * What the LTI services (token, AGS, NRPS, Deep Linking response) need from the rest of the LTI
 * tool, declared here as structural types so this folder stands on its own: the registration and
 * launch side (server/lti/keys.ts, platforms.ts) provides values of these shapes.
 */
import type { Db } from '$lib/core/database';

/** The tool's current RS256 signing key (the launch side's toolSigningKey(db)). */
export interface ToolSigner {
	kid: string;
	privateKey: CryptoKey;
}

/** A registered platform, as far as the services need it. */
export interface LtiPlatform {
	id: string;
	issuer: string;
	clientId: string;
	tokenUrl: string;
	/** The audience the platform declared for client assertions, when it is not the token URL. */
	tokenAudience?: string;
}

/** The AGS claim of a launch (`https://purl.imsglobal.org/spec/lti-ags/claim/endpoint`). */
export interface AgsClaim {
	scope: string[];
	lineitems?: string;
	lineitem?: string;
}

/** The NRPS claim of a launch (`https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice`). */
export interface NrpsClaim {
	context_memberships_url: string;
	service_versions: string[];
}

/** The Deep Linking settings claim (`https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings`). */
export interface DeepLinkingSettings {
	deep_link_return_url: string;
	accept_types: string[];
	accept_presentation_document_targets?: string[];
	accept_multiple?: boolean;
	auto_create?: boolean;
	title?: string;
	text?: string;
	data?: string;
}

export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
export const DEEP_LINKING_SETTINGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
export const DEPLOYMENT_ID_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/deployment_id';
export const RESOURCE_LINK_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/resource_link';
export const CONTEXT_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/context';

/** What the launch keeps of a verified id_token for an attempt started from it. */
export interface LaunchForAttempt {
	platformId: string;
	/** The platform's `sub` for the learner. */
	sub: string;
	/** The resource link the learner came from (`…/claim/resource_link` id). */
	resourceLinkId: string;
	/** The AGS claim, when the platform offered grade return for this link. */
	ags?: AgsClaim;
}

/** What a platform tells of a person (NRPS member or launch claims); none of it is required. */
export interface LtiProfile {
	name?: string;
	email?: string;
	givenName?: string;
	familyName?: string;
}

/** What the services need at run time from the registration side. */
export interface LtiServiceDeps {
	signer: (db: Db) => Promise<ToolSigner>;
	platform: (db: Db, platformId: string) => Promise<LtiPlatform | undefined>;
	/** Outbound-call options (tests shorten the timeout). */
	http?: Partial<OutboundOptions>;
}

export interface OutboundOptions {
	timeoutMs: number;
	maxResponseBytes: number;
}

/** A failed service call, typed so callers can tell a retry from a permanent refusal. */
export interface LtiServiceError {
	code:
		| 'lti.unreachable'
		| 'lti.timeout'
		| 'lti.too-large'
		| 'lti.bad-response'
		| 'lti.token-refused'
		| 'lti.scope-not-granted'
		| 'lti.refused'
		| 'lti.server-error'
		| 'lti.not-offered'
		| 'lti.platform-unknown'
		| 'lti.key-unreadable';
	message: string;
	/** The HTTP status, when the platform answered. */
	status?: number;
	/** Whether trying again later may succeed (network, timeouts, 5xx, 429). */
	retryable: boolean;
}

export type LtiResult<T> = { ok: true; value: T } | { ok: false; error: LtiServiceError };

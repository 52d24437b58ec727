/**
 * LTI 1.3 (issue 20 item 1): our tool's signing keys, the platforms (LMSs) registered with us, the
 * one-time links an administrator makes for Dynamic Registration, the login states of launches under
 * way, the accounts linked to a platform's `sub`, the launches themselves, and the one-time codes
 * that finish a launch in a new window.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisation, user } from './schema';

/**
 * Our RSA signing keys (RS256), as JWKs. The private half never leaves the server: only the public
 * JWK is published (/lti/jwks). The newest key not retired signs; a retired key stays published
 * until its grace period ends, so a platform's cached JWKS still verifies what it signed.
 */
export const ltiToolKey = sqliteTable('lti_tool_key', {
	kid: text('kid').primaryKey(),
	publicJwk: text('public_jwk', { mode: 'json' }).$type<Record<string, string>>().notNull(),
	/** The private JWK's JSON, encrypted under SECRETS_KEY when it is set (security/secrets.ts). */
	privateJwk: text('private_jwk').notNull(),
	createdAt: text('created_at').notNull(),
	/** When a newer key replaced it; null for the key in use. */
	retiredAt: text('retired_at')
});
export type LtiToolKeyRow = typeof ltiToolKey.$inferSelect;

export const LTI_PLATFORM_STATUSES = ['pending', 'enabled', 'disabled'] as const;
export type LtiPlatformStatus = (typeof LTI_PLATFORM_STATUSES)[number];

/** A platform (an LMS) and our client registration with it. One issuer may hold several clients. */
export const ltiPlatform = sqliteTable(
	'lti_platform',
	{
		id: text('id').primaryKey(),
		organisationId: text('organisation_id')
			.notNull()
			.references(() => organisation.id),
		name: text('name').notNull(),
		issuer: text('issuer').notNull(),
		clientId: text('client_id').notNull(),
		authLoginUrl: text('auth_login_url').notNull(),
		tokenUrl: text('token_url').notNull(),
		jwksUrl: text('jwks_url').notNull(),
		/** The deployment ids launches may carry, as a JSON array of strings. */
		deploymentIds: text('deployment_ids', { mode: 'json' }).$type<string[]>().notNull(),
		/** A platform registered by Dynamic Registration starts pending until an administrator enables it. */
		status: text('status', { enum: LTI_PLATFORM_STATUSES }).notNull(),
		registeredBy: text('registered_by', { enum: ['manual', 'dynamic'] }).notNull(),
		/**
		 * When the platform first offered its storage (the LTI client-side postMessage API, a login
		 * carrying lti_storage_target). From then on a launch whose state cookie the browser dropped must
		 * prove its state from that storage (server/lti/storage.ts): it never falls back to trusting the
		 * state alone, which would let a forged login through.
		 */
		storageSeenAt: text('storage_seen_at'),
		createdAt: text('created_at').notNull(),
		updatedAt: text('updated_at').notNull()
	},
	(t) => [uniqueIndex('lti_platform_issuer_client_idx').on(t.issuer, t.clientId)]
);
export type LtiPlatformRow = typeof ltiPlatform.$inferSelect;

/**
 * A one-time Dynamic Registration link an administrator made: the LMS opens it (often in a frame,
 * where our session cookie is not sent), so the link itself is the credential. Only its SHA-256 is kept.
 */
export const ltiRegistrationLink = sqliteTable('lti_registration_link', {
	tokenHash: text('token_hash').primaryKey(),
	organisationId: text('organisation_id')
		.notNull()
		.references(() => organisation.id),
	createdBy: text('created_by').notNull(),
	createdAt: text('created_at').notNull(),
	expiresAt: text('expires_at').notNull(),
	/** Set when a registration went through with it; the link then works no more. */
	usedAt: text('used_at'),
	platformId: text('platform_id')
});

/**
 * A login under way (OIDC third-party initiated login): the state and nonce we sent to the platform,
 * both from the CSPRNG, kept as SHA-256; single-use (consumed by the launch) and short-lived.
 */
export const ltiLoginState = sqliteTable(
	'lti_login_state',
	{
		stateHash: text('state_hash').primaryKey(),
		nonceHash: text('nonce_hash').notNull(),
		platformId: text('platform_id')
			.notNull()
			.references(() => ltiPlatform.id, { onDelete: 'cascade' }),
		targetLinkUri: text('target_link_uri'),
		/** The platform's storage frame the state was put in (lti_storage_target), when it offered one. */
		storageTarget: text('storage_target'),
		createdAt: text('created_at').notNull(),
		expiresAt: text('expires_at').notNull()
	},
	(t) => [index('lti_login_state_expires_idx').on(t.expiresAt)]
);

/** Our account for a platform's user: linked by (platform, sub) only, never by e-mail. */
export const ltiAccount = sqliteTable(
	'lti_account',
	{
		platformId: text('platform_id')
			.notNull()
			.references(() => ltiPlatform.id, { onDelete: 'cascade' }),
		sub: text('sub').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: text('created_at').notNull(),
		lastLaunchAt: text('last_launch_at').notNull()
	},
	(t) => [primaryKey({ columns: [t.platformId, t.sub] }), index('lti_account_user_idx').on(t.userId)]
);

export const LTI_MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
export type LtiMessageType = (typeof LTI_MESSAGE_TYPES)[number];

/**
 * A verified launch, with the claims the LTI Advantage services need later (server/lti/services):
 * the Assignment and Grade Services endpoint, Names and Role Provisioning, the Deep Linking settings.
 */
export const ltiLaunch = sqliteTable(
	'lti_launch',
	{
		id: text('id').primaryKey(),
		platformId: text('platform_id')
			.notNull()
			.references(() => ltiPlatform.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		sub: text('sub').notNull(),
		deploymentId: text('deployment_id').notNull(),
		messageType: text('message_type', { enum: LTI_MESSAGE_TYPES }).notNull(),
		resourceLinkId: text('resource_link_id'),
		contextId: text('context_id'),
		/** The LMS roles as sent (full or short names), JSON array. */
		roles: text('roles', { mode: 'json' }).$type<string[]>().notNull(),
		/** https://purl.imsglobal.org/spec/lti-ags/claim/endpoint, as sent. */
		agsClaim: text('ags_claim', { mode: 'json' }).$type<Record<string, unknown>>(),
		/** https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice, as sent. */
		nrpsClaim: text('nrps_claim', { mode: 'json' }).$type<Record<string, unknown>>(),
		/** https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings, as sent. */
		deepLinkingClaim: text('deep_linking_claim', { mode: 'json' }).$type<Record<string, unknown>>(),
		/** Where the launch took the user in our app (a path under ORIGIN). */
		landingPath: text('landing_path').notNull(),
		/**
		 * The id of our session the launch started (auth/session.ts), once it has one: an attempt the
		 * learner starts in that session on the launch's scenario is linked to it for grade return.
		 */
		sessionId: text('session_id'),
		createdAt: text('created_at').notNull()
	},
	(t) => [index('lti_launch_user_idx').on(t.userId, t.createdAt), index('lti_launch_platform_idx').on(t.platformId), index('lti_launch_session_idx').on(t.sessionId)]
);
export type LtiLaunchRow = typeof ltiLaunch.$inferSelect;

/**
 * A launch that arrived in a frame, where our session cookie cannot be set: the user opens a new
 * window, which redeems this one-time code (its SHA-256 kept) for a session. Short-lived.
 */
export const ltiHandoff = sqliteTable('lti_handoff', {
	codeHash: text('code_hash').primaryKey(),
	launchId: text('launch_id')
		.notNull()
		.references(() => ltiLaunch.id, { onDelete: 'cascade' }),
	/**
	 * The launch's state, hashed, when the browser must still prove it holds it (read back from the
	 * platform's storage) before the hand-off finishes: the state cookie was dropped.
	 */
	stateHash: text('state_hash'),
	expiresAt: text('expires_at').notNull()
});

/**
 * OIDC third-party initiated login (LTI 1.3 Core §5.1.1, IMS Security Framework §5.1.1): the platform
 * sends us its issuer, client id and hints; we answer with a redirect to its authentication endpoint
 * carrying a fresh state and nonce. Both are 256 bits from the CSPRNG, kept server-side (hashed),
 * single-use and valid for LOGIN_STATE_MS; the launch consumes them.
 */
import { and, asc, count, eq, inArray, lt } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, type Db } from '$lib/core/database';
import { ltiLoginState } from '$lib/server/db/lti';
import { enabledPlatformsOf, type LtiPlatformRecord } from './platforms';
import { usableStorageTarget } from './storage';
import { newSecret, secretHash } from './tokens';

export const LOGIN_STATE_MS = 10 * 60 * 1000;
/**
 * Logins in progress kept per platform. Anyone who knows a platform's (public) issuer and client id
 * can start logins; past this many the oldest is dropped, so the table stays bounded whatever the
 * rate, and a real user's login, a second or two old, survives all but a flood of this many a second.
 */
export const MAX_PENDING_LOGINS = 2_000;

export interface LoginParameters {
	iss: string | null;
	loginHint: string | null;
	targetLinkUri: string | null;
	ltiMessageHint: string | null;
	clientId: string | null;
	deploymentId: string | null;
	/** The platform's storage frame (lti_storage_target), when it offers the client-side postMessage API. */
	storageTarget?: string | null;
}

export type LoginResult =
	| { ok: true; redirectTo: string; state: string; platform: LtiPlatformRecord; storage: { target: string; origin: string } | null }
	| { ok: false; error: { code: string; message: string }; platformId?: string };

/** A hint is opaque to us but goes back into a URL: bounded, printable. */
function usableHint(value: string | null): boolean {
	return value !== null && value.length > 0 && value.length <= 2048 && !/[\u0000-\u001f]/.test(value);
}

/** The target a launch asked for must be one of our own addresses (no open redirect through the platform). */
export function ownTarget(value: string | null, origin: string): string | null {
	if (!value) return null;
	try {
		const url = new URL(value);
		return url.origin === origin ? url.href : null;
	} catch {
		return null;
	}
}

export async function initiateLogin(db: Db, params: LoginParameters, origin: string, now = new Date(), maxPending = MAX_PENDING_LOGINS): Promise<LoginResult> {
	const refuse = (code: string, message: string, platformId?: string): LoginResult => ({ ok: false, error: { code, message }, platformId });
	if (!params.iss) return refuse('iss', 'The platform did not say who it is (iss is missing from the login request).');
	if (!usableHint(params.loginHint)) return refuse('login-hint', 'The platform did not send a usable login_hint.');
	if (params.ltiMessageHint !== null && !usableHint(params.ltiMessageHint)) return refuse('message-hint', 'The platform’s lti_message_hint is too long or holds control characters.');
	const candidates = (await enabledPlatformsOf(db, params.iss)).filter((p) => params.clientId === null || p.clientId === params.clientId);
	if (candidates.length === 0) {
		return refuse('platform', 'This platform (its issuer and client id) is not registered and enabled in Custodian. Ask the centre’s administrator to register it (Admin → LTI).');
	}
	// Without client_id the issuer must name one registration only: never guess between two.
	if (candidates.length > 1) return refuse('client-id', 'This platform has more than one registration here and did not say which (client_id is missing).');
	const platform = candidates[0]!;
	if (params.deploymentId !== null && !platform.deploymentIds.includes(params.deploymentId)) {
		return refuse('deployment', 'This deployment of the tool is not registered in Custodian. Ask the centre’s administrator to add its deployment id.', platform.id);
	}
	const target = params.targetLinkUri === null ? null : ownTarget(params.targetLinkUri, origin);
	if (params.targetLinkUri !== null && target === null) return refuse('target', 'The platform asked to launch an address that is not Custodian’s.', platform.id);
	const storageTarget = usableStorageTarget(params.storageTarget ?? null);
	if ((params.storageTarget ?? null) !== null && storageTarget === null) return refuse('storage-target', 'The platform’s lti_storage_target is not a frame name Custodian can address.', platform.id);
	const state = newSecret();
	const nonce = newSecret();
	// Old states go as new ones come: the table holds only logins of the last few minutes.
	await dbRun(db.delete(ltiLoginState).where(lt(ltiLoginState.expiresAt, now.toISOString())));
	await dbRun(db.insert(ltiLoginState).values({
		stateHash: secretHash(state),
		nonceHash: secretHash(nonce),
		platformId: platform.id,
		targetLinkUri: target,
		storageTarget,
		createdAt: now.toISOString(),
		expiresAt: new Date(now.getTime() + LOGIN_STATE_MS).toISOString()
	}));
	const pending = Number((await dbGet(db.select({ n: count() }).from(ltiLoginState).where(eq(ltiLoginState.platformId, platform.id))))?.n ?? 0);
	if (pending > maxPending) {
		const oldest = await dbAll(db
			.select({ stateHash: ltiLoginState.stateHash })
			.from(ltiLoginState)
			.where(eq(ltiLoginState.platformId, platform.id))
			.orderBy(asc(ltiLoginState.createdAt))
			.limit(pending - maxPending));
		await dbRun(db.delete(ltiLoginState).where(and(eq(ltiLoginState.platformId, platform.id), inArray(ltiLoginState.stateHash, oldest.map((o) => o.stateHash)))));
	}
	const redirect = new URL(platform.authLoginUrl);
	const query: Record<string, string> = {
		scope: 'openid',
		response_type: 'id_token',
		response_mode: 'form_post',
		prompt: 'none',
		client_id: platform.clientId,
		redirect_uri: `${origin}/lti/launch`,
		login_hint: params.loginHint!,
		state,
		nonce
	};
	if (params.ltiMessageHint !== null) query.lti_message_hint = params.ltiMessageHint;
	for (const [key, value] of Object.entries(query)) redirect.searchParams.set(key, value);
	return { ok: true, redirectTo: redirect.href, state, platform, storage: storageTarget === null ? null : { target: storageTarget, origin: redirect.origin } };
}

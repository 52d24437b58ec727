import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optional, readForm } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { initiateLogin, type LoginParameters } from '$lib/server/lti/login';
import { recordLtiRefusal } from '$lib/server/lti/refusals';
import { setStateCookie } from '$lib/server/lti/state-cookie';
import { platformOrigins } from '$lib/server/lti/platforms';
import { STATE_KEY_PREFIX } from '$lib/server/lti/storage';
import { requestContext } from '$lib/server/security/events';

/**
 * OIDC third-party initiated login, by GET or by a form the platform posts from its own site (public;
 * the cross-site post is let through for this route only: hooks/cross-site.ts).
 */
/** What the page needs to put the state into the platform's storage before going on (server/lti/storage.ts). */
export interface StoragePut {
	target: string;
	origin: string;
	key: string;
	state: string;
	next: string;
}

async function start(event: RequestEvent, read: (name: string) => string | null, cookies: Cookies): Promise<{ storage: StoragePut }> {
	const params: LoginParameters = {
		iss: read('iss'),
		loginHint: read('login_hint'),
		targetLinkUri: read('target_link_uri'),
		ltiMessageHint: read('lti_message_hint'),
		clientId: read('client_id'),
		deploymentId: read('lti_deployment_id'),
		storageTarget: read('lti_storage_target')
	};
	const db = getDb();
	const started = await initiateLogin(db, params, event.url.origin);
	if (!started.ok) {
		await recordLtiRefusal(db, requestContext(event), 'login', started.error.code, started.platformId ?? null);
		error(400, { message: `The launch from your LMS was refused: ${started.error.message}` });
	}
	setStateCookie(cookies, started.state);
	if (!started.storage) redirect(303, started.redirectTo);
	// The platform offers its storage: the page puts the state there, then goes on to the platform.
	event.locals.frameAncestors = platformOrigins(started.platform);
	return { storage: { ...started.storage, key: `${STATE_KEY_PREFIX}${started.state}`, state: started.state, next: started.redirectTo } };
}

const LIMIT = 4096;

export const load = (async (event) => {
	// Opened by hand, with nothing a platform sends: the page says what this address is for.
	if (event.url.searchParams.size === 0) return { storage: null };
	return await start(event, (name) => event.url.searchParams.get(name)?.slice(0, LIMIT + 1) ?? null, event.cookies);
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(400, { message: 'The launch from your LMS was refused: its login request could not be read.' });
		return await start(event, (name) => optional(form, name, { max: LIMIT + 1 }), event.cookies);
	}
} satisfies Actions;

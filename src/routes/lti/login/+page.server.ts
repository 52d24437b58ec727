import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optional, readForm } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { initiateLogin, type LoginParameters } from '$lib/server/lti/login';
import { recordLtiRefusal } from '$lib/server/lti/refusals';
import { setStateCookie } from '$lib/server/lti/state-cookie';
import { requestContext } from '$lib/server/security/events';

/**
 * OIDC third-party initiated login, by GET or by a form the platform posts from its own site (public;
 * the cross-site post is let through for this route only: hooks/cross-site.ts).
 */
async function start(event: RequestEvent, read: (name: string) => string | null, cookies: Cookies): Promise<never> {
	const params: LoginParameters = {
		iss: read('iss'),
		loginHint: read('login_hint'),
		targetLinkUri: read('target_link_uri'),
		ltiMessageHint: read('lti_message_hint'),
		clientId: read('client_id'),
		deploymentId: read('lti_deployment_id')
	};
	const db = getDb();
	const started = await initiateLogin(db, params, event.url.origin);
	if (!started.ok) {
		await recordLtiRefusal(db, requestContext(event), 'login', started.error.code, started.platformId ?? null);
		error(400, { message: `The launch from your LMS was refused: ${started.error.message}` });
	}
	setStateCookie(cookies, started.state);
	redirect(303, started.redirectTo);
}

const LIMIT = 4096;

export const load = (async (event) => {
	// Opened by hand, with nothing a platform sends: the page says what this address is for.
	if (event.url.searchParams.size === 0) return {};
	await start(event, (name) => event.url.searchParams.get(name)?.slice(0, LIMIT + 1) ?? null, event.cookies);
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(400, { message: 'The launch from your LMS was refused: its login request could not be read.' });
		await start(event, (name) => optional(form, name, { max: LIMIT + 1 }), event.cookies);
	}
} satisfies Actions;

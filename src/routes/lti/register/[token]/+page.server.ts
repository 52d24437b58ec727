import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { endpointUrl } from '$lib/server/lti/http';
import { recordLtiRefusal } from '$lib/server/lti/refusals';
import { registerDynamically } from '$lib/server/lti/registration';
import { requestContext } from '$lib/server/security/events';

/**
 * IMS Dynamic Registration, opened by the LMS (usually in a frame of its own page) with
 * openid_configuration and registration_token. Public; guarded by the one-time link an administrator
 * made (server/lti/registration.ts says why not by a session).
 */
export const load = (async (event) => {
	const query = event.url.searchParams;
	const openidConfiguration = query.get('openid_configuration')?.slice(0, 2001) ?? null;
	const db = getDb();
	const result = await registerDynamically(db, {
		token: event.params.token,
		openidConfiguration,
		registrationToken: query.get('registration_token')?.slice(0, 4097) ?? null,
		origin: event.url.origin,
		request: requestContext(event)
	});
	// The platform frames this page: its site may, once the link has proved to be a live one.
	const configurationSite = openidConfiguration ? endpointUrl(openidConfiguration)?.origin : undefined;
	if (configurationSite && (result.ok || result.error.code !== 'link')) event.locals.frameAncestors = [configurationSite];
	if (!result.ok) {
		await recordLtiRefusal(db, requestContext(event), 'registration', result.error.code);
		return { ok: false as const, message: result.error.message };
	}
	return { ok: true as const, platformName: result.platform.name };
}) satisfies PageServerLoad;

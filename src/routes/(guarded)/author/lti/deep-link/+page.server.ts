import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { all } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { postedForm } from '$lib/server/posted-form';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { deepLinkLaunchOf, spendDeepLinkLaunch } from '$lib/server/lti/deep-link-launch';
import { toolSigningKeyOrNull } from '$lib/server/lti/keys';
import { chooseDeepLink, deepLinkingPicker, returnFormOrigin } from '$lib/server/lti/services/deep-linking';
import { recordActorEvent, requestContext } from '$lib/server/security/events';

/**
 * A tutor sent by the LMS's "add an activity" (an LTI Deep Linking launch) picks scenarios here, and
 * the signed answer is posted back to the LMS. Which launch is answered is never taken from the
 * browser: it is the deep-linking launch that began this tutor's session (deep-link-launch.ts).
 */
const NO_REQUEST =
	'No request from your LMS is waiting in this session (it is answered once, within an hour, from the session the LMS opened). Choose “add an activity” in your LMS course again.';

export const load = withRole('tutor', (async ({ locals }) => {
	const user = locals.user!;
	const db = getDb();
	const launch = await deepLinkLaunchOf(db, locals.session?.id, user.id);
	// Said on the page, not as an error: the page is also shown again after the answer spent the request.
	if (!launch) return { view: null, platformName: null, noRequest: NO_REQUEST };
	const view = await deepLinkingPicker(db, user, launch.claims);
	if (!view) error(400, { message: 'Your LMS asked for a kind of content Custodian does not offer (it takes no links to activities here).' });
	return { view, platformName: launch.platform.name, noRequest: null };
}) satisfies PageServerLoad);

export const actions = actionsWithRole('tutor', {
	link: async (event) => {
		const { locals, request, url } = event;
		const user = locals.user!;
		const db = getDb();
		const launch = await deepLinkLaunchOf(db, locals.session?.id, user.id);
		if (!launch) error(404, { message: NO_REQUEST });
		const form = await postedForm(request);
		const chosen = all(form, 'scenario', { count: 60, max: 100 });
		const signer = await toolSigningKeyOrNull(db);
		if (!signer) return fail(503, { error: 'Custodian cannot sign its answer to your LMS: the server cannot read its LTI key (the SECRETS_KEY setting). Ask your administrator.', chosen });
		const answer = await chooseDeepLink(db, { author: user, request: launch.request, platform: launch.platform, signer, origin: url.origin, chosen });
		if (!answer.ok) return fail(400, { error: answer.error.message, chosen });
		await spendDeepLinkLaunch(db, launch.launchId);
		await recordActorEvent(db, { id: user.id, ...requestContext(event) }, { type: 'lti.deep-linked', detail: { platformId: launch.platform.id, launchId: launch.launchId, scenarios: chosen } });
		// This response's form posts to the LMS: its origin, and only for this response (hooks.server.ts).
		locals.formActionOrigins = [returnFormOrigin(answer.value)];
		return { returnForm: answer.value };
	}
} satisfies Actions);

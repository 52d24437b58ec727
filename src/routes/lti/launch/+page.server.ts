import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optional, readForm } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { completeLaunch, createHandoff } from '$lib/server/lti/completion';
import { MAX_ID_TOKEN_LENGTH, verifyLaunch } from '$lib/server/lti/launch';
import { platformOrigins } from '$lib/server/lti/platforms';
import { recordLtiRefusal } from '$lib/server/lti/refusals';
import { startLaunchSession } from '$lib/server/lti/session-start';
import { takeStateCookie } from '$lib/server/lti/state-cookie';
import { requestContext } from '$lib/server/security/events';

/** Public: the platform posts the id_token here from its own site (hooks/cross-site.ts lets it through). */
export const load = (() => ({})) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(400, { message: 'The launch from your LMS was refused: what it posted could not be read.' });
		const db = getDb();
		const context = requestContext(event);
		const verified = await verifyLaunch(db, {
			idToken: optional(form, 'id_token', { max: MAX_ID_TOKEN_LENGTH + 1 }),
			state: optional(form, 'state', { max: 101 }),
			stateCookie: takeStateCookie(event.cookies)
		});
		if (!verified.ok) {
			await recordLtiRefusal(db, context, 'launch', verified.error.code, verified.error.platformId ?? null);
			return fail(400, { refusal: verified.error.message, code: verified.error.code });
		}
		const done = await completeLaunch(db, verified.launch, event.url.origin, context);
		if (!done.ok) {
			await recordLtiRefusal(db, context, 'launch', 'account', verified.launch.platform.id);
			return fail(403, { refusal: done.message, code: 'account' });
		}
		// In the platform's frame our session cookie (SameSite=Lax) cannot be set or sent: the user
		// finishes in a new window with a one-time code. Only this platform may frame this answer.
		if (event.request.headers.get('sec-fetch-dest') === 'iframe') {
			event.locals.frameAncestors = platformOrigins(verified.launch.platform);
			return { handoff: await createHandoff(db, done.launchId), platformName: verified.launch.platform.name };
		}
		await startLaunchSession(db, event.cookies, event.locals.session?.id ?? null, done.userId, done.launchId);
		redirect(303, done.landingPath);
	}
} satisfies Actions;

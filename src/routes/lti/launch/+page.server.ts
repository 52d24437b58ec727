import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optional, readForm } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { completeLaunch, createHandoff } from '$lib/server/lti/completion';
import { MAX_ID_TOKEN_LENGTH, verifyLaunch } from '$lib/server/lti/launch';
import { platformById, platformOrigins } from '$lib/server/lti/platforms';
import { recordLtiRefusal } from '$lib/server/lti/refusals';
import { startLaunchSession } from '$lib/server/lti/session-start';
import { takeStateCookie } from '$lib/server/lti/state-cookie';
import { STATE_KEY_PREFIX } from '$lib/server/lti/storage';
import { requestContext } from '$lib/server/security/events';

/** Public: the platform posts the id_token here from its own site (hooks/cross-site.ts lets it through). */
export const load = (() => ({})) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(400, { message: 'The launch from your LMS was refused: what it posted could not be read.' });
		const db = getDb();
		const context = requestContext(event);
		const state = optional(form, 'state', { max: 101 });
		const verified = await verifyLaunch(db, {
			idToken: optional(form, 'id_token', { max: MAX_ID_TOKEN_LENGTH + 1 }),
			state,
			stateCookie: takeStateCookie(event.cookies)
		});
		const framed = event.request.headers.get('sec-fetch-dest') === 'iframe';
		if (!verified.ok) {
			await recordLtiRefusal(db, context, 'launch', verified.error.code, verified.error.platformId ?? null);
			// Said inside the platform's frame when the refusal knows the platform: that platform may frame it.
			const platform = framed && verified.error.platformId ? await platformById(db, verified.error.platformId) : null;
			if (platform) event.locals.frameAncestors = platformOrigins(platform);
			return fail(400, { refusal: verified.error.message, code: verified.error.code });
		}
		// Only this platform may frame this answer.
		if (framed) event.locals.frameAncestors = platformOrigins(verified.launch.platform);
		const done = await completeLaunch(db, verified.launch, event.url.origin, context);
		if (!done.ok) {
			await recordLtiRefusal(db, context, 'launch', 'account', verified.launch.platform.id);
			return fail(403, { refusal: done.message, code: 'account' });
		}
		const binding = verified.launch.binding;
		if (binding.kind === 'storage') {
			// The state cookie did not come back: this browser must read the state back from the
			// platform's storage (server/lti/storage.ts) before the launch finishes, here or in a new window.
			const code = await createHandoff(db, done.launchId, undefined, binding.stateHash);
			return { check: { code, target: binding.target, origin: binding.origin, key: `${STATE_KEY_PREFIX}${state}`, state: state!, framed }, platformName: verified.launch.platform.name };
		}
		// In the platform's frame, where this browser kept the (partitioned) state cookie, a partitioned
		// session cookie is kept too: the user carries on in the frame.
		if (framed && binding.kind === 'cookie') {
			await startLaunchSession(db, event.cookies, event.locals.session?.id ?? null, done.userId, done.launchId, 'frame');
			redirect(303, done.landingPath);
		}
		// Otherwise our session cookie cannot be set in the frame: the user finishes in a new window
		// with a one-time code.
		if (framed) return { handoff: await createHandoff(db, done.launchId), platformName: verified.launch.platform.name };
		await startLaunchSession(db, event.cookies, event.locals.session?.id ?? null, done.userId, done.launchId);
		redirect(303, done.landingPath);
	}
} satisfies Actions;

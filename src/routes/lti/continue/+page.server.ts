import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optional, text, readForm } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { redeemHandoff } from '$lib/server/lti/completion';
import { recordLtiRefusal } from '$lib/server/lti/refusals';
import { startLaunchSession } from '$lib/server/lti/session-start';
import { requestContext } from '$lib/server/security/events';

/**
 * Public: finishes a launch that arrived in a frame, in a new top-level window where our session
 * cookie can be set. Posted from our own launch page (same origin), with the launch's one-time code.
 */
export const load = (() => ({})) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const db = getDb();
		const finished = form ? await redeemHandoff(db, text(form, 'code', { max: 100 }), undefined, optional(form, 'proof', { max: 101 })) : null;
		if (!finished) {
			await recordLtiRefusal(db, requestContext(event), 'continue', 'handoff');
			return fail(400, { refusal: 'This link has been used, is more than two minutes old, or was not begun in this browser. Open the activity again from your course page.' });
		}
		await startLaunchSession(db, event.cookies, event.locals.session?.id ?? null, finished.userId, finished.launchId);
		redirect(303, finished.landingPath);
	}
} satisfies Actions;

import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { centreDraft, libraryEntry, validateDraft } from '$lib/server/authoring';
import { previewsOf, startPreview } from '$lib/server/preview';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

const NOT_FOUND = 'That scenario was not found. Only your centre’s own scenarios have drafts to preview.';

export const load = withRole('tutor', (async ({ locals, params }) => {
	const db = getDb();
	const user = locals.user!;
	const draft = await centreDraft(db, user, params.scenarioId);
	const entry = draft && await libraryEntry(db, user, params.scenarioId);
	if (!draft || !entry) error(404, { message: NOT_FOUND });
	return {
		scenarioId: draft.scenarioId,
		title: entry.title,
		errors: await validateDraft(draft.scenarioId, draft.draftSource),
		previews: await previewsOf(db, user.id, draft.scenarioId)
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('tutor', {
	start: async ({ locals, params }) => {
		const user = locals.user!;
		const started = await startPreview(getDb(), user, params.scenarioId);
		if (!started.ok) {
			if (started.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { message: started.error.message, errors: started.error.errors ?? [] });
		}
		redirect(303, `/author/scenarios/${params.scenarioId}/preview/${started.value.id}`);
	}
} satisfies Actions);

import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { scenarioLibrary, setArchived } from '$lib/server/authoring';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (async ({ locals, url }) => ({
	library: await scenarioLibrary(getDb(), locals.user!),
	imported: url.searchParams.get('imported')
})) satisfies PageServerLoad);

async function archive(request: Request, locals: App.Locals, archived: boolean) {
	const scenarioId = text(await postedForm(request), 'scenarioId', { max: 100 });
	const result = await setArchived(getDb(), locals.user!, scenarioId, archived);
	if (!result.ok) return fail(404, { ok: false, scenarioId, message: 'That scenario was not found. Reload the page and try again.' });
	return { ok: true, scenarioId, message: archived ? 'Archived: learners no longer see it. Its versions and attempts are kept.' : 'Back in learners’ lists.' };
}

export const actions = actionsWithRole('tutor', {
	archive: async ({ request, locals }) => archive(request, locals, true),
	unarchive: async ({ request, locals }) => archive(request, locals, false)
} satisfies Actions);

import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { duplicateScenario, libraryEntry } from '$lib/server/authoring';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (async ({ locals, params }) => {
	const entry = await libraryEntry(getDb(), locals.user!, params.scenarioId);
	if (!entry) error(404, { message: 'That scenario was not found.' });
	return { from: { scenarioId: entry.scenarioId, title: entry.title }, values: { scenarioId: `${entry.scenarioId}-copy`.slice(0, 60), title: `${entry.title} (copy)`.slice(0, 140) } };
}) satisfies PageServerLoad);

export const actions = actionsWithRole('tutor', {
	default: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { scenarioId: text(form, 'scenarioId', { max: 200 }), title: text(form, 'title', { max: 500 }) };
		const result = await duplicateScenario(getDb(), locals.user!, params.scenarioId, values);
		if (!result.ok) {
			if (result.error.code === 'scenario.not-found') error(404, { message: 'That scenario was not found.' });
			return fail(400, { values, errors: { [result.error.field ?? 'scenarioId']: result.error.message } as Partial<Record<'scenarioId' | 'title', string>> });
		}
		redirect(303, `/author/scenarios/${result.value.scenarioId}/edit?created=1`);
	}
} satisfies Actions);

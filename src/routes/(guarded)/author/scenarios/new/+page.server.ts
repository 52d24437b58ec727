import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { createScenario, suggestedId } from '$lib/server/authoring';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

type Field = 'scenarioId' | 'title' | 'difficulty';

export const load = withRole('tutor', (() => ({ values: { scenarioId: '', title: '', difficulty: 'foundation' } })) satisfies PageServerLoad);

export const actions = actionsWithRole('tutor', {
	default: async ({ request, locals }) => {
		const form = await postedForm(request);
		const values = { scenarioId: text(form, 'scenarioId', { max: 200 }), title: text(form, 'title', { max: 500 }), difficulty: text(form, 'difficulty', { max: 40 }) };
		// An id left empty is made from the title (the form suggests the same as the title is typed).
		const scenarioId = values.scenarioId.trim() === '' ? suggestedId(values.title) : values.scenarioId;
		const result = await createScenario(getDb(), locals.user!, { ...values, scenarioId });
		if (!result.ok) {
			return fail(400, { values: { ...values, scenarioId }, errors: { [result.error.field ?? 'scenarioId']: result.error.message } as Partial<Record<Field, string>> });
		}
		redirect(303, `/author/scenarios/${result.value.scenarioId}/form?created`);
	}
} satisfies Actions);

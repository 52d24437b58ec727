import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { file as fileOf } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { importScenario, MAX_SOURCE_BYTES } from '$lib/server/authoring';
import type { ScenarioError } from '$lib/sim/scenario-check';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('tutor', (() => ({ maxKb: Math.round(MAX_SOURCE_BYTES / 1024) })) satisfies PageServerLoad);

export const actions = actionsWithRole('tutor', {
	default: async ({ request, locals }) => {
		const file = fileOf(await postedForm(request), 'file');
		if (!file) {
			return fail(400, { message: 'Choose a scenario file (.yaml) to import.', errors: [] as ScenarioError[] });
		}
		// Refused before reading it whole: the size says enough.
		if (file.size > MAX_SOURCE_BYTES) {
			return fail(400, { message: `The file is ${Math.ceil(file.size / 1024)} kB; a scenario file may be at most ${Math.round(MAX_SOURCE_BYTES / 1024)} kB.`, errors: [] as ScenarioError[] });
		}
		const source = (await file.text()).replace(/\r\n/g, '\n');
		const result = await importScenario(getDb(), locals.user!, file.name, source);
		if (!result.ok) return fail(400, { message: result.error.message, errors: result.error.errors ?? [] });
		if (result.value.errors.length === 0) redirect(303, `/author/scenarios/${result.value.draft.scenarioId}/edit?imported=1`);
		return { imported: result.value.draft.scenarioId, errors: result.value.errors };
	}
} satisfies Actions);

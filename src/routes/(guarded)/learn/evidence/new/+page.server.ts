import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { readForm, text } from '$lib/form-data';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { startWorkplaceEvidence, WORKPLACE_LIMITS } from '$lib/server/workplace/learner-evidence';

export const load = withRole('learner', (() => ({ limits: WORKPLACE_LIMITS })) satisfies PageServerLoad);

export const actions = actionsWithRole('learner', {
	default: async ({ locals, request }) => {
		const form = await readForm(request);
		if (!form) return fail(413, { title: '', errors: {}, message: 'What you sent could not be read. Try again.' });
		const title = text(form, 'title', { max: WORKPLACE_LIMITS.title + 100 });
		const started = await startWorkplaceEvidence(getDb(), locals.user!, { title });
		if (!started.ok) return fail(400, { title, errors: started.error.fields ?? {}, message: started.error.message });
		redirect(303, `/learn/evidence/${started.value.id}`);
	}
} satisfies Actions);

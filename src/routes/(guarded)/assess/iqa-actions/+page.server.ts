import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { readForm, text } from '$lib/form-data';
import { ACTION_STATE_LABELS } from '$lib/server/iqa/action-state';
import { ACTION_LIMITS, actionsForAssessor, answerAction } from '$lib/server/iqa/actions';

export const load = withRole('assessor', (async ({ locals }) => ({
	actions: await actionsForAssessor(getDb(), locals.user!.id),
	stateLabels: ACTION_STATE_LABELS,
	limits: ACTION_LIMITS
})) satisfies PageServerLoad);

export const actions = actionsWithRole('assessor', {
	answer: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten your answer and try again.' });
		const actionId = text(form, 'actionId', { max: 100 });
		const answer = text(form, 'answer', { max: ACTION_LIMITS.answer + 1 });
		const answered = await answerAction(getDb(), event.locals.user!, actionId, answer);
		if (answered.ok) return { done: 'Answer sent: the IQA reviews it next.' };
		if (answered.error.code === 'action.not-found') error(404, { message: answered.error.message });
		return fail(answered.error.code === 'action.invalid' ? 400 : 409, { actionId, answer, message: answered.error.message, errors: answered.error.fields ?? {} });
	}
} satisfies Actions);

import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import {
	addMember,
	assignScenario,
	changeDueDate,
	cohortDetail,
	removeMember,
	setCohortArchived,
	ukToday,
	unassign,
	updateCohort,
	type FormResult
} from '$lib/server/cohorts';

export const load = withRole('tutor', (({ locals, params }) => {
	const detail = cohortDetail(getDb(), locals.user!.organisationId, params.cohortId);
	if (!detail) error(404, { message: 'That cohort was not found.' });
	return { ...detail, today: ukToday() };
}) satisfies PageServerLoad);

const text = (form: FormData, name: string, max = 1000) => String(form.get(name) ?? '').slice(0, max);

/** A result as the page shows it: which form it came from, and its message or errors. */
function answer<T>(action: string, result: FormResult<T>, values: Record<string, string>, done: string) {
	if (result.ok) return { action, message: done };
	if (result.error.code === 'cohort.not-found') error(404, { message: 'That cohort was not found.' });
	return fail(400, { action, values, errors: { form: result.error.message, ...result.errors } });
}

export const actions = actionsWithRole('tutor', {
	rename: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { name: text(form, 'name'), description: text(form, 'description', 2000) };
		return answer('rename', updateCohort(getDb(), locals.user!.organisationId, params.cohortId, values), values, 'The cohort’s name and description are saved.');
	},
	archive: async ({ locals, params }) => {
		return answer('archive', setCohortArchived(getDb(), locals.user!.organisationId, params.cohortId, true), {}, 'The cohort is archived: its learners no longer see its assignments.');
	},
	restore: async ({ locals, params }) => {
		return answer('archive', setCohortArchived(getDb(), locals.user!.organisationId, params.cohortId, false), {}, 'The cohort is active again.');
	},
	addLearner: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { learnerId: text(form, 'learnerId', 100) };
		const result = addMember(getDb(), locals.user!.organisationId, params.cohortId, { userId: values.learnerId, role: 'learner' });
		return answer('addLearner', result, values, result.ok ? `${result.value.displayName} is now a learner in this cohort.` : '');
	},
	addAssessor: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { assessorId: text(form, 'assessorId', 100) };
		const result = addMember(getDb(), locals.user!.organisationId, params.cohortId, { userId: values.assessorId, role: 'assessor' });
		return answer('addAssessor', result, values, result.ok ? `${result.value.displayName} now assesses this cohort.` : '');
	},
	removeMember: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { userId: text(form, 'userId', 100), role: text(form, 'role', 20) };
		return answer('removeMember', removeMember(getDb(), locals.user!.organisationId, params.cohortId, values), values, 'Removed from the cohort. Their attempts stay in their portfolio.');
	},
	assign: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { scenarioId: text(form, 'scenarioId', 300), dueOn: text(form, 'dueOn', 40), note: text(form, 'note', 2000) };
		const result = assignScenario(getDb(), locals.user!.organisationId, params.cohortId, locals.user!.id, values);
		return answer('assign', result, values, 'The scenario is assigned: the cohort’s learners see it on their home page.');
	},
	changeDue: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { assignmentId: text(form, 'assignmentId', 100), dueOn: text(form, 'dueOn', 40) };
		return answer('changeDue', changeDueDate(getDb(), locals.user!.organisationId, params.cohortId, values), values, 'The due date is changed.');
	},
	unassign: async ({ request, locals, params }) => {
		const form = await request.formData();
		const values = { assignmentId: text(form, 'assignmentId', 100) };
		return answer('unassign', unassign(getDb(), locals.user!.organisationId, params.cohortId, values.assignmentId), values, 'The assignment is withdrawn. Attempts already made stay in the learners’ portfolios.');
	}
} satisfies Actions);

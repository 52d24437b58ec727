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
	unassign,
	updateCohort,
	type FormResult
} from '$lib/server/cohorts';
import { ukToday } from '$lib/dates';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { courseKey, fillCohortFromLms, fillSummary, lmsCoursesOf } from '$lib/server/lti/services/members';
import { ltiServices } from '$lib/server/lti/services/deps';
import { actorOf } from '$lib/server/security/events';

export const load = withRole('tutor', (async ({ locals, params }) => {
	const detail = await cohortDetail(getDb(), locals.user!.organisationId, params.cohortId);
	if (!detail) error(404, { message: 'That cohort was not found.' });
	const lmsCourses = (await lmsCoursesOf(getDb(), locals.user!.organisationId)).map((c) => ({ key: courseKey(c), title: c.title }));
	return { ...detail, today: ukToday(), lmsCourses };
}) satisfies PageServerLoad);

/** A result as the page shows it: which form it came from, and its message or errors. */
function answer<T>(action: string, result: FormResult<T>, values: Record<string, string>, done: string) {
	if (result.ok) return { action, message: done };
	if (result.error.code === 'cohort.not-found') error(404, { message: 'That cohort was not found.' });
	return fail(400, { action, values, errors: { form: result.error.message, ...result.errors } });
}

export const actions = actionsWithRole('tutor', {
	rename: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { name: text(form, 'name'), description: text(form, 'description', { max: 2000 }) };
		return answer('rename', await updateCohort(getDb(), locals.user!.organisationId, params.cohortId, values), values, 'The cohort’s name and description are saved.');
	},
	archive: async ({ locals, params }) => {
		return answer('archive', await setCohortArchived(getDb(), locals.user!.organisationId, params.cohortId, true), {}, 'The cohort is archived: its learners no longer see its assignments.');
	},
	restore: async ({ locals, params }) => {
		return answer('archive', await setCohortArchived(getDb(), locals.user!.organisationId, params.cohortId, false), {}, 'The cohort is active again.');
	},
	addLearner: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { learnerId: text(form, 'learnerId', { max: 100 }) };
		const result = await addMember(getDb(), locals.user!.organisationId, params.cohortId, { userId: values.learnerId, role: 'learner' });
		return answer('addLearner', result, values, result.ok ? `${result.value.displayName} is now a learner in this cohort.` : '');
	},
	addAssessor: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { assessorId: text(form, 'assessorId', { max: 100 }) };
		const result = await addMember(getDb(), locals.user!.organisationId, params.cohortId, { userId: values.assessorId, role: 'assessor' });
		return answer('addAssessor', result, values, result.ok ? `${result.value.displayName} now assesses this cohort.` : '');
	},
	removeMember: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { userId: text(form, 'userId', { max: 100 }), role: text(form, 'role', { max: 20 }) };
		return answer('removeMember', await removeMember(getDb(), locals.user!.organisationId, params.cohortId, values), values, 'Removed from the cohort. Their attempts stay in their portfolio.');
	},
	assign: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { scenarioId: text(form, 'scenarioId', { max: 300 }), dueOn: text(form, 'dueOn', { max: 40 }), note: text(form, 'note', { max: 2000 }) };
		const result = await assignScenario(getDb(), locals.user!.organisationId, params.cohortId, locals.user!.id, values);
		return answer('assign', result, values, 'The scenario is assigned: the cohort’s learners see it on their home page.');
	},
	changeDue: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { assignmentId: text(form, 'assignmentId', { max: 100 }), dueOn: text(form, 'dueOn', { max: 40 }) };
		return answer('changeDue', await changeDueDate(getDb(), locals.user!.organisationId, params.cohortId, values), values, 'The due date is changed.');
	},
	fillFromLms: async (event) => {
		const form = await postedForm(event.request);
		const values = { course: text(form, 'course', { max: 2000 }) };
		const result = await fillCohortFromLms(getDb(), ltiServices(), { organisationId: event.locals.user!.organisationId, cohortId: event.params.cohortId, course: values.course, by: actorOf(event) });
		return answer('fillFromLms', result.ok ? result : { ...result, errors: result.error.field ? { [result.error.field]: result.error.message } : {} }, values, result.ok ? fillSummary(result.value) : '');
	},
	unassign: async ({ request, locals, params }) => {
		const form = await postedForm(request);
		const values = { assignmentId: text(form, 'assignmentId', { max: 100 }) };
		return answer('unassign', await unassign(getDb(), locals.user!.organisationId, params.cohortId, values.assignmentId), values, 'The assignment is withdrawn. Attempts already made stay in the learners’ portfolios.');
	}
} satisfies Actions);

import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { all, text } from '$lib/form-data';
import { ukToday } from '$lib/dates';
import { postedForm } from '$lib/server/posted-form';
import { findCohort } from '$lib/server/cohorts';
import { findPlan } from '$lib/server/iqa/sampling';
import { MEETING_LIMITS, centreStaff, meetingsOf, recordMeeting } from '$lib/server/iqa/meetings';

const NOT_FOUND = 'There is no sampling plan of this centre at this address.';

export const load = withRole('iqa', (async ({ locals, params }) => {
	const db = getDb();
	const plan = await findPlan(db, locals.user!.organisationId, params.planId);
	if (!plan) error(404, { message: NOT_FOUND });
	return {
		plan: { id: plan.id, qualificationTitle: plan.qualificationTitle },
		cohortName: (await findCohort(db, plan.organisationId, plan.cohortId))?.name ?? '',
		meetings: await meetingsOf(db, plan.id),
		staff: await centreStaff(db, plan.organisationId),
		today: ukToday(new Date()),
		limits: MEETING_LIMITS
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('iqa', {
	record: async ({ request, locals, params }) => {
		const db = getDb();
		if (!await findPlan(db, locals.user!.organisationId, params.planId)) error(404, { message: NOT_FOUND });
		const form = await postedForm(request);
		const values = {
			heldOn: text(form, 'heldOn', { max: 20, trim: true }),
			staff: all(form, 'staff', { max: 100, count: 100 }),
			others: text(form, 'others', { max: 8000 }),
			workDiscussed: text(form, 'workDiscussed', { max: 16000 }),
			actions: text(form, 'actions', { max: 16000 })
		};
		const recorded = await recordMeeting(db, { id: locals.user!.id, organisationId: locals.user!.organisationId }, params.planId, values);
		if (!recorded.ok) {
			if (recorded.error.code === 'plan.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { values, errors: recorded.error.fields ?? {}, message: recorded.error.message });
		}
		return { done: 'The meeting is recorded.' };
	}
} satisfies Actions);

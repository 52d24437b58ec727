import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/db';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { readForm, text } from '$lib/form-data';
import { ukToday } from '$lib/dates';
import { actorOf } from '$lib/server/security/events';
import { QUALIFICATION_STATUSES, RISK_RATINGS } from '$lib/server/db/assessment';
import { PROFILE_LIMITS, QUALIFICATION_LABELS, RISK_LABELS, assessorProfileView, changeAssessorProfile, type ProfileChange } from '$lib/server/assessor-profiles';

const NOT_FOUND = 'There is no assessor of this centre at this address.';

export const load = withRole('iqa', (async ({ locals, params }) => {
	const profile = await assessorProfileView(getDb(), locals.user!.organisationId, params.assessorId);
	if (!profile) error(404, { message: NOT_FOUND });
	return {
		profile,
		statuses: QUALIFICATION_STATUSES.map((value) => ({ value, label: QUALIFICATION_LABELS[value] })),
		risks: RISK_RATINGS.map((value) => ({ value, label: RISK_LABELS[value] })),
		statusLabels: QUALIFICATION_LABELS,
		riskLabels: RISK_LABELS,
		limits: PROFILE_LIMITS,
		today: ukToday(new Date())
	};
}) satisfies PageServerLoad);

/** Applies one change from a posted form; a refusal comes back under the form's own name, next to its fields. */
async function change(event: RequestEvent, read: (form: FormData) => ProfileChange, done: string) {
	const user = event.locals.user!;
	const db = getDb();
	if (!await assessorProfileView(db, user.organisationId, event.params.assessorId)) error(404, { message: NOT_FOUND });
	const form = await readForm(event.request);
	if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten it and try again.' });
	const values = read(form);
	const changed = await changeAssessorProfile(db, { ...actorOf(event), organisationId: user.organisationId, roles: user.roles }, event.params.assessorId, values);
	if (changed.ok) return { done };
	if (changed.error.code === 'assessor.not-found') error(404, { message: NOT_FOUND });
	return fail(changed.error.code === 'profile.forbidden' ? 403 : 400, { [values.kind]: { values, errors: changed.error.fields ?? {}, message: changed.error.message } });
}

export const actions = actionsWithRole('iqa', {
	status: (event) =>
		change(event, (form) => ({ kind: 'status', status: text(form, 'status', { max: 20 }), since: text(form, 'since', { max: 20, trim: true }), reason: text(form, 'reason', { max: 2000 }) }), 'Status saved.'),
	risk: (event) => change(event, (form) => ({ kind: 'risk', risk: text(form, 'risk', { max: 20 }), reason: text(form, 'reason', { max: 2000 }) }), 'Risk rating saved.'),
	competence: (event) => change(event, (form) => ({ kind: 'competence', notes: text(form, 'notes', { max: 8000 }) }), 'Occupational competence notes saved.'),
	cpd: (event) => change(event, (form) => ({ kind: 'cpd', on: text(form, 'on', { max: 20, trim: true }), note: text(form, 'note', { max: 8000 }) }), 'CPD entry added.')
} satisfies Actions);

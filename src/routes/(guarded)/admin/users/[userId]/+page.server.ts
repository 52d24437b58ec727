import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { all, checkbox, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { ROLES } from '$lib/server/db/schema';
import { oneTimePasswordLifetimeMs, oneTimePasswordState } from '$lib/server/auth/one-time-password';
import { cohortsOfUser, findCentreUser, resetToOneTimePassword, setUserActive, setUserRoles, updateUserAccount, type AdminResult } from '$lib/server/user-admin';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { actorOf, requestContext } from '$lib/server/security/events';
import { mfaStatus, resetMfa } from '$lib/server/auth/mfa';
import { QUALIFICATION_LABELS, changeAssessorProfile, qualificationOf } from '$lib/server/assessor-profiles';
import { ukToday } from '$lib/dates';
import { LEARNER_STATUS_LABELS, learnerStandingOf, setLearnerStanding } from '$lib/server/retention/records';

const NOT_FOUND = 'That user was not found.';

export const load = withRole('admin', (async ({ locals, params }) => {
	const db = getDb();
	const found = await findCentreUser(db, locals.user!.organisationId, params.userId);
	if (!found) error(404, { message: NOT_FOUND });
	return {
		account: found,
		oneTimePassword: oneTimePasswordState(found),
		oneTimePasswordHours: oneTimePasswordLifetimeMs() / 3_600_000,
		cohorts: await cohortsOfUser(db, found.id),
		mfa: await mfaStatus(db, found.id),
		roles: ROLES,
		isMe: found.id === locals.user!.id,
		/** An assessor's qualification status, which an administrator may also set (issue 17). */
		qualification: found.roles.includes('assessor') ? { ...await qualificationOf(db, found.id), labels: QUALIFICATION_LABELS, today: ukToday(new Date()) } : null,
		/** Where a learner stands in their programme: certification starts the records' retention clock. */
		standing: found.roles.includes('learner') ? { ...await learnerStandingOf(db, found.id), labels: LEARNER_STATUS_LABELS, today: ukToday(new Date()) } : null
	};
}) satisfies PageServerLoad);

function answer<T>(action: string, result: AdminResult<T>, done: string, extra: Record<string, unknown> = {}) {
	if (result.ok) return { action, message: done, ...extra };
	if (result.error.code === 'user.not-found') error(404, { message: NOT_FOUND });
	return fail(400, { action, error: result.error.message });
}

export const actions = actionsWithRole('admin', {
	account: async (event) => {
		const form = await postedForm(event.request);
		const values = { displayName: text(form, 'displayName', { max: 500 }), email: text(form, 'email', { max: 500 }) };
		const result = await updateUserAccount(getDb(), event.locals.user!.organisationId, actorOf(event), event.params.userId, values);
		if (result.ok) return { action: 'account', message: 'The name and email are saved. They log in with the new email from now on.' };
		if (result.error.code === 'user.not-found') error(404, { message: NOT_FOUND });
		return fail(400, { action: 'account', values, errors: result.errors });
	},
	roles: async (event) => {
		const roles = all(await postedForm(event.request), 'roles', { count: 10, max: 50 });
		return answer('roles', await setUserRoles(getDb(), event.locals.user!.organisationId, actorOf(event), event.params.userId, roles), 'The roles are saved. They apply from the user’s next page.');
	},
	deactivate: async (event) => {
		return answer('active', await setUserActive(getDb(), event.locals.user!.organisationId, actorOf(event), event.params.userId, false), 'The account is deactivated and every session of it has ended.');
	},
	reactivate: async (event) => {
		return answer('active', await setUserActive(getDb(), event.locals.user!.organisationId, actorOf(event), event.params.userId, true), 'The account is active again. They log in with their existing password.');
	},
	resetPassword: async ({ locals, params, getClientAddress, route }) => {
		const by = { id: locals.user!.id, ...requestContext({ getClientAddress, route, locals }) };
		const result = await resetToOneTimePassword(getDb(), locals.user!.organisationId, params.userId, by);
		return answer('resetPassword', result, 'A new one-time password is set, and every session of the account has ended.', result.ok ? { password: result.value.oneTimePassword } : {});
	},
	qualification: async (event) => {
		const form = await postedForm(event.request);
		const user = event.locals.user!;
		const values = { status: text(form, 'status', { max: 20 }), since: text(form, 'since', { max: 20, trim: true }), reason: text(form, 'reason', { max: 2000 }) };
		const result = await changeAssessorProfile(getDb(), { ...actorOf(event), organisationId: user.organisationId, roles: user.roles }, event.params.userId, { kind: 'status', ...values });
		if (result.ok) return { action: 'qualification', message: 'The assessor’s status is saved.' };
		if (result.error.code === 'assessor.not-found') error(404, { message: NOT_FOUND });
		return fail(400, { action: 'qualification', qualificationValues: values, errors: result.error.fields ?? {} });
	},
	standing: async (event) => {
		const form = await postedForm(event.request);
		const values = {
			status: text(form, 'status', { max: 20 }),
			statusOn: text(form, 'statusOn', { max: 20, trim: true }),
			certifiedOn: text(form, 'certifiedOn', { max: 20, trim: true }),
			note: text(form, 'note', { max: 4000 })
		};
		const db = getDb();
		const found = await findCentreUser(db, event.locals.user!.organisationId, event.params.userId);
		if (!found) error(404, { message: NOT_FOUND });
		if (!found.roles.includes('learner')) return fail(400, { action: 'standing', standingValues: values, errors: { status: 'Only a learner has a programme standing.' } as Partial<Record<string, string>> });
		const result = await setLearnerStanding(db, event.locals.user!.organisationId, found.id, values, actorOf(event));
		if (result.ok) return { action: 'standing', message: 'The learner’s standing is saved.' };
		return fail(400, { action: 'standing', standingValues: values, errors: result.errors as Partial<Record<string, string>> });
	},
	resetMfa: async (event) => {
		const { request, locals, params } = event;
		const form = await postedForm(request);
		const db = getDb();
		const found = await findCentreUser(db, locals.user!.organisationId, params.userId);
		if (!found) error(404, { message: NOT_FOUND });
		if (found.id === locals.user!.id) {
			return fail(400, { action: 'resetMfa', errors: { confirm: 'Your own MFA is managed on your account page.' } });
		}
		// Removing someone's second factor is done deliberately: the box says whose, and that it is theirs.
		if (!checkbox(form, 'confirm', 'yes')) {
			return fail(400, { action: 'resetMfa', errors: { confirm: `Tick the box to confirm you have checked this request really comes from ${found.displayName}.` } });
		}
		await resetMfa(db, found.id, { id: locals.user!.id, ...requestContext(event) });
		return { action: 'resetMfa', message: `MFA is reset and every session of ${found.displayName} has ended. They set it up again at their next log-in.` };
	}
} satisfies Actions);

import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { CRITERIA } from '$lib/criteria';
import { actionsWithAnyRole, withAnyRole } from '$lib/server/auth/access';
import { actorOf } from '$lib/server/security/events';
import { GRANT_LIMITS, GRANT_STATE_LABELS, STANDING_LABELS, centreGrant, revokeEqaAccess } from '$lib/server/eqa/grants';
import { REPORT_LIMITS, RISK_LABELS, answerReport } from '$lib/server/eqa/reports';
import { centreGrantView } from '$lib/server/eqa/views';

const NOT_FOUND = 'There is no external quality assurer’s access of your centre at this address.';

export const load = withAnyRole(['iqa', 'admin'], (async ({ locals, params }) => {
	const view = await centreGrantView(getDb(), locals.user!.organisationId, params.accessId);
	if (!view) error(404, { message: NOT_FOUND });
	return {
		...view,
		isIqa: locals.user!.roles.includes('iqa'),
		criteria: CRITERIA.map((c) => ({ code: c.code, title: c.title })),
		stateLabels: GRANT_STATE_LABELS,
		standingLabels: STANDING_LABELS,
		riskLabels: RISK_LABELS,
		limits: { ...GRANT_LIMITS, ...REPORT_LIMITS }
	};
}) satisfies PageServerLoad);

async function grantOf(event: RequestEvent) {
	const grant = await centreGrant(getDb(), event.locals.user!.organisationId, event.params.accessId);
	if (!grant) error(404, { message: NOT_FOUND });
	return grant;
}

export const actions = actionsWithAnyRole(['iqa', 'admin'], {
	answer: async (event) => {
		const grant = await grantOf(event);
		const form = await postedForm(event.request);
		const actionId = text(form, 'actionId', { max: 100 }) || null;
		const answer = text(form, 'answer', { max: REPORT_LIMITS.answer + 1 });
		const answered = await answerReport(getDb(), actorOf(event), grant, actionId, answer);
		if (!answered.ok) return fail(400, { answer: { actionId, answer, message: answered.error.message } });
		return { done: actionId ? 'Your answer to the action is recorded.' : 'Your answer to the report is recorded.' };
	},
	revoke: async (event) => {
		const grant = await grantOf(event);
		const form = await postedForm(event.request);
		const reason = text(form, 'reason', { max: GRANT_LIMITS.reason + 1 });
		const revoked = await revokeEqaAccess(getDb(), event.locals.user!.organisationId, actorOf(event), grant.id, reason);
		if (!revoked.ok) return fail(400, { revoke: { reason, message: revoked.error.message } });
		return { done: 'Access revoked: the EQA can no longer see the sample.' };
	}
} satisfies Actions);

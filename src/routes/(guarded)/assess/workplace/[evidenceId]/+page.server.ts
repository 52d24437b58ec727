import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readForm, text } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { LIMITS, OUTCOME_LABELS } from '$lib/server/assessment';
import { workplaceReview } from '$lib/server/workplace/review';
import { countersignWorkplaceDecision, signWorkplaceDecision, workplaceField, type WorkplaceDecisionValues } from '$lib/server/workplace/signing';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { requestContext } from '$lib/server/security/events';

const NOT_FOUND = 'There is no workplace evidence at this address that you assess.';
const TOO_LONG = 'What you sent is far too long to be read. Shorten your feedback and try again.';

export const load = withRole('assessor', (async ({ locals, params, url }) => {
	const review = await workplaceReview(getDb(), locals.user!.id, params.evidenceId);
	if (!review) error(404, { message: NOT_FOUND });
	return {
		...review,
		you: locals.user!.displayName,
		outcomeLabels: OUTCOME_LABELS,
		limits: LIMITS,
		justSigned: url.searchParams.get('signed') === '1',
		justCountersigned: url.searchParams.get('countersigned')
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('assessor', {
	sign: async ({ locals, params, request }) => {
		const db = getDb();
		const user = locals.user!;
		const review = await workplaceReview(db, user.id, params.evidenceId);
		if (!review) error(404, { message: NOT_FOUND });
		const form = await readForm(request);
		if (!form) error(413, { message: TOO_LONG });
		const long = { max: 20_000 };
		const values: WorkplaceDecisionValues = {
			outcome: text(form, 'outcome', { max: 40 }),
			feedback: text(form, 'feedback', long),
			nextSteps: text(form, 'nextSteps', long),
			assessorNote: text(form, 'assessorNote', long),
			criteria: Object.fromEntries(
				review.evidence.criteria.map((c, i) => [c.code, { met: text(form, workplaceField.criterionMet(i), { max: 20 }), feedback: text(form, workplaceField.criterionFeedback(i), long) }])
			),
			signedName: text(form, 'signedName', { max: 200 }),
			supersedes: text(form, 'supersedes', { max: 100 })
		};
		const signed = await signWorkplaceDecision(db, { id: user.id, displayName: user.displayName }, params.evidenceId, values);
		if (signed.ok) redirect(303, `/assess/workplace/${params.evidenceId}?signed=1`);
		if (signed.error.code === 'evidence.not-found') error(404, { message: NOT_FOUND });
		return fail(signed.error.code === 'decision.invalid' ? 400 : 409, { values, errors: signed.error.fields ?? {}, message: signed.error.message });
	},
	countersign: async (event) => {
		const db = getDb();
		const user = event.locals.user!;
		const review = await workplaceReview(db, user.id, event.params.evidenceId);
		if (!review) error(404, { message: NOT_FOUND });
		const form = await readForm(event.request);
		if (!form) error(413, { message: TOO_LONG });
		const values = { answer: text(form, 'answer', { max: 20 }), comment: text(form, 'countersignComment', { max: 5000 }), signedName: text(form, 'countersignName', { max: 200 }) };
		const answered = await countersignWorkplaceDecision(db, { id: user.id, displayName: user.displayName, ...requestContext(event) }, review.countersign?.decisionId ?? '', values);
		if (answered.ok) redirect(303, `/assess/workplace/${event.params.evidenceId}?countersigned=${answered.value.outcome}#countersign`);
		if (answered.error.code === 'evidence.not-found') error(404, { message: NOT_FOUND });
		return fail(answered.error.code === 'countersignature.invalid' ? 400 : 409, { countersign: { values, errors: answered.error.fields ?? {}, message: answered.error.message } });
	}
} satisfies Actions);

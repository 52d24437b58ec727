import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { readForm, text } from '$lib/form-data';
import { CRITERIA } from '$lib/criteria';
import { getDb } from '$lib/server/db';
import {
	LIMITS,
	OUTCOME_LABELS,
	QUEUE_STATE_LABELS,
	addComment,
	assessorReview,
	commentBank,
	countersignDecision,
	decisionValuesFromForm,
	saveDecisionDraft,
	signDecision,
	type DecisionValues
} from '$lib/server/assessment';
import { COVERAGE_LABELS, learnerCoverage } from '$lib/server/coverage';
import { REFLECTION_LABELS, REFLECTION_PARTS } from '$lib/server/reflections';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { requestContext } from '$lib/server/security/events';

const NOT_FOUND = 'There is no attempt at this address that you assess.';

export const load = withRole('assessor', (async ({ locals, params, url }) => {
	const db = getDb();
	const review = await assessorReview(db, locals.user!.id, params.attemptId);
	if (!review) error(404, { message: NOT_FOUND });
	const coverage = await learnerCoverage(db, review.learner.id);
	return {
		...review,
		you: locals.user!.displayName,
		bank: await commentBank(db, locals.user!.organisationId),
		coverage: coverage.map((row) => ({ code: row.code, title: row.title, state: row.state })),
		coverageLabels: COVERAGE_LABELS,
		outcomeLabels: OUTCOME_LABELS,
		stateLabels: QUEUE_STATE_LABELS,
		reflectionParts: REFLECTION_PARTS.map((key) => ({ key, label: REFLECTION_LABELS[key] })),
		criteriaChoices: CRITERIA.map((c) => ({ code: c.code, title: c.title })),
		limits: LIMITS,
		superseding: url.searchParams.has('supersede'),
		justSigned: url.searchParams.get('signed') === '1',
		justCountersigned: url.searchParams.get('countersigned')
	};
}) satisfies PageServerLoad);

/** The review (404 when it is not one of this assessor's) and the decision form's values as posted. */
async function posted(event: RequestEvent): Promise<{ values: DecisionValues; form: FormData }> {
	const db = getDb();
	const review = await assessorReview(db, event.locals.user!.id, event.params.attemptId);
	if (!review) error(404, { message: NOT_FOUND });
	const form = await readForm(event.request);
	if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten your feedback and try again.' });
	return { values: decisionValuesFromForm(form, review, await commentBank(db, event.locals.user!.organisationId)), form };
}

export const actions = actionsWithRole('assessor', {
	save: async (event) => {
		const { values } = await posted(event);
		const saved = await saveDecisionDraft(getDb(), event.locals.user!.id, event.params.attemptId, values);
		if (!saved.ok) error(404, { message: NOT_FOUND });
		return { values, savedAt: saved.value.savedAt };
	},
	sign: async (event) => {
		const { values } = await posted(event);
		const user = event.locals.user!;
		const signed = await signDecision(getDb(), { id: user.id, displayName: user.displayName }, event.params.attemptId, values);
		if (signed.ok) redirect(303, `/assess/attempts/${event.params.attemptId}?signed=1`);
		const { code, message, fields } = signed.error;
		if (code === 'attempt.not-found') error(404, { message: NOT_FOUND });
		return fail(code === 'decision.invalid' ? 400 : 409, { values, errors: fields ?? {}, message, refused: code !== 'decision.invalid' });
	},
	countersign: async (event) => {
		const db = getDb();
		const user = event.locals.user!;
		const review = await assessorReview(db, user.id, event.params.attemptId);
		if (!review) error(404, { message: NOT_FOUND });
		const form = await readForm(event.request);
		if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten your comment and try again.' });
		const values = { answer: text(form, 'answer', { max: 20 }), comment: text(form, 'countersignComment', { max: 5000 }), signedName: text(form, 'countersignName', { max: 200 }) };
		const decisionId = review.countersign?.decisionId ?? '';
		const answered = await countersignDecision(db, { id: user.id, displayName: user.displayName, ...requestContext(event) }, decisionId, values);
		if (answered.ok) redirect(303, `/assess/attempts/${event.params.attemptId}?countersigned=${answered.value.outcome}#countersign`);
		if (answered.error.code === 'attempt.not-found') error(404, { message: NOT_FOUND });
		return fail(answered.error.code === 'countersignature.invalid' ? 400 : 409, { countersign: { values, errors: answered.error.fields ?? {}, message: answered.error.message } });
	},
	comment: async (event) => {
		const { values, form } = await posted(event);
		const db = getDb();
		const user = event.locals.user!;
		// Keep the judgement being written: adding to the bank saves it as a draft first.
		await saveDecisionDraft(db, user.id, event.params.attemptId, values);
		const commentValues = { text: text(form, 'newComment', { max: 5000 }), criterion: text(form, 'newCommentCriterion', { max: 20 }) };
		const added = await addComment(db, user, commentValues);
		if (!added.ok) return fail(400, { values, commentValues, commentError: added.error.message, errors: {} as Record<string, string> });
		return { values, commentAdded: added.value.text };
	}
} satisfies Actions);

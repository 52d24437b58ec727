import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/db';
import { OUTCOME_LABELS, QUEUE_STATE_LABELS, assessedLearner, learnerAttemptsForAssessor } from '$lib/server/assessment';
import { COVERAGE_LABELS, learnerCoverage } from '$lib/server/coverage';
import { ukToday } from '$lib/dates';
import { readForm, text } from '$lib/form-data';
import { EVIDENCE_LIMITS, criteriaFromForm, mapTestimony, observationFromForm, observationsOf, recordObservation, recordTestimony, testimoniesOf, testimonyFromForm } from '$lib/server/other-evidence';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

const NOT_FOUND = 'There is no learner you assess at this address.';

export const load = withRole('assessor', (async ({ locals, params }) => {
	const db = getDb();
	const learner = await assessedLearner(db, locals.user!.id, params.learnerId);
	if (!learner) error(404, { message: NOT_FOUND });
	return {
		learner,
		attempts: await learnerAttemptsForAssessor(db, learner.id),
		coverage: (await learnerCoverage(db, learner.id)).map((row) => ({ code: row.code, title: row.title, state: row.state, signedBy: row.signedBy ?? null })),
		testimonies: await testimoniesOf(db, learner.id),
		observations: await observationsOf(db, learner.id),
		coverageLabels: COVERAGE_LABELS,
		outcomeLabels: OUTCOME_LABELS,
		stateLabels: QUEUE_STATE_LABELS,
		limits: EVIDENCE_LIMITS,
		today: ukToday(new Date())
	};
}) satisfies PageServerLoad);

async function read(event: RequestEvent) {
	const learner = await assessedLearner(getDb(), event.locals.user!.id, event.params.learnerId);
	if (!learner) error(404, { message: NOT_FOUND });
	const form = await readForm(event.request);
	if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten it and try again.' });
	return { learner, form };
}

export const actions = actionsWithRole('assessor', {
	testimony: async (event) => {
		const { learner, form } = await read(event);
		const values = testimonyFromForm(form);
		const recorded = await recordTestimony(getDb(), event.locals.user!.id, learner.id, values);
		if (!recorded.ok) return fail(400, { testimony: { values, errors: recorded.error.fields ?? {}, message: recorded.error.message } });
		return { done: `Witness testimony from ${recorded.value.witnessName} recorded. Map it to the criteria it evidences below.` };
	},
	map: async (event) => {
		const { form } = await read(event);
		const testimonyId = text(form, 'testimonyId', { max: 100 });
		const criteria = criteriaFromForm(form, 'criteria');
		const mapped = await mapTestimony(getDb(), event.locals.user!.id, testimonyId, criteria);
		if (!mapped.ok) {
			if (mapped.error.code === 'evidence.not-found') error(404, { message: 'That testimony was not found.' });
			return fail(400, { map: { testimonyId, criteria, error: mapped.error.fields?.criteria ?? mapped.error.message } });
		}
		return { done: mapped.value.criteria?.length ? `Testimony from ${mapped.value.witnessName} mapped to ${mapped.value.criteria.join(', ')}.` : `Testimony from ${mapped.value.witnessName} is not accepted as evidence for any criterion.` };
	},
	observation: async (event) => {
		const { learner, form } = await read(event);
		const values = observationFromForm(form);
		const recorded = await recordObservation(getDb(), event.locals.user!.id, learner.id, values);
		if (!recorded.ok) {
			if (recorded.error.code === 'evidence.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { observation: { values, errors: recorded.error.fields ?? {}, message: recorded.error.message } });
		}
		return { done: `Observation of ${recorded.value.observedOn} recorded and signed off against ${recorded.value.criteria.join(', ')}.` };
	}
} satisfies Actions);

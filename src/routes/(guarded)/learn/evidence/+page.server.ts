import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { EVIDENCE_LIMITS, criteriaFromForm, observationsOf, recordTestimony, testimoniesOf, ukToday } from '$lib/server/other-evidence';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('learner', (({ locals }) => {
	const db = getDb();
	return {
		testimonies: testimoniesOf(db, locals.user!.id),
		observations: observationsOf(db, locals.user!.id),
		limits: EVIDENCE_LIMITS,
		today: ukToday(new Date())
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('learner', {
	testimony: async ({ locals, request }) => {
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			error(413, { message: 'What you sent is far too long to be read. Shorten the statement and try again.' });
		}
		const str = (name: string, max = 20_000) => {
			const value = form.get(name);
			return typeof value === 'string' ? value.slice(0, max) : '';
		};
		const values = {
			witnessName: str('witnessName'),
			witnessRole: str('witnessRole'),
			relationship: str('relationship'),
			statement: str('statement'),
			witnessedOn: str('witnessedOn', 40),
			declaredCriteria: criteriaFromForm(form, 'declaredCriteria')
		};
		const recorded = recordTestimony(getDb(), locals.user!.id, locals.user!.id, values);
		if (!recorded.ok) return fail(400, { testimony: { values, errors: recorded.error.fields ?? {}, message: recorded.error.message } });
		return { done: `Witness testimony from ${recorded.value.witnessName} recorded. Your assessor will map it to the criteria it evidences.` };
	}
} satisfies Actions);

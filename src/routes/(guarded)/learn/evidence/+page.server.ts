import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { ukToday } from '$lib/dates';
import { readForm } from '$lib/form-data';
import { EVIDENCE_LIMITS, observationsOf, recordTestimony, testimoniesOf, testimonyFromForm } from '$lib/server/other-evidence';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { workplaceEvidenceList } from '$lib/server/workplace/learner-evidence';
import { workplaceStatuses } from '$lib/server/workplace/status';

export const load = withRole('learner', (async ({ locals }) => {
	const db = getDb();
	const items = await workplaceEvidenceList(db, locals.user!.id);
	const statuses = await workplaceStatuses(db, locals.user!.id, items);
	return {
		workplace: items.map((item) => ({
			id: item.id,
			title: item.title,
			state: item.state,
			criteria: item.criteria,
			files: item.files.filter((f) => f.state === 'stored').length,
			updatedAt: item.updatedAt,
			submittedAt: item.submittedAt,
			status: statuses.get(item.id)!
		})),
		testimonies: await testimoniesOf(db, locals.user!.id),
		observations: await observationsOf(db, locals.user!.id),
		limits: EVIDENCE_LIMITS,
		today: ukToday(new Date())
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('learner', {
	testimony: async ({ locals, request }) => {
		const form = await readForm(request);
		if (!form) error(413, { message: 'What you sent is far too long to be read. Shorten the statement and try again.' });
		const values = testimonyFromForm(form);
		const recorded = await recordTestimony(getDb(), locals.user!.id, locals.user!.id, values);
		if (!recorded.ok) return fail(400, { testimony: { values, errors: recorded.error.fields ?? {}, message: recorded.error.message } });
		return { done: `Witness testimony from ${recorded.value.witnessName} recorded. Your assessor will map it to the criteria it evidences.` };
	}
} satisfies Actions);

import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { file as fileOf, text as textOf } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { listCohorts } from '$lib/server/cohorts';
import { toCsv } from '$lib/server/csv';
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, importLearners } from '$lib/server/user-admin';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { requestContext } from '$lib/server/security/events';
import { oneTimePasswordLifetimeMs } from '$lib/server/auth/one-time-password';

export const load = withRole('admin', (async ({ locals }) => ({
	maxRows: IMPORT_MAX_ROWS,
	maxKb: IMPORT_MAX_BYTES / 1000,
	oneTimePasswordHours: oneTimePasswordLifetimeMs() / 3_600_000,
	cohorts: (await listCohorts(getDb(), locals.user!.organisationId))
		.filter((c) => !c.archived)
		.map((c) => c.name)
})) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	default: async ({ request, locals, getClientAddress, route }) => {
		const form = await postedForm(request);
		const file = fileOf(form, 'file');
		const pasted = textOf(form, 'csv', { max: IMPORT_MAX_BYTES + 1 });
		let text = pasted;
		if (file && file.size > 0) {
			if (file.size > IMPORT_MAX_BYTES) {
				return fail(400, { csv: '', report: null, passwords: null, error: `The file is larger than ${IMPORT_MAX_BYTES / 1000} KB: split it into smaller files.` });
			}
			text = await file.text();
		}
		if (text.trim() === '') return fail(400, { csv: '', report: null, passwords: null, error: 'Choose a CSV file or paste its rows.' });
		const by = { id: locals.user!.id, ...requestContext({ getClientAddress, route, locals }) };
		const report = await importLearners(getDb(), locals.user!.organisationId, text, by);
		const passwords = report.imported.length === 0 ? null : toCsv([['email', 'name', 'cohort', 'one-time password'], ...report.imported.map((a) => [a.email, a.displayName, a.cohort, a.oneTimePassword])]);
		// Keep what was pasted only when nothing was imported, so a corrected paste cannot import a row twice.
		const csv = report.imported.length === 0 ? pasted.slice(0, IMPORT_MAX_BYTES) : '';
		if (report.imported.length === 0) return fail(400, { csv, report, passwords, error: null });
		return { csv, report, passwords, error: null };
	}
} satisfies Actions);

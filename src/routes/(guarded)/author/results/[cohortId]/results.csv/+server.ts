import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { cohortResults, resultsCsv } from '$lib/server/results';

export const GET: RequestHandler = withRole('tutor', ({ locals, params }) => {
	const results = cohortResults(getDb(), locals.user!.organisationId, params.cohortId);
	if (!results) error(404, { message: 'That cohort was not found.' });
	const file = `results-${results.cohort.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cohort'}.csv`;
	return new Response(resultsCsv(results), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${file}"`,
			'Cache-Control': 'no-store'
		}
	});
});

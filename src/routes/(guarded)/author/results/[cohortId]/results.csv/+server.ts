import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { cohortResults, resultsCsv } from '$lib/server/results';
import { actorOf, recordActorEvent } from '$lib/server/security/events';

export const GET: RequestHandler = withRole('tutor', async (event) => {
	const { locals, params } = event;
	const db = getDb();
	const results = await cohortResults(db, locals.user!.organisationId, params.cohortId);
	if (!results) error(404, { message: 'That cohort was not found.' });
	// Learners' names and results leave the system: who took them, and which cohort (ASVS 5.0 §16.3).
	await recordActorEvent(db, actorOf(event), { type: 'export.results-csv', userId: locals.user!.id, detail: { cohortId: params.cohortId } });
	const file = `results-${results.cohort.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cohort'}.csv`;
	return new Response(resultsCsv(results), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${file}"`,
			'Cache-Control': 'no-store'
		}
	});
});

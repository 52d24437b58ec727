import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { withRole } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { exportSource } from '$lib/server/authoring';
import { actorOf, recordActorEvent } from '$lib/server/security/events';

/** The YAML of a version (?version=<id>), the current one (no version) or the draft (?version=draft), as a download. */
export const GET: RequestHandler = withRole('tutor', async (event) => {
	const { locals, params, url } = event;
	const db = getDb();
	const which = (url.searchParams.get('version') ?? '').slice(0, 200);
	const file = await exportSource(db, locals.user!, params.scenarioId, which);
	if (!file) error(404, { message: 'That scenario or version was not found.' });
	await recordActorEvent(db, actorOf(event), { type: 'export.scenario', userId: locals.user!.id, detail: { scenarioId: params.scenarioId, version: which || 'current' } });
	return new Response(file.source, {
		headers: {
			'Content-Type': 'text/yaml; charset=utf-8',
			'Content-Disposition': `attachment; filename="${file.fileName}"`,
			'Cache-Control': 'no-store'
		}
	});
});

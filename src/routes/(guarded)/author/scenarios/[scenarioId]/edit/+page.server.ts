import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { centreDraft, dialogueGraph, libraryEntry, markingPointsOf, MAX_SOURCE_BYTES, publishDraft, saveDraft, validateDraft } from '$lib/server/authoring';
import { criterionByCode } from '$lib/criteria';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

const NOT_FOUND = 'That scenario was not found. Built-in scenarios are edited in their files: duplicate one to edit a copy.';

/** The parts of the editor's page that follow from a source: the problems, the dialogue graph and the marking points. */
function structure(scenarioId: string, source: string) {
	return {
		errors: validateDraft(scenarioId, source),
		graph: dialogueGraph(source) ?? null,
		points: markingPointsOf(source).map((p) => ({ ...p, criteria: p.criteria.map((code) => ({ code, title: criterionByCode(code)?.title ?? 'Unknown criterion' })) }))
	};
}

export const load = withRole('tutor', (({ locals, params, url }) => {
	const db = getDb();
	const draft = centreDraft(db, locals.user!, params.scenarioId);
	const entry = draft && libraryEntry(db, locals.user!, params.scenarioId);
	if (!draft || !entry) error(404, { message: NOT_FOUND });
	return {
		scenarioId: draft.scenarioId,
		title: entry.title,
		state: entry.state,
		unpublishedChanges: entry.unpublishedChanges,
		current: entry.versions.find((v) => v.current)?.version ?? null,
		source: draft.draftSource,
		updatedAt: draft.updatedAt,
		created: url.searchParams.has('created'),
		imported: url.searchParams.has('imported'),
		maxBytes: MAX_SOURCE_BYTES,
		...structure(draft.scenarioId, draft.draftSource)
	};
}) satisfies PageServerLoad);

/** The typed source, whole: nothing a tutor typed is cut off (a source over the limit is refused, and sent back). */
async function sourceOf(request: Request): Promise<string> {
	const value = (await request.formData()).get('source');
	return typeof value === 'string' ? value.replace(/\r\n/g, '\n') : '';
}

export const actions = actionsWithRole('tutor', {
	save: async ({ request, locals, params }) => {
		const source = await sourceOf(request);
		const saved = saveDraft(getDb(), locals.user!, params.scenarioId, source);
		if (!saved.ok) {
			if (saved.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { kind: 'save' as const, values: { source }, message: saved.error.message, errors: validateDraft(params.scenarioId, source) });
		}
		return { kind: 'save' as const, saved: true, values: { source } };
	},
	check: async ({ request, locals, params }) => {
		const source = await sourceOf(request);
		if (!centreDraft(getDb(), locals.user!, params.scenarioId)) error(404, { message: NOT_FOUND });
		return { kind: 'check' as const, ...structure(params.scenarioId, source) };
	},
	publish: async ({ request, locals, params }) => {
		const db = getDb();
		const source = await sourceOf(request);
		// What is on the screen is what is published: save it first (kept even if it cannot be published).
		const saved = saveDraft(db, locals.user!, params.scenarioId, source);
		if (!saved.ok) {
			if (saved.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { kind: 'publish' as const, values: { source }, message: saved.error.message, errors: validateDraft(params.scenarioId, source) });
		}
		const published = publishDraft(db, locals.user!, params.scenarioId);
		if (!published.ok) return fail(400, { kind: 'publish' as const, values: { source }, message: published.error.message, errors: published.error.errors ?? [] });
		redirect(303, `/author/scenarios/${params.scenarioId}?published=${encodeURIComponent(published.value.version)}`);
	}
} satisfies Actions);

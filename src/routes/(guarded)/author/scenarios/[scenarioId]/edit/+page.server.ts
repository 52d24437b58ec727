import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { file as fileOf, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { centreDraft, draftView, libraryEntry, MAX_SOURCE_BYTES, publishDraft, saveDraft, validateDraft } from '$lib/server/authoring';
import type { GraphQuery } from '$lib/sim/scenario-source';
import { criterionByCode } from '$lib/criteria';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

const NOT_FOUND = 'That scenario was not found. Built-in scenarios are edited in their files: duplicate one to edit a copy.';

/**
 * A draft larger than this is not put in the page: the editor fetches it from the export route,
 * so a 250 kB draft is not sent twice (in the textarea and in the page's data).
 */
const INLINE_SOURCE_BYTES = 64 * 1024;

/** Which page of the dialogue to show, from the query string (or a live check's form). */
function graphQuery(params: { get(name: string): unknown }): GraphQuery {
	const node = params.get('node');
	return {
		filter: params.get('nodes') === 'problems' ? 'problems' : 'all',
		page: Number(params.get('page')) || 1,
		...(typeof node === 'string' && node !== '' ? { node: node.slice(0, 200) } : {})
	};
}

/** The parts of the editor's page that follow from a source: the problems, one page of the dialogue and the marking points. */
async function structure(scenarioId: string, source: string, query: GraphQuery) {
	const view = await draftView(scenarioId, source, query);
	return {
		errors: view.errors,
		graph: view.graph,
		passMark: view.passMark,
		points: view.points.map((p) => ({ ...p, criteria: p.criteria.map((code) => ({ code, title: criterionByCode(code)?.title ?? 'Unknown criterion' })) }))
	};
}

export const load = withRole('tutor', (async ({ locals, params, url }) => {
	const db = getDb();
	const draft = await centreDraft(db, locals.user!, params.scenarioId);
	const entry = draft && await libraryEntry(db, locals.user!, params.scenarioId);
	if (!draft || !entry) error(404, { message: NOT_FOUND });
	return {
		scenarioId: draft.scenarioId,
		title: entry.title,
		state: entry.state,
		unpublishedChanges: entry.unpublishedChanges,
		current: entry.versions.find((v) => v.current)?.version ?? null,
		source: Buffer.byteLength(draft.draftSource, 'utf8') > INLINE_SOURCE_BYTES ? null : draft.draftSource,
		updatedAt: draft.updatedAt,
		created: url.searchParams.has('created'),
		imported: url.searchParams.has('imported'),
		maxBytes: MAX_SOURCE_BYTES,
		...(await structure(draft.scenarioId, draft.draftSource, graphQuery(url.searchParams)))
	};
}) satisfies PageServerLoad);

/**
 * The typed source, whole: nothing a tutor typed is cut off (a source over the limit is refused, and
 * sent back). Null when the form has no source at all (a large draft's editor posted before it loaded):
 * saving that would empty the draft.
 */
async function sourceOf(request: Request): Promise<{ source: string | null; form: FormData }> {
	const form = await postedForm(request);
	// A file posted as the source is no source either.
	return { source: form.has('source') && !fileOf(form, 'source') ? text(form, 'source', { max: Number.MAX_SAFE_INTEGER }).replace(/\r\n/g, '\n') : null, form };
}

const NO_SOURCE = 'The draft was not sent (the editor had not finished loading it), so nothing was changed. Wait for the draft to appear and try again.';

export const actions = actionsWithRole('tutor', {
	save: async ({ request, locals, params }) => {
		const { source } = await sourceOf(request);
		if (source === null) return fail(400, { kind: 'save' as const, message: NO_SOURCE, errors: [] });
		const saved = await saveDraft(getDb(), locals.user!, params.scenarioId, source);
		if (!saved.ok) {
			if (saved.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { kind: 'save' as const, values: { source }, message: saved.error.message, errors: await validateDraft(params.scenarioId, source) });
		}
		return { kind: 'save' as const, saved: true, values: { source } };
	},
	/** The saved draft, for the editor of a draft too large to put in the page. */
	draft: async ({ locals, params }) => {
		const draft = await centreDraft(getDb(), locals.user!, params.scenarioId);
		if (!draft) error(404, { message: NOT_FOUND });
		return { kind: 'draft' as const, source: draft.draftSource };
	},
	check: async ({ request, locals, params }) => {
		const { source, form } = await sourceOf(request);
		if (!await centreDraft(getDb(), locals.user!, params.scenarioId)) error(404, { message: NOT_FOUND });
		return { kind: 'check' as const, ...(await structure(params.scenarioId, source ?? '', graphQuery(form))) };
	},
	publish: async ({ request, locals, params }) => {
		const db = getDb();
		const { source } = await sourceOf(request);
		if (source === null) return fail(400, { kind: 'publish' as const, message: NO_SOURCE, errors: [] });
		// What is on the screen is what is published: save it first (kept even if it cannot be published).
		const saved = await saveDraft(db, locals.user!, params.scenarioId, source);
		if (!saved.ok) {
			if (saved.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { kind: 'publish' as const, values: { source }, message: saved.error.message, errors: await validateDraft(params.scenarioId, source) });
		}
		const published = await publishDraft(db, locals.user!, params.scenarioId);
		if (!published.ok) return fail(400, { kind: 'publish' as const, values: { source }, message: published.error.message, errors: published.error.errors ?? [] });
		redirect(303, `/author/scenarios/${params.scenarioId}?published=${encodeURIComponent(published.value.version)}`);
	}
} satisfies Actions);

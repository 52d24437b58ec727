import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { libraryEntry } from '$lib/server/authoring';
import { dialoguePage, editDialogue } from '$lib/server/dialogue-authoring';
import { NEW_EVENT, NEW_NODE, type ChoiceFields, type DialogueEdit } from '$lib/sim/dialogue-edit';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

const NOT_FOUND = 'That scenario was not found. Built-in scenarios are edited in their files: duplicate one to edit a copy.';

export const load = withRole('tutor', (async ({ locals, params, url }) => {
	const db = getDb();
	const page = Number(url.searchParams.get('page'));
	const shown = await dialoguePage(db, locals.user!, params.scenarioId, {
		...(url.searchParams.get('node') ? { node: url.searchParams.get('node')!.slice(0, 200) } : {}),
		...(url.searchParams.get('q') ? { search: url.searchParams.get('q')!.slice(0, 200) } : {}),
		...(Number.isInteger(page) && page > 0 ? { page } : {})
	});
	const entry = shown && await libraryEntry(db, locals.user!, params.scenarioId);
	if (!shown || !entry) error(404, { message: NOT_FOUND });
	return {
		scenarioId: shown.draft.scenarioId,
		title: entry.title,
		updatedAt: shown.draft.updatedAt,
		saved: url.searchParams.get('saved')?.slice(0, 100) ?? null,
		...shown.view
	};
}) satisfies PageServerLoad);

/** The fields of a choice's form, as posted (kept whole, to show back when refused). */
function choiceFields(form: FormData): ChoiceFields & Record<string, unknown> {
	const event = text(form, 'event', { max: 200 });
	const fields: ChoiceFields = {
		label: text(form, 'label', { max: 5_000 }),
		goto: text(form, 'newNode') === 'on' ? NEW_NODE : text(form, 'goto', { max: 200, trim: true }),
		quality: text(form, 'quality', { max: 40 }),
		point: text(form, 'point', { max: 200 }),
		comment: text(form, 'comment', { max: 5_000 }),
		event,
		...(event === NEW_EVENT ? { newEvent: { name: text(form, 'eventName', { max: 200 }), description: text(form, 'eventDescription', { max: 5_000 }) } } : {})
	};
	return { ...fields, eventName: text(form, 'eventName', { max: 200 }), eventDescription: text(form, 'eventDescription', { max: 5_000 }) };
}

/** Runs one edit posted by the form `key`; a saved edit comes back to the page at the node it names, with `?saved=key`. */
async function edit(event: { request: Request; locals: App.Locals; params: { scenarioId: string } }, make: (form: FormData) => { edit: DialogueEdit; values: Record<string, unknown> }) {
	const form = await postedForm(event.request);
	const key = text(form, 'form', { max: 100 });
	const { edit, values } = make(form);
	const done = await editDialogue(getDb(), event.locals.user!, event.params.scenarioId, edit, text(form, 'updatedAt', { max: 100 }));
	if (!done.ok) {
		if (done.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
		const stale = done.error.code === 'draft.stale';
		return fail(400, { form: key, node: edit.node, message: done.error.message, field: done.error.field ?? null, stale, values: stale ? null : values });
	}
	redirect(303, `/author/scenarios/${event.params.scenarioId}/dialogue?node=${encodeURIComponent(done.value.node)}&saved=${encodeURIComponent(key)}`);
}

const nodeOf = (form: FormData) => text(form, 'node', { max: 200 });

export const actions = actionsWithRole('tutor', {
	node: async (event) =>
		edit(event, (form) => {
			const values = { speaker: text(form, 'speaker', { max: 200 }), text: text(form, 'text', { max: 5_000 }), end: text(form, 'end') === 'on' };
			return { edit: { kind: 'node', node: nodeOf(form), ...values }, values };
		}),
	choice: async (event) =>
		edit(event, (form) => {
			const values = choiceFields(form);
			return { edit: { kind: 'choice', node: nodeOf(form), choice: text(form, 'choice', { max: 200 }), ...values }, values };
		}),
	addChoice: async (event) =>
		edit(event, (form) => {
			const values = choiceFields(form);
			return { edit: { kind: 'add-choice', node: nodeOf(form), ...values }, values };
		}),
	removeChoice: async (event) =>
		edit(event, (form) => ({ edit: { kind: 'remove-choice', node: nodeOf(form), choice: text(form, 'choice', { max: 200 }) }, values: choiceFields(form) })),
	removeNode: async (event) => edit(event, (form) => ({ edit: { kind: 'remove-node', node: nodeOf(form) }, values: {} })),
	start: async (event) => edit(event, (form) => ({ edit: { kind: 'start', node: nodeOf(form) }, values: {} }))
} satisfies Actions);

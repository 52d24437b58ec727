import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { all, checkbox, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { centreDraft, publishDraft, STALE_DRAFT_MESSAGE } from '$lib/server/authoring';
import { formEditorPage, saveFormEdit } from '$lib/server/form-editor';
import { MAX_BRIEF, MAX_TEXT, type FormEdit } from '$lib/sim/scenario-form';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

const NOT_FOUND = 'That scenario was not found. Built-in scenarios are edited in their files: duplicate one to edit a copy.';

export const load = withRole('tutor', (async ({ locals, params, url }) => {
	const page = await formEditorPage(getDb(), locals.user!, params.scenarioId);
	if (!page) error(404, { message: NOT_FOUND });
	return {
		scenarioId: page.draft.scenarioId,
		title: page.entry.title,
		state: page.entry.state,
		unpublishedChanges: page.entry.unpublishedChanges,
		updatedAt: page.draft.updatedAt,
		created: url.searchParams.has('created'),
		view: page.view,
		unreadable: page.unreadable,
		problems: page.problems
	};
}) satisfies PageServerLoad);

/** Text as typed (line breaks as \n), a little over the form's limit so that the refusal can say how long it was. */
const typed = (form: FormData, name: string, max = MAX_TEXT) => text(form, name, { max: max + 1 }).replace(/\r\n/g, '\n');

/**
 * Reads a section's form, applies its edit and saves the draft. `section` names the form on the page
 * (its status message shows beside it); `values` are what was typed, drawn again when it is refused.
 */
async function save(event: RequestEvent, read: (form: FormData) => { section: string; edit: FormEdit; values?: Record<string, unknown>; done?: string }) {
	const form = await postedForm(event.request);
	const { section, edit, values, done } = read(form);
	const result = await saveFormEdit(getDb(), event.locals.user!, event.params.scenarioId, edit, text(form, 'updatedAt', { max: 40 }));
	if (!result.ok) {
		if (result.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
		// A stale form is not drawn again: the page shows the draft as it is now.
		if (result.error.code === 'draft.stale') return fail(409, { section, stale: true, field: 'form', message: STALE_DRAFT_MESSAGE, values: undefined });
		return fail(400, { section, stale: false, field: result.error.field ?? 'form', message: result.error.message, values });
	}
	// A removal reports in its list: the removed item's own form is gone.
	return { section: done ?? section, saved: true as const };
}

const key = (form: FormData) => text(form, 'key', { max: 100 });

export const actions = actionsWithRole('tutor', {
	details: (event) =>
		save(event, (form) => {
			const values = {
				title: typed(form, 'title', 200),
				difficulty: text(form, 'difficulty', { max: 40 }),
				criteria: all(form, 'criteria', { max: 20 }),
				brief: typed(form, 'brief', MAX_BRIEF),
				passMark: text(form, 'passMark', { max: 20 })
			};
			return { section: 'details', edit: { kind: 'details', ...values }, values };
		}),
	persona: (event) =>
		save(event, (form) => {
			const values = {
				name: typed(form, 'name', 200),
				role: typed(form, 'role', 200),
				partyType: text(form, 'partyType', { max: 60 }),
				channel: text(form, 'channel', { max: 60 }),
				customer: text(form, 'customer', { max: 100 }),
				description: typed(form, 'description')
			};
			return { section: `persona-${key(form)}`, edit: { kind: 'persona', key: key(form), ...values }, values };
		}),
	addPersona: (event) =>
		save(event, (form) => {
			const values = { name: typed(form, 'name', 200) };
			return { section: 'add-persona', edit: { kind: 'add-persona', ...values }, values };
		}),
	removePersona: (event) => save(event, (form) => ({ section: `persona-${key(form)}`, done: 'people', edit: { kind: 'remove-persona', key: key(form) } })),
	customer: (event) =>
		save(event, (form) => {
			const values: Record<string, string> = {};
			for (const name of all(form, 'fieldName', { max: 64, count: 100 })) values[name] = typed(form, `value-${name}`, 200);
			const record = { reference: text(form, 'reference', { max: 100 }), since: text(form, 'since', { max: 60 }) };
			return { section: `customer-${key(form)}`, edit: { kind: 'customer', key: key(form), ...record, values }, values: { ...record, values } };
		}),
	addField: (event) =>
		save(event, (form) => {
			const values = { field: text(form, 'field', { max: 64 }), value: typed(form, 'value', 200) };
			return { section: `customer-${key(form)}`, edit: { kind: 'add-field', key: key(form), ...values }, values };
		}),
	removeField: (event) => save(event, (form) => ({ section: `customer-${key(form)}`, edit: { kind: 'remove-field', key: key(form), field: text(form, 'field', { max: 64 }) } })),
	addCustomer: (event) => save(event, () => ({ section: 'customers', edit: { kind: 'add-customer' } })),
	point: (event) =>
		save(event, (form) => {
			const values = {
				description: typed(form, 'description'),
				criteria: all(form, 'criteria', { max: 20 }),
				weight: text(form, 'weight', { max: 20 }),
				critical: checkbox(form, 'critical'),
				met: typed(form, 'met'),
				notMet: typed(form, 'notMet'),
				...(form.has('ruleKind') ? { ruleKind: text(form, 'ruleKind', { max: 20 }), ruleEvent: text(form, 'ruleEvent', { max: 200 }) } : {})
			};
			return { section: `point-${key(form)}`, edit: { kind: 'point', id: key(form), ...values }, values };
		}),
	addPoint: (event) =>
		save(event, (form) => {
			const values = { description: typed(form, 'description') };
			return { section: 'add-point', edit: { kind: 'add-point', ...values }, values };
		}),
	removePoint: (event) => save(event, (form) => ({ section: `point-${key(form)}`, done: 'points', edit: { kind: 'remove-point', id: key(form) } })),
	publish: async ({ locals, params }) => {
		if (!await centreDraft(getDb(), locals.user!, params.scenarioId)) error(404, { message: NOT_FOUND });
		const published = await publishDraft(getDb(), locals.user!, params.scenarioId);
		if (!published.ok) {
			if (published.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
			return fail(400, { section: 'publish', stale: false, field: 'form', message: published.error.message, values: undefined });
		}
		redirect(303, `/author/scenarios/${params.scenarioId}?published=${encodeURIComponent(published.value.version)}`);
	}
} satisfies Actions);

import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { optional, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { ACTION_LABELS, TRIGGER_LABELS, deleteRetentionRule, retentionRulesOf, saveRetentionRule } from '$lib/server/organisation';
import { withRole, actionsWithRole } from '$lib/server/auth/access';

export const load = withRole('admin', (async ({ locals, url }) => {
	const rules = await retentionRulesOf(getDb(), locals.user!.organisationId);
	const editId = url.searchParams.get('edit');
	const editing = editId === null ? null : (rules.find((r) => r.id === editId) ?? null);
	if (editId !== null && !editing) error(404, { message: 'That retention rule was not found.' });
	return { rules, editing, triggers: TRIGGER_LABELS, actions: ACTION_LABELS };
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	save: async ({ request, locals }) => {
		const form = await postedForm(request);
		const ruleId = optional(form, 'ruleId', { max: 100 });
		const values = {
			code: text(form, 'code'),
			description: text(form, 'description', { max: 2000 }),
			periodMonths: text(form, 'periodMonths', { max: 50 }),
			trigger: text(form, 'trigger', { max: 50 }),
			action: text(form, 'action', { max: 50 }),
			authority: text(form, 'authority', { max: 2000 })
		};
		const result = await saveRetentionRule(getDb(), locals.user!.organisationId, ruleId, values as Parameters<typeof saveRetentionRule>[3]);
		if (!result.ok) return fail(400, { ruleId, values, errors: result.errors as Partial<Record<string, string>>, message: null });
		return { ruleId: null, values: null, errors: null, message: `The rule “${result.rule.code}” is saved. New attempt workspaces get it.` };
	},
	delete: async ({ request, locals }) => {
		const form = await postedForm(request);
		const removed = await deleteRetentionRule(getDb(), locals.user!.organisationId, text(form, 'ruleId', { max: 100 }));
		if (!removed) return fail(400, { ruleId: null, values: null, errors: { form: 'That rule was not found: it may already have been deleted.' } as Partial<Record<string, string>>, message: null });
		return { ruleId: null, values: null, errors: null, message: 'The rule is deleted. Workspaces already made keep it.' };
	}
} satisfies Actions);

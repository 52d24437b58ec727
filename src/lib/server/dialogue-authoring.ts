/**
 * The dialogue page of a centre draft: what it shows (sim/dialogue-view.ts) and the edits its forms
 * make (sim/dialogue-edit.ts), both worked out in a worker (workers/scenario-checks.ts) and saved
 * with saveDraft, refused when the draft changed since the form was drawn ('draft.stale').
 */
import type { Db } from '$lib/core/database';
import type { DialogueEdit } from '$lib/sim/dialogue-edit';
import type { DialogueQuery, DialogueView } from '$lib/sim/dialogue-view';
import { draftFile } from '$lib/sim/scenario-source';
import { runScenarioJob } from '$lib/server/workers/scenario-checks';
import { centreDraft, saveDraft, STALE_DRAFT_MESSAGE, type Author, type AuthoringResult } from '$lib/server/authoring';
import type { CentreScenario } from '$lib/server/db/authoring';

export interface DialoguePage {
	draft: CentreScenario;
	view: DialogueView;
}

/** The draft and what the dialogue page shows of it; undefined for a built-in, unknown or other centre's scenario. */
export async function dialoguePage(db: Db, author: Author, scenarioId: string, query: DialogueQuery): Promise<DialoguePage | undefined> {
	const draft = await centreDraft(db, author, scenarioId);
	if (!draft) return undefined;
	const run = await runScenarioJob('dialogueView', { scenarioId, source: draft.draftSource, query });
	const view: DialogueView = run.ok
		? run.value
		: {
				errors: [{ file: draftFile(scenarioId), path: '(root)', message: run.error.message }],
				drawing: null,
				total: 0,
				withProblems: 0,
				list: { search: '', page: 1, pages: 1, matching: 0, nodes: [] },
				selected: null,
				personas: [],
				events: [],
				points: [],
				targets: null
			};
	return { draft, view };
}

/**
 * Applies one edit of the dialogue page to the saved draft and saves it. `expectedUpdatedAt` is the
 * draft's `updatedAt` the form was drawn from: a draft changed since is left alone ('draft.stale').
 * The value is the node to show next (the edited one, or a neighbour of a removed one).
 */
export async function editDialogue(db: Db, author: Author, scenarioId: string, edit: DialogueEdit, expectedUpdatedAt: string): Promise<AuthoringResult<{ node: string }>> {
	const draft = await centreDraft(db, author, scenarioId);
	if (!draft) return { ok: false, error: { code: 'scenario.not-found', message: 'That scenario was not found.' } };
	if (draft.updatedAt !== expectedUpdatedAt) return { ok: false, error: { code: 'draft.stale', message: STALE_DRAFT_MESSAGE } };
	const run = await runScenarioJob('dialogueEdit', { source: draft.draftSource, edit });
	if (!run.ok) return { ok: false, error: { code: run.error.code, message: run.error.message } };
	if (!run.value.ok) return { ok: false, error: run.value.error };
	const saved = await saveDraft(db, author, scenarioId, run.value.source, new Date(), draft.updatedAt);
	if (!saved.ok) return saved;
	return { ok: true, value: { node: run.value.node } };
}

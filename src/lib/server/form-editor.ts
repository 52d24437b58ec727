/**
 * The form editor of a centre scenario's draft (issue 16): what its forms show, and each form's
 * edit saved as YAML. The text is read and edited in a worker (sim/scenario-form.ts through
 * workers/scenario-jobs.ts), never on the event loop; the edited text is saved with saveDraft,
 * refused as 'draft.stale' when the draft changed after the form was drawn.
 */
import type { Db } from '$lib/core/database';
import type { ScenarioError } from '$lib/sim/scenario-check';
import { problemPlace, type FormEdit, type FormView, type ProblemPlace } from '$lib/sim/scenario-form';
import { runScenarioJob } from '$lib/server/workers/scenario-checks';
import { centreDraft, libraryEntry, saveDraft, STALE_DRAFT_MESSAGE, type Author, type AuthoringResult, type LibraryEntry } from '$lib/server/authoring';
import type { CentreScenario } from '$lib/server/db/authoring';

export interface FormProblem {
	message: string;
	path: string;
	line?: number;
	place: ProblemPlace;
}

export interface FormEditorPage {
	draft: CentreScenario;
	entry: LibraryEntry;
	/** Null when the YAML cannot be read (then `unreadable` says so). */
	view: FormView | null;
	unreadable: string | null;
	problems: FormProblem[];
}

/** The form editor's page of a draft, or undefined for a built-in, unknown or another centre's scenario. */
export async function formEditorPage(db: Db, author: Author, scenarioId: string): Promise<FormEditorPage | undefined> {
	const draft = await centreDraft(db, author, scenarioId);
	const entry = draft && await libraryEntry(db, author, scenarioId);
	if (!draft || !entry) return undefined;
	const run = await runScenarioJob('formView', { scenarioId, source: draft.draftSource });
	if (!run.ok) return { draft, entry, view: null, unreadable: run.error.message, problems: [] };
	const view = run.value.form.ok ? run.value.form.view : null;
	return {
		draft,
		entry,
		view,
		unreadable: run.value.form.ok ? null : run.value.form.message,
		problems: run.value.errors.map((e: ScenarioError) => ({ message: e.message, path: e.path, ...(e.line === undefined ? {} : { line: e.line }), place: problemPlace(e.path, view) }))
	};
}

/**
 * Applies one form's edit to the saved draft and saves it. Refused, with the field and the reason
 * and nothing saved: invalid input ('invalid'), a draft changed since `expectedUpdatedAt`
 * ('draft.stale'), a draft grown over the size limit ('draft.too-large').
 */
export async function saveFormEdit(db: Db, author: Author, scenarioId: string, edit: FormEdit, expectedUpdatedAt: string, now = new Date()): Promise<AuthoringResult<CentreScenario>> {
	const draft = await centreDraft(db, author, scenarioId);
	if (!draft) return { ok: false, error: { code: 'scenario.not-found', message: 'That scenario was not found.' } };
	if (draft.updatedAt !== expectedUpdatedAt) return { ok: false, error: { code: 'draft.stale', message: STALE_DRAFT_MESSAGE } };
	const run = await runScenarioJob('applyFormEdit', { source: draft.draftSource, edit });
	if (!run.ok) return { ok: false, error: { code: 'draft.not-edited', message: run.error.message, field: 'form' } };
	if (!run.value.ok) return { ok: false, error: { code: 'invalid', message: run.value.message, field: run.value.field } };
	// The save checks the time again, in its own statement: an edit that raced this one is not overwritten.
	return await saveDraft(db, author, scenarioId, run.value.source, now, expectedUpdatedAt);
}

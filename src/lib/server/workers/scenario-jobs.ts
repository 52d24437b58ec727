/**
 * The scenario checks that run in a worker thread (see pool.ts for how this module is found and
 * started). Reach it only through scenario-checks.ts, which imports it dynamically: a static
 * import would fold it into another chunk and its URL would no longer start a worker.
 */
import { checkSource, declaredId, draftFile, inspectDraft, type GraphQuery } from '../../sim/scenario-source';
import { applyFormEdit, formView, type FormEdit } from '../../sim/scenario-form';
import { applyDialogueEdit, type DialogueEdit } from '../../sim/dialogue-edit';
import { dialogueView, type DialogueQuery } from '../../sim/dialogue-view';
import { serveJobs } from './pool';

export const SCENARIO_JOBS_URL = import.meta.url;

export const scenarioJobs = {
	checkSource: async (input: { file: string; source: string }) => await checkSource(input.file, input.source),
	/** An upload's problems and the id it declares (an import needs the id even when the file has problems). */
	checkImport: async (input: { file: string; source: string }) => {
		const checked = await checkSource(input.file, input.source);
		return { errors: checked.ok ? [] : checked.errors, declaredId: declaredId(input.source) };
	},
	inspectDraft: async (input: { scenarioId: string; source: string; query: GraphQuery }) => await inspectDraft(input.scenarioId, input.source, input.query),
	// The form editor (sim/scenario-form.ts): what its forms show, with the draft's problems; and one edit of the draft.
	formView: async (input: { scenarioId: string; source: string }) => {
		const checked = await checkSource(draftFile(input.scenarioId), input.source);
		return { form: formView(input.source), errors: checked.ok ? [] : checked.errors };
	},
	applyFormEdit: (input: { source: string; edit: FormEdit }) => applyFormEdit(input.source, input.edit),
	/** The dialogue page: the graph laid out, the node list and the selected node (dialogue-view.ts). */
	dialogueView: async (input: { scenarioId: string; source: string; query: DialogueQuery }) => await dialogueView(input.scenarioId, input.source, input.query),
	/** One edit of the dialogue page's forms, written into the YAML (dialogue-edit.ts). */
	dialogueEdit: (input: { source: string; edit: DialogueEdit }) => applyDialogueEdit(input.source, input.edit)
};

serveJobs(import.meta.url, scenarioJobs);

import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { getDb } from '$lib/server/db';
import { all, checkbox, readForm, text } from '$lib/form-data';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { ALLOWED_DESCRIPTION, kindOfMediaType, UPLOAD_KINDS } from '$lib/server/uploads/kinds';
import { sizeInWords } from '$lib/server/uploads/receive';
import { uploadLimits } from '$lib/server/uploads/storage';
import {
	AUTHENTICITY_DECLARATION,
	removeEvidenceFile,
	saveWorkplaceEvidence,
	STAR_PARTS,
	submitWorkplaceEvidence,
	WORKPLACE_LIMITS,
	workplaceEvidenceOf,
	type WorkplaceEvidenceFields,
	type WorkplaceResult
} from '$lib/server/workplace/learner-evidence';

import { criterionByCode } from '$lib/criteria';
import { OUTCOME_LABELS } from '$lib/server/assessment/decisions';
import { workplaceDecisionsForLearner } from '$lib/server/workplace/decisions';
import { workplaceStatuses } from '$lib/server/workplace/status';

const NOT_FOUND = 'There is no evidence of yours at this address.';

export const load = withRole('learner', (async ({ locals, params, url }) => {
	const item = await workplaceEvidenceOf(getDb(), locals.user!, params.evidenceId);
	if (!item) error(404, { message: NOT_FOUND });
	const limits = uploadLimits();
	const db = getDb();
	// What the learner reads of each decision: never the assessor's note, nor the comment a countersigner left for the trainee.
	const decisions = (await workplaceDecisionsForLearner(db, locals.user!.id, item.id)).map(({ countersignature, criteria, ...d }) => ({
		...d,
		outcomeLabel: OUTCOME_LABELS[d.outcome],
		criteria: criteria.map((c) => ({ ...c, title: criterionByCode(c.code)?.title ?? '' })),
		countersignature: countersignature && { outcome: countersignature.outcome, signedName: countersignature.signedName, signedAt: countersignature.signedAt }
	}));
	return {
		status: (await workplaceStatuses(db, locals.user!.id, [item])).get(item.id)!,
		decisions,
		evidence: {
			id: item.id,
			title: item.title,
			state: item.state,
			values: { title: item.title, situation: item.situation, task: item.task, action: item.action, result: item.result, criteria: item.criteria },
			declaration: item.declaration,
			declaredAt: item.declaredAt,
			submittedAt: item.submittedAt,
			updatedAt: item.updatedAt
		},
		files: item.files.map((f) => {
			const kind = kindOfMediaType(f.mediaType);
			return {
				id: f.id,
				name: f.state === 'stored' ? f.fileName : f.originalName,
				state: f.state,
				kind: kind ? UPLOAD_KINDS[kind].label : null,
				size: sizeInWords(f.byteLength),
				received: sizeInWords(f.receivedBytes),
				refusal: f.refusal,
				metadataRemoved: f.metadataRemoved,
				sha256: f.sha256
			};
		}),
		parts: STAR_PARTS,
		limits: WORKPLACE_LIMITS,
		declarationText: AUTHENTICITY_DECLARATION,
		uploads: { chunkBytes: limits.chunkBytes, maxFileBytes: limits.maxFileBytes, maxFile: sizeInWords(limits.maxFileBytes), accepted: ALLOWED_DESCRIPTION },
		saved: url.searchParams.get('saved') === 'draft'
	};
}) satisfies PageServerLoad);

function fieldsOf(form: FormData): WorkplaceEvidenceFields {
	const long = { max: WORKPLACE_LIMITS.star + 1000 };
	return {
		title: text(form, 'title', { max: WORKPLACE_LIMITS.title + 100 }),
		situation: text(form, 'situation', long),
		task: text(form, 'task', long),
		action: text(form, 'action', long),
		result: text(form, 'result', long),
		criteria: all(form, 'criteria', { count: 200, max: 40 })
	};
}

function refused(result: WorkplaceResult<unknown> & { ok: false }, values: WorkplaceEvidenceFields & { declared?: boolean }) {
	if (result.error.code === 'workplace.not-found') error(404, { message: NOT_FOUND });
	return fail(result.error.code === 'workplace.submitted' ? 409 : 400, { values, errors: result.error.fields ?? {}, message: result.error.message });
}

async function posted(event: RequestEvent) {
	const form = await readForm(event.request);
	if (!form) return null;
	return { form, values: fieldsOf(form) };
}

const unreadable = () => fail(413, { errors: {} as Record<string, string>, message: 'What you sent is far too long to be read. Shorten the account and try again.' });

export const actions = actionsWithRole('learner', {
	save: async (event) => {
		const read = await posted(event);
		if (!read) return unreadable();
		const saved = await saveWorkplaceEvidence(getDb(), event.locals.user!, event.params.evidenceId, read.values);
		if (!saved.ok) return refused(saved, read.values);
		redirect(303, `/learn/evidence/${event.params.evidenceId}?saved=draft`);
	},
	submit: async (event) => {
		const read = await posted(event);
		if (!read) return unreadable();
		const declared = checkbox(read.form, 'declared');
		const done = await submitWorkplaceEvidence(getDb(), event.locals.user!, event.params.evidenceId, { ...read.values, declared });
		if (!done.ok) return refused(done, { ...read.values, declared });
		redirect(303, `/learn/evidence/${event.params.evidenceId}`);
	},
	removeFile: async (event) => {
		const form = await readForm(event.request);
		if (!form) return unreadable();
		const removed = await removeEvidenceFile(getDb(), event.locals.user!, text(form, 'uploadId', { max: 100 }), event.params.evidenceId);
		if (!removed.ok) return fail(removed.error.code === 'workplace.not-found' ? 404 : 409, { errors: {} as Record<string, string>, message: removed.error.message });
		return { removed: `${removed.value.fileName} was removed.` };
	}
} satisfies Actions);

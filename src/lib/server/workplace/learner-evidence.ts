/**
 * A learner's workplace evidence (issue 17 item 5): files from their job, presented with a STAR
 * account (situation, task, action, result), the criteria they claim it shows, and the
 * authenticity declaration. A draft may be changed and its files added or removed; once submitted
 * it is read-only, and the assessor judges it (the judge's workplace decisions).
 */
import { mapInOrder } from '$lib/core/in-order';
import { dbAll, dbGet, dbRun } from '$lib/core/database';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { criterionByCode } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { upload, workplaceEvidence, workplaceEvidenceFile, type Upload, type WorkplaceEvidence } from '$lib/server/db/evidence';
import { workplaceDecision } from '$lib/server/db/workplace-decisions';
import { createUpload, discardUpload, ownUpload, type NewUpload, type Uploader, type UploadResult } from '$lib/server/uploads/receive';
import { uploadLimits, type UploadLimits } from '$lib/server/uploads/storage';

export const WORKPLACE_LIMITS = { title: 200, star: 4000 } as const;

/** The words the learner confirms. Stored with the evidence as they were shown. */
export const AUTHENTICITY_DECLARATION =
	'This is my own work. I did what this account describes, the files are my own records of it, and I have not copied anyone else’s work.';

/** STAR, in order: each part's label and the hint shown under it. */
export const STAR_PARTS = [
	{ name: 'situation', label: 'Situation', hint: 'Where you were and what was happening: the workplace, the customer or record, and why it mattered.' },
	{ name: 'task', label: 'Task', hint: 'What you had to do, and what a good result would look like.' },
	{ name: 'action', label: 'Action', hint: 'What you did, step by step, in your own words (“I checked…”, “I asked…”).' },
	{ name: 'result', label: 'Result', hint: 'What happened in the end, and what you would do the same or differently next time.' }
] as const;

export type WorkplaceErrorCode = 'workplace.invalid' | 'workplace.not-found' | 'workplace.submitted';
export interface WorkplaceError {
	code: WorkplaceErrorCode;
	message: string;
	fields?: Record<string, string>;
}
export type WorkplaceResult<T> = { ok: true; value: T } | { ok: false; error: WorkplaceError };

export interface WorkplaceEvidenceItem extends WorkplaceEvidence {
	files: Upload[];
}

export interface WorkplaceEvidenceFields {
	title: string;
	situation: string;
	task: string;
	action: string;
	result: string;
	criteria: string[];
}

const bounded = (max: number, what: string) => z.string().trim().max(max, `Use at most ${max.toLocaleString('en-GB')} characters for ${what}.`);
const title = bounded(WORKPLACE_LIMITS.title, 'the title').min(1, 'Give the evidence a title, like “Updating a customer’s address”.');
const criteria = z
	.array(z.string().max(20))
	.max(200)
	.refine((codes) => codes.every((c) => criterionByCode(c) !== undefined), 'Choose criteria from the list: one of them is not a criterion of this unit.')
	.transform((codes) => [...new Set(codes)]);

const draftSchema = z.object({
	title,
	situation: bounded(WORKPLACE_LIMITS.star, 'the situation'),
	task: bounded(WORKPLACE_LIMITS.star, 'the task'),
	action: bounded(WORKPLACE_LIMITS.star, 'the action'),
	result: bounded(WORKPLACE_LIMITS.star, 'the result'),
	criteria
});

const required = (what: string) => (value: string) => value.length > 0 || what;

function fieldErrors(error: z.ZodError): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const issue of error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
	return fields;
}

const notFound = (): { ok: false; error: WorkplaceError } => ({ ok: false, error: { code: 'workplace.not-found', message: 'There is no such evidence among yours.' } });
const submitted = (): { ok: false; error: WorkplaceError } => ({
	ok: false,
	error: { code: 'workplace.submitted', message: 'This evidence has been submitted and can no longer be changed. Start a new piece of evidence instead.' }
});

/** The learner's workplace evidence, newest first, each with its files. */
export async function workplaceEvidenceList(db: Db, learnerId: string): Promise<WorkplaceEvidenceItem[]> {
	const items = await dbAll(db.select().from(workplaceEvidence).where(eq(workplaceEvidence.learnerId, learnerId)).orderBy(desc(workplaceEvidence.updatedAt)));
	return await mapInOrder(items, async (item) => ({ ...item, files: await filesOf(db, item.id) }));
}

async function filesOf(db: Db, evidenceId: string): Promise<Upload[]> {
	return (await dbAll(db
		.select({ upload })
		.from(workplaceEvidenceFile)
		.innerJoin(upload, eq(upload.id, workplaceEvidenceFile.uploadId))
		.where(eq(workplaceEvidenceFile.evidenceId, evidenceId))
		.orderBy(asc(workplaceEvidenceFile.addedAt))))
		.map((r) => r.upload);
}

/** One of the learner's own items; another learner's is as absent as one that never was. */
export async function workplaceEvidenceOf(db: Db, learner: Uploader, evidenceId: string): Promise<WorkplaceEvidenceItem | undefined> {
	const item = await dbGet(db
		.select()
		.from(workplaceEvidence)
		.where(and(eq(workplaceEvidence.id, evidenceId), eq(workplaceEvidence.learnerId, learner.id), eq(workplaceEvidence.organisationId, learner.organisationId))));
	return item && { ...item, files: await filesOf(db, item.id) };
}

/** A new draft with its title. */
export async function startWorkplaceEvidence(db: Db, learner: Uploader, input: { title: string }, now = new Date()): Promise<WorkplaceResult<WorkplaceEvidence>> {
	const parsed = title.safeParse(input.title);
	if (!parsed.success) return { ok: false, error: { code: 'workplace.invalid', message: 'The evidence was not started: correct what is marked below.', fields: { title: parsed.error.issues[0]!.message } } };
	const row: WorkplaceEvidence = {
		id: crypto.randomUUID(),
		organisationId: learner.organisationId,
		learnerId: learner.id,
		title: parsed.data,
		situation: '',
		task: '',
		action: '',
		result: '',
		criteria: [],
		declaration: '',
		declaredAt: null,
		state: 'draft',
		createdAt: now.toISOString(),
		updatedAt: now.toISOString(),
		submittedAt: null
	};
	await dbRun(db.insert(workplaceEvidence).values(row));
	return { ok: true, value: row };
}

/** Saves a draft's text and criteria (any part may still be empty). */
export async function saveWorkplaceEvidence(db: Db, learner: Uploader, evidenceId: string, input: WorkplaceEvidenceFields, now = new Date()): Promise<WorkplaceResult<WorkplaceEvidenceItem>> {
	const item = await workplaceEvidenceOf(db, learner, evidenceId);
	if (!item) return notFound();
	if (item.state !== 'draft') return submitted();
	const parsed = draftSchema.safeParse(input);
	if (!parsed.success) return { ok: false, error: { code: 'workplace.invalid', message: 'Your changes were not saved: correct what is marked below. Nothing you typed is lost.', fields: fieldErrors(parsed.error) } };
	await dbRun(db.update(workplaceEvidence)
		.set({ ...parsed.data, updatedAt: now.toISOString() })
		.where(eq(workplaceEvidence.id, item.id)));
	return { ok: true, value: { ...item, ...parsed.data, updatedAt: now.toISOString() } };
}

/**
 * Submits a draft: the whole STAR account, at least one criterion and one stored file, no file still
 * arriving, and the declaration confirmed. Files that were refused are taken off. Read-only after.
 */
export async function submitWorkplaceEvidence(
	db: Db,
	learner: Uploader,
	evidenceId: string,
	input: WorkplaceEvidenceFields & { declared: boolean },
	now = new Date()
): Promise<WorkplaceResult<WorkplaceEvidenceItem>> {
	const item = await workplaceEvidenceOf(db, learner, evidenceId);
	if (!item) return notFound();
	if (item.state !== 'draft') return submitted();
	const parsed = draftSchema.safeParse(input);
	const fields: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
	if (parsed.success) {
		for (const part of STAR_PARTS) {
			const problem = required(`Describe the ${part.label.toLowerCase()} before you submit.`)(parsed.data[part.name]);
			if (problem !== true) fields[part.name] = problem;
		}
		if (parsed.data.criteria.length === 0) fields.criteria = 'Choose at least one criterion this evidence shows.';
	}
	const stored = item.files.filter((f) => f.state === 'stored');
	if (item.files.some((f) => f.state === 'receiving')) fields.files = 'A file is still uploading: wait for it to finish, or remove it, then submit.';
	else if (stored.length === 0) fields.files = 'Add at least one file: a photo, document, recording or video from your work.';
	if (!input.declared) fields.declared = 'Confirm that this is your own work before you submit.';
	if (!parsed.success || Object.keys(fields).length > 0) {
		// The text is kept as a draft even when the submission is refused, so nothing typed is lost.
		if (parsed.success) await saveWorkplaceEvidence(db, learner, evidenceId, input, now);
		return { ok: false, error: { code: 'workplace.invalid', message: 'The evidence was not submitted: correct what is marked below.', fields } };
	}
	for (const refused of item.files.filter((f) => f.state === 'refused')) await removeFile(db, item.id, refused);
	const at = now.toISOString();
	await dbRun(db.update(workplaceEvidence)
		.set({ ...parsed.data, declaration: AUTHENTICITY_DECLARATION, declaredAt: at, state: 'submitted', submittedAt: at, updatedAt: at })
		.where(and(eq(workplaceEvidence.id, item.id), eq(workplaceEvidence.state, 'draft'))));
	return { ok: true, value: (await workplaceEvidenceOf(db, learner, evidenceId))! };
}

/** Starts an upload of a file for a draft (the tus creation request). */
export async function startEvidenceUpload(db: Db, learner: Uploader, evidenceId: string, file: NewUpload, limits: UploadLimits = uploadLimits(), now = new Date()): Promise<UploadResult<Upload>> {
	const item = await workplaceEvidenceOf(db, learner, evidenceId);
	if (!item) return { ok: false, error: { code: 'upload.not-found', message: 'There is no such evidence among yours.' } };
	if (item.state !== 'draft') return { ok: false, error: { code: 'upload.invalid', message: 'This evidence has been submitted: files can no longer be added to it.' } };
	const created = await createUpload(db, learner, file, limits, now);
	if (created.ok) await dbRun(db.insert(workplaceEvidenceFile).values({ evidenceId: item.id, uploadId: created.value.id, addedAt: now.toISOString() }));
	return created;
}

async function removeFile(db: Db, evidenceId: string, file: Upload): Promise<void> {
	await dbRun(db.delete(workplaceEvidenceFile).where(and(eq(workplaceEvidenceFile.evidenceId, evidenceId), eq(workplaceEvidenceFile.uploadId, file.id))));
	await discardUpload(db, file);
}

/**
 * Takes a file off a draft (and deletes it, unless a signed decision judged it): the learner's own, while the evidence is a draft. With
 * `evidenceId` (the evidence page's form), the file must be one of that item's.
 */
export async function removeEvidenceFile(db: Db, learner: Uploader, uploadId: string, evidenceId?: string): Promise<WorkplaceResult<{ fileName: string }>> {
	const file = await ownUpload(db, learner, uploadId);
	if (!file) return notFound();
	const links = await dbAll(db.select().from(workplaceEvidenceFile).where(eq(workplaceEvidenceFile.uploadId, file.id)));
	if (evidenceId !== undefined && !links.some((l) => l.evidenceId === evidenceId)) return notFound();
	// A file a signed decision judged (before it asked for a resubmission) is what that decision rests on:
	// it may leave the draft, but its bytes are kept for the assessors and the IQA who read that decision.
	const judged = await judgedInADecision(db, file.ownerId, file.id);
	if (judged && links.length === 0) return notFound();
	const items = links.length === 0 ? [] : await dbAll(db.select().from(workplaceEvidence).where(inArray(workplaceEvidence.id, links.map((l) => l.evidenceId))));
	if (items.some((i) => i.state !== 'draft')) return submitted();
	await dbRun(db.delete(workplaceEvidenceFile).where(eq(workplaceEvidenceFile.uploadId, file.id)));
	if (!judged) await discardUpload(db, file);
	return { ok: true, value: { fileName: file.state === 'stored' ? file.fileName : file.originalName } };
}

async function judgedInADecision(db: Db, learnerId: string, uploadId: string): Promise<boolean> {
	return (await dbAll(db
		.select({ evidence: workplaceDecision.evidence })
		.from(workplaceDecision)
		.where(eq(workplaceDecision.learnerId, learnerId))))
		.some((d) => d.evidence.files.some((f) => f.uploadId === uploadId));
}

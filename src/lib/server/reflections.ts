import { eq } from 'drizzle-orm';
import { dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import { reflection, type Reflection } from '$lib/server/db/schema';

/**
 * The learner's reflective account of an attempt, in the STAR form the unit's guidance asks for
 * (seeds 001: "Use the STAR method (Situation, Task, Action, Result) when describing real or
 * simulated experiences of processing customer information"). One per attempt: saved as a draft as
 * often as the learner likes, then submitted for assessment, after which it no longer changes
 * (the assessor judges, and the portfolio prints, what was submitted).
 */

export const REFLECTION_PARTS = ['situation', 'task', 'action', 'result'] as const;
export type ReflectionPart = (typeof REFLECTION_PARTS)[number];
export type ReflectionText = Record<ReflectionPart, string>;

export const REFLECTION_LABELS: Record<ReflectionPart, string> = {
	situation: 'Situation',
	task: 'Task',
	action: 'Action',
	result: 'Result'
};

/**
 * What to write in each part, from the unit's guidance (seeds 001, 002, 004): refer to the legislation
 * and the organisation's own procedures, and make each point with its evidence and an explanation.
 */
export const REFLECTION_GUIDANCE: Record<ReflectionPart, string> = {
	situation:
		'Set the scene: the organisation, who contacted you and what they asked for. Keep to the facts of this attempt.',
	task:
		'What you had to do, and the rules that applied: name the organisation’s procedure and the legislation behind it (for example UK GDPR or the Data Protection Act 2018).',
	action:
		'What you did, step by step, and why. For each point, give the evidence (the action and its time in your transcript) and explain how it meets the procedure or the law.',
	result:
		'What came of it for the customer and the record, what your debrief showed, and what you would do differently next time.'
};

/** Per part: about 1,000 words, more than a reflective account needs and little enough to read. */
export const REFLECTION_MAX_CHARS = 6000;
/** A part of a submitted account says something: a few words at least, not a placeholder. */
export const REFLECTION_MIN_WORDS = 3;

export type ReflectionErrorCode = 'attempt.not-found' | 'attempt.in-progress' | 'reflection.submitted' | 'reflection.invalid' | 'reflection.changed';

export interface ReflectionError {
	code: ReflectionErrorCode;
	message: string;
	/** For `reflection.invalid`: what is wrong with each part that is wrong. */
	fields?: Partial<Record<ReflectionPart, string>>;
}

export type ReflectionResult = { ok: true; value: Reflection } | { ok: false; error: ReflectionError };

export function wordCount(text: string): number {
	const trimmed = text.trim();
	return trimmed === '' ? 0 : trimmed.split(/\s+/u).length;
}

/** The four parts from a submitted form (or anything else): missing parts are empty, line endings normalised. */
export function reflectionText(input: Partial<Record<ReflectionPart, unknown>>): ReflectionText {
	const text = {} as ReflectionText;
	for (const part of REFLECTION_PARTS) {
		const value = input[part];
		text[part] = typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
	}
	return text;
}

const number = new Intl.NumberFormat('en-GB');

function tooLong(part: ReflectionPart, text: string): string | undefined {
	const length = [...text].length;
	if (length <= REFLECTION_MAX_CHARS) return undefined;
	return `${REFLECTION_LABELS[part]} is ${number.format(length)} characters long; the limit is ${number.format(REFLECTION_MAX_CHARS)}. Shorten it by ${number.format(length - REFLECTION_MAX_CHARS)} characters.`;
}

function tooShort(part: ReflectionPart, text: string): string | undefined {
	const words = wordCount(text);
	if (words === 0) return `Write about the ${part} before you submit: this part is empty.`;
	if (words < REFLECTION_MIN_WORDS) return `Write a little more about the ${part}: at least ${REFLECTION_MIN_WORDS} words.`;
	return undefined;
}

function check(text: ReflectionText, rules: ((part: ReflectionPart, text: string) => string | undefined)[]): Partial<Record<ReflectionPart, string>> {
	const fields: Partial<Record<ReflectionPart, string>> = {};
	for (const part of REFLECTION_PARTS) {
		for (const rule of rules) {
			const problem = rule(part, text[part]);
			if (problem) {
				fields[part] = problem;
				break;
			}
		}
	}
	return fields;
}

/** The learner's reflection on their attempt, if they have started one. */
export async function reflectionOf(db: Db, learnerId: string, attemptId: string): Promise<Reflection | undefined> {
	const row = await dbGet(db.select().from(reflection).where(eq(reflection.attemptId, attemptId)));
	return row && row.learnerId === learnerId ? row : undefined;
}

/** Whether the learner may write about this attempt: it is theirs and it has ended. */
async function writable(db: Db, learnerId: string, attemptId: string): Promise<ReflectionError | undefined> {
	const row = await dbGet(db.select({ ownerId: attempt.ownerId, status: attempt.status }).from(attempt).where(eq(attempt.id, attemptId)));
	// Another learner's attempt is "not found", never a hint that it exists.
	if (!row || row.ownerId !== learnerId) return { code: 'attempt.not-found', message: 'That attempt was not found.' };
	if (row.status !== 'ended') return { code: 'attempt.in-progress', message: 'Finish the attempt before you reflect on it.' };
	const existing = await reflectionOf(db, learnerId, attemptId);
	if (existing?.status === 'submitted') {
		return { code: 'reflection.submitted', message: 'This reflection has been submitted for assessment and can no longer be changed.' };
	}
	return undefined;
}

async function store(db: Db, learnerId: string, attemptId: string, text: ReflectionText, submit: boolean, now: Date): Promise<Reflection> {
	const at = now.toISOString();
	const values = { ...text, status: submit ? ('submitted' as const) : ('draft' as const), updatedAt: at, submittedAt: submit ? at : null };
	return await dbGet(db
		.insert(reflection)
		.values({ attemptId, learnerId, ...values })
		.onConflictDoUpdate({ target: reflection.attemptId, set: values })
		.returning());
}

/** Saves the account as a draft: any part may be empty or unfinished; only the length is limited. */
export async function saveReflectionDraft(db: Db, learnerId: string, attemptId: string, text: ReflectionText, now = new Date()): Promise<ReflectionResult> {
	const fields = check(text, [tooLong]);
	// One transaction: a submission in another tab cannot slip in between the check and the write.
	return await writeTransaction(db, async (): Promise<ReflectionResult> => {
		const refused = await writable(db, learnerId, attemptId);
		if (refused) return { ok: false, error: refused };
		if (Object.keys(fields).length > 0) {
			return { ok: false, error: { code: 'reflection.invalid', message: 'Your draft was not saved: a part is too long.', fields } };
		}
		return { ok: true, value: await store(db, learnerId, attemptId, text, false, now) };
	});
}

/** Submits the account for assessment: every part written, none too long. It is read-only afterwards. */
export async function submitReflection(db: Db, learnerId: string, attemptId: string, text: ReflectionText, now = new Date()): Promise<ReflectionResult> {
	const fields = check(text, [tooLong, tooShort]);
	return await writeTransaction(db, async (): Promise<ReflectionResult> => {
		const refused = await writable(db, learnerId, attemptId);
		if (refused) return { ok: false, error: refused };
		if (Object.keys(fields).length > 0) {
			return { ok: false, error: { code: 'reflection.invalid', message: 'Your reflection was not submitted: every part needs writing, within the length limit.', fields } };
		}
		return { ok: true, value: await store(db, learnerId, attemptId, text, true, now) };
	});
}

/**
 * The first of the two steps of a submission: the account is checked as a submission would be and
 * saved as a draft, so the learner can read it over and confirm (confirmReflection). Whatever the
 * check finds, a draft within the length limit is saved: what was typed is never lost, even if the
 * learner leaves the page to fix it later.
 */
export async function prepareReflection(db: Db, learnerId: string, attemptId: string, text: ReflectionText, now = new Date()): Promise<ReflectionResult> {
	const fields = check(text, [tooLong, tooShort]);
	return await writeTransaction(db, async (): Promise<ReflectionResult> => {
		const refused = await writable(db, learnerId, attemptId);
		if (refused) return { ok: false, error: refused };
		// A refused request stores nothing (what was typed goes back to the form with the refusal).
		if (Object.keys(fields).length > 0) {
			return {
				ok: false,
				error: { code: 'reflection.invalid', message: 'Your reflection was not submitted: every part needs writing, within the length limit. What you typed is still here: finish it, or save it as a draft.', fields }
			};
		}
		await store(db, learnerId, attemptId, text, false, now);
		return { ok: true, value: (await reflectionOf(db, learnerId, attemptId))! };
	});
}

/**
 * The second step: submits the draft the learner read over, the one saved at `savedAt`. If the draft
 * changed since (another tab saved), nothing is submitted and the learner is shown the new text to
 * confirm: they submit only what they have read.
 */
export async function confirmReflection(db: Db, learnerId: string, attemptId: string, savedAt: string, now = new Date()): Promise<ReflectionResult> {
	return await writeTransaction(db, async (): Promise<ReflectionResult> => {
		const refused = await writable(db, learnerId, attemptId);
		if (refused) return { ok: false, error: refused };
		const draft = await reflectionOf(db, learnerId, attemptId);
		if (!draft || draft.updatedAt !== savedAt) {
			return { ok: false, error: { code: 'reflection.changed', message: 'Your reflection changed after you checked it (in another tab or window). Read it again, then confirm.' } };
		}
		const text = reflectionText(draft);
		const fields = check(text, [tooLong, tooShort]);
		if (Object.keys(fields).length > 0) {
			return { ok: false, error: { code: 'reflection.invalid', message: 'Your reflection was not submitted: every part needs writing, within the length limit.', fields } };
		}
		return { ok: true, value: await store(db, learnerId, attemptId, text, true, now) };
	});
}

/**
 * Reopens a submitted reflection for the learner to rewrite: the assessor asked for a resubmission
 * (assessment.ts, in the same transaction as the signed decision). The text stays as it was; the
 * learner edits it as a draft and submits it again, which puts the attempt back in the queue.
 */
export async function reopenReflection(db: Db, attemptId: string, now = new Date()): Promise<void> {
	await dbRun(db.update(reflection)
		.set({ status: 'draft', submittedAt: null, updatedAt: now.toISOString() })
		.where(eq(reflection.attemptId, attemptId)));
}

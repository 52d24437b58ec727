import { dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { createServerTestDb } from '$lib/server/testing';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { user } from '$lib/server/db/schema';
import {
	REFLECTION_MAX_CHARS,
	confirmReflection,
	prepareReflection,
	reflectionOf,
	reflectionText,
	saveReflectionDraft,
	reopenReflection,
	submitReflection,
	wordCount,
	type ReflectionText
} from './reflections';

const written: ReflectionText = {
	situation: 'A caller said she was the account holder’s wife and asked for the balance.',
	task: 'I had to help her without disclosing anything, following Northwind’s data protection policy.',
	action: 'I checked the account for a recorded authority, found none and explained why (UK GDPR Art 5(1)(f)).',
	result: 'Nothing was disclosed; I logged the call so the account holder’s record shows what happened.'
};

async function setUp() {
	const db = await createServerTestDb();
	await syncBuiltInScenarios(db);
	for (const id of ['amira', 'tomas']) {
		await dbRun(db.insert(user)
			.values({ id, organisationId: 'centre-1', email: `${id}@custodian.test`, displayName: id, passwordHash: 'x', createdAt: new Date(0).toISOString() }));
	}
	const started = await startLearnerAttempt(db, 'amira', 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	const attemptId = started.value.id;
	return { db, attemptId, end: async () => await endLearnerAttempt(db, 'amira', attemptId) };
}

describe('a learner’s reflection on an attempt', () => {
	it('saves a draft with parts still empty, and saves it again with more written', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		const first = await saveReflectionDraft(db, 'amira', attemptId, { ...written, action: '', result: '' }, new Date('2026-03-01T10:00:00Z'));
		expect(first).toMatchObject({ ok: true, value: { status: 'draft', action: '', submittedAt: null, updatedAt: '2026-03-01T10:00:00.000Z' } });
		const second = await saveReflectionDraft(db, 'amira', attemptId, written, new Date('2026-03-01T10:05:00Z'));
		expect(second).toMatchObject({ ok: true, value: { status: 'draft', result: written.result } });
		expect((await reflectionOf(db, 'amira', attemptId))?.updatedAt).toBe('2026-03-01T10:05:00.000Z');
	});

	it('refuses to submit with a part empty or nearly so, naming each such part, and keeps the draft as it was', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		await saveReflectionDraft(db, 'amira', attemptId, written);
		const refused = await submitReflection(db, 'amira', attemptId, { ...written, task: '   \n ', result: 'It went.' });
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(refused.error.code).toBe('reflection.invalid');
		expect(Object.keys(refused.error.fields ?? {}).sort()).toEqual(['result', 'task']);
		expect(refused.error.fields?.task).toMatch(/task.*empty/);
		expect(refused.error.fields?.result).toMatch(/at least 3 words/);
		expect(await reflectionOf(db, 'amira', attemptId)).toMatchObject({ status: 'draft', task: written.task });
	});

	it('refuses a part over the length limit, saying by how much, as a draft and as a submission', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		const long = { ...written, action: 'word '.repeat(REFLECTION_MAX_CHARS / 5 + 10) };
		for (const result of [await saveReflectionDraft(db, 'amira', attemptId, long), await submitReflection(db, 'amira', attemptId, long)]) {
			expect(result.ok).toBe(false);
			if (result.ok) continue;
			expect(result.error.fields?.action).toBe('Action is 6,050 characters long; the limit is 6,000. Shorten it by 50 characters.');
		}
		expect(await reflectionOf(db, 'amira', attemptId)).toBeUndefined();
	});

	it('submits a complete account, stamped with the time, and refuses any change afterwards', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		const submitted = await submitReflection(db, 'amira', attemptId, written, new Date('2026-03-02T09:30:00Z'));
		expect(submitted).toMatchObject({ ok: true, value: { status: 'submitted', submittedAt: '2026-03-02T09:30:00.000Z' } });
		expect(await saveReflectionDraft(db, 'amira', attemptId, { ...written, result: 'Changed my mind about it.' })).toMatchObject({ ok: false, error: { code: 'reflection.submitted' } });
		expect(await submitReflection(db, 'amira', attemptId, written)).toMatchObject({ ok: false, error: { code: 'reflection.submitted' } });
		expect((await reflectionOf(db, 'amira', attemptId))?.result).toBe(written.result);
	});

	it('waits for the attempt to end', async () => {
		const { db, attemptId } = await setUp();
		expect(await saveReflectionDraft(db, 'amira', attemptId, written)).toMatchObject({ ok: false, error: { code: 'attempt.in-progress' } });
	});

	it('treats another learner’s attempt as not found, for reading and for writing', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		await saveReflectionDraft(db, 'amira', attemptId, written);
		expect(await reflectionOf(db, 'tomas', attemptId)).toBeUndefined();
		expect(await saveReflectionDraft(db, 'tomas', attemptId, written)).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
		expect(await submitReflection(db, 'tomas', 'no-such-attempt', written)).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
		expect((await reflectionOf(db, 'amira', attemptId))?.situation).toBe(written.situation);
	});

	it('reads the four parts from a form, whatever else it holds', () => {
		expect(reflectionText({ situation: 'a\r\nb', task: 42, result: 'r' })).toEqual({ situation: 'a\nb', task: '', action: '', result: 'r' });
		expect(wordCount('  one two\nthree  ')).toBe(3);
		expect(wordCount(' \n ')).toBe(0);
	});

	it('is reopened as a draft with its text kept when the assessor asks for a resubmission, and can be submitted again', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		await submitReflection(db, 'amira', attemptId, written, new Date('2026-03-01T10:00:00Z'));
		await reopenReflection(db, attemptId, new Date('2026-03-02T10:00:00Z'));
		expect(await reflectionOf(db, 'amira', attemptId)).toMatchObject({ status: 'draft', submittedAt: null, situation: written.situation });
		expect((await saveReflectionDraft(db, 'amira', attemptId, { ...written, task: 'Rewritten with the law named: UK GDPR Art 5.' })).ok).toBe(true);
		expect(await submitReflection(db, 'amira', attemptId, written, new Date('2026-03-03T10:00:00Z'))).toMatchObject({ ok: true, value: { status: 'submitted', submittedAt: '2026-03-03T10:00:00.000Z' } });
	});
});

describe('submitting a reflection in two steps: checked and saved, then confirmed', () => {
	it('saves the account as a draft on the first step, and submits it only when the learner confirms', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		const prepared = await prepareReflection(db, 'amira', attemptId, written, new Date('2026-03-01T10:00:00Z'));
		expect(prepared).toMatchObject({ ok: true, value: { status: 'draft', updatedAt: '2026-03-01T10:00:00.000Z', action: written.action } });
		expect((await reflectionOf(db, 'amira', attemptId))?.status).toBe('draft');
		const confirmed = await confirmReflection(db, 'amira', attemptId, '2026-03-01T10:00:00.000Z', new Date('2026-03-01T10:02:00Z'));
		expect(confirmed).toMatchObject({ ok: true, value: { status: 'submitted', submittedAt: '2026-03-01T10:02:00.000Z', action: written.action } });
		expect(await confirmReflection(db, 'amira', attemptId, '2026-03-01T10:02:00.000Z')).toMatchObject({ ok: false, error: { code: 'reflection.submitted' } });
	});

	it('refuses an unfinished account on the first step and stores nothing: the saved draft stays as it was', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		const refused = await prepareReflection(db, 'amira', attemptId, { ...written, result: 'Too short' });
		expect(refused).toMatchObject({ ok: false, error: { code: 'reflection.invalid', fields: { result: expect.stringContaining('at least 3 words') } } });
		expect(await reflectionOf(db, 'amira', attemptId)).toBeUndefined();
		await saveReflectionDraft(db, 'amira', attemptId, written, new Date('2026-03-01T09:00:00Z'));
		await prepareReflection(db, 'amira', attemptId, { ...written, result: '' });
		expect(await reflectionOf(db, 'amira', attemptId)).toMatchObject({ status: 'draft', result: written.result, updatedAt: '2026-03-01T09:00:00.000Z' });
	});

	it('does not save an account with a part over the limit, nor submit it', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		const refused = await prepareReflection(db, 'amira', attemptId, { ...written, action: 'x'.repeat(REFLECTION_MAX_CHARS + 1) });
		expect(refused).toMatchObject({ ok: false, error: { code: 'reflection.invalid', fields: { action: expect.stringContaining('Shorten it by 1 character') } } });
		expect(await reflectionOf(db, 'amira', attemptId)).toBeUndefined();
	});

	it('submits nothing when the draft changed after the learner read it over (another tab saved)', async () => {
		const { db, attemptId, end } = await setUp();
		await end();
		const prepared = await prepareReflection(db, 'amira', attemptId, written, new Date('2026-03-01T10:00:00Z'));
		if (!prepared.ok) throw new Error(prepared.error.message);
		await saveReflectionDraft(db, 'amira', attemptId, { ...written, result: '' }, new Date('2026-03-01T10:01:00Z'));
		expect(await confirmReflection(db, 'amira', attemptId, prepared.value.updatedAt)).toMatchObject({ ok: false, error: { code: 'reflection.changed' } });
		expect((await reflectionOf(db, 'amira', attemptId))?.status).toBe('draft');
		// Read over again, the new draft is refused for what is missing, not submitted.
		expect(await confirmReflection(db, 'amira', attemptId, '2026-03-01T10:01:00.000Z')).toMatchObject({ ok: false, error: { code: 'reflection.invalid', fields: { result: expect.any(String) } } });
		expect(await confirmReflection(db, 'tomas', attemptId, '2026-03-01T10:01:00.000Z')).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
	});
});

import { dbRun, dbAll, dbGet } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { reflectionOf, submitReflection } from '$lib/server/reflections';
import { reflection } from '$lib/server/db/schema';
import { assessmentDecision, assessmentDraft } from '$lib/server/db/assessment';
import { resubmissionRequest } from './decisions';
import { saveDecisionDraft } from './drafts';
import { field } from './forms';
import { verifyDecision } from './hashing';
import { assessmentQueue } from './queue';
import { assessorReview } from './review';
import { signDecision } from './signing';
import { assessmentFixture, written } from './testing';

const f = assessmentFixture();

describe('signing a decision', () => {
	it('records the evidence and signature hashes, which verify, and an overridden point with its feedback', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const r = await f.review(id);
		const first = r.points[0]!;
		const values = await f.decided(id, { points: { ...r.values.points, [first.id]: { met: first.proposed ? 'not-met' : 'met', feedback: 'I judge this differently.' } } });
		const signed = await signDecision(f.db, f.gareth(), id, values, new Date('2026-03-05T12:00:00Z'));
		expect(signed.ok).toBe(true);
		if (!signed.ok) return;
		expect(signed.value).toMatchObject({ sequence: 1, supersedesId: null, outcome: 'met', signedName: 'Gareth Llewellyn', signedAt: '2026-03-05T12:00:00.000Z' });
		expect(signed.value.points[0]).toEqual({ pointId: first.id, proposed: first.proposed, met: !first.proposed, feedback: 'I judge this differently.' });
		expect(signed.value.evidenceHash).toMatch(/^[0-9a-f]{64}$/);
		expect(signed.value.signatureHash).toMatch(/^[0-9a-f]{64}$/);
		expect(await verifyDecision(f.db, signed.value)).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: true, matches: true });
	});

	it('no longer verifies once the reflection judged has changed, or the decision as stored differs', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = await signDecision(f.db, f.gareth(), id, await f.decided(id));
		if (!signed.ok) throw new Error(signed.error.message);
		expect(await verifyDecision(f.db, { ...signed.value, outcome: 'not-yet-met' })).toMatchObject({ signatureMatches: false, matches: false });
		expect((await verifyDecision(f.db, { ...signed.value, signedName: 'Someone Else' })).signatureMatches).toBe(false);
		await dbRun(f.db.update(reflection).set({ action: 'I disclosed the balance.' }).where(eq(reflection.attemptId, id)));
		// The evidence judged is kept with the decision: it still verifies, and says the attempt has changed since.
		expect(await verifyDecision(f.db, signed.value)).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: false, matches: true });
		// A tampered copy of the kept evidence no longer reproduces the hash that was signed.
		const kept = signed.value.evidence as { reflection: { action: string } };
		const tampered = { ...signed.value, evidence: { ...kept, reflection: { ...kept.reflection, action: 'I disclosed the balance.' } } };
		expect(await verifyDecision(f.db, tampered)).toMatchObject({ signatureMatches: true, evidenceMatches: false, matches: false });
	});

	it('accepts the signer’s name in any case and spacing, and refuses another name next to the field', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const refused = await signDecision(f.db, f.gareth(), id, await f.decided(id, { signedName: 'Sam Okafor' }));
		expect(refused).toMatchObject({ ok: false, error: { code: 'decision.invalid', fields: { signedName: expect.stringContaining('Gareth Llewellyn') } } });
		expect((await signDecision(f.db, f.gareth(), id, await f.decided(id, { signedName: '  gareth   LLEWELLYN ' }))).ok).toBe(true);
	});

	it('requires what to do next unless met, feedback on an override, and an outcome', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const r = await f.review(id);
		const first = r.points[0]!;
		const refused = await signDecision(
			f.db,
			f.gareth(),
			id,
			await f.decided(id, { outcome: 'not-yet-met', nextSteps: '  ', points: { ...r.values.points, [first.id]: { met: first.proposed ? 'not-met' : 'met', feedback: '' } } })
		);
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(refused.error.fields).toMatchObject({ nextSteps: expect.stringMatching(/next/), [field.pointFeedback(0)]: expect.stringMatching(/override/) });
		expect((await signDecision(f.db, f.gareth(), id, await f.decided(id, { outcome: '' }))).ok).toBe(false);
		expect(await dbAll(f.db.select().from(assessmentDecision))).toEqual([]);
	});

	it('answers hostile input with typed errors, never an exception', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		await fc.assert(
			fc.asyncProperty(fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), async (outcome, feedback, met) => {
				const r = await f.review(id);
				const values = await f.decided(id, { outcome, feedback, points: Object.fromEntries(Object.keys(r.values.points).map((k) => [k, { met, feedback }])) });
				const result = await signDecision(f.db, f.gareth(), id, { ...values, signedName: 'nobody' });
				expect(result).toMatchObject({ ok: false, error: { code: 'decision.invalid' } });
			}),
			{ numRuns: 50 }
		);
		expect((await signDecision(f.db, f.gareth(), 'x'.repeat(5000), await f.decided(id))).ok).toBe(false);
		expect(await saveDecisionDraft(f.db, f.ids.gareth, '../../etc', await f.decided(id))).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
	});

	it('refuses the assessor an attempt of a learner they do not assess, and their own', async () => {
		const olas = await f.submittedAttempt(f.ids.ola, '2026-03-01T09:00:00Z');
		expect(await signDecision(f.db, f.gareth(), olas, { ...await f.decided(await f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z')) })).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
		// Sam is an assessor who also plays a scenario: his own attempt is never his to judge.
		const own = await startLearnerAttempt(f.db, f.ids.sam, 'spouse-caller');
		if (!own.ok) throw new Error(own.error.message);
		await endLearnerAttempt(f.db, f.ids.sam, own.value.id);
		expect(await assessorReview(f.db, f.ids.sam, own.value.id)).toBeUndefined();
	});
});

describe('a signed decision', () => {
	it('cannot be updated or deleted: the database refuses', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = await signDecision(f.db, f.gareth(), id, await f.decided(id));
		if (!signed.ok) throw new Error(signed.error.message);
		await expect(dbRun(f.db.update(assessmentDecision).set({ outcome: 'not-yet-met' }).where(eq(assessmentDecision.id, signed.value.id)))).rejects.toThrow();
		await expect(dbRun(f.db.delete(assessmentDecision).where(eq(assessmentDecision.id, signed.value.id)))).rejects.toThrow();
		expect(await dbGet(f.db.select().from(assessmentDecision))).toEqual(signed.value);
	});

	it('refuses a stale form (drawn before the signing) and a form naming a superseded decision, and keeps the history', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const stale = await f.decided(id);
		const first = await signDecision(f.db, f.gareth(), id, stale, new Date('2026-03-05T12:00:00Z'));
		if (!first.ok) throw new Error(first.error.message);
		expect(await signDecision(f.db, f.gareth(), id, { ...stale, outcome: 'not-yet-met', nextSteps: 'Redo it.' })).toMatchObject({
			ok: false,
			error: { code: 'decision.already-signed', message: expect.stringMatching(/cannot be edited/) }
		});

		const superseding = await f.decided(id, { outcome: 'not-yet-met', nextSteps: 'Log the call before you end it.', feedback: 'On reflection, not yet.' });
		expect(superseding.supersedes).toBe(first.value.id);
		const second = await signDecision(f.db, f.gareth(), id, superseding, new Date('2026-03-06T12:00:00Z'));
		expect(second).toMatchObject({ ok: true, value: { sequence: 2, supersedesId: first.value.id, outcome: 'not-yet-met' } });

		expect(await signDecision(f.db, f.gareth(), id, { ...superseding, supersedes: first.value.id })).toMatchObject({ ok: false, error: { code: 'decision.superseded' } });
		expect((await f.review(id)).decisions.map((d) => d.sequence)).toEqual([2, 1]);
		expect((await f.review(id)).decisions.every((d) => d.verified?.matches)).toBe(true);
	});

	it('discards the assessor’s draft once signed, and drafts keep everything typed until then', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		await saveDecisionDraft(f.db, f.ids.gareth, id, await f.decided(id, { feedback: 'Half written', assessorNote: 'Check with IQA' }), new Date('2026-03-04T10:00:00Z'));
		expect((await f.review(id)).values).toMatchObject({ feedback: 'Half written', assessorNote: 'Check with IQA', signedName: '' });
		expect((await f.review(id)).draftSavedAt).toBe('2026-03-04T10:00:00.000Z');
		expect((await assessorReview(f.db, f.ids.sam, id))?.values.feedback).toBe('');
		await signDecision(f.db, f.gareth(), id, await f.decided(id));
		expect(await dbAll(f.db.select().from(assessmentDraft).where(eq(assessmentDraft.assessorId, f.ids.gareth)))).toEqual([]);
	});
});

describe('resubmission', () => {
	it('reopens the reflection with the assessor’s request, takes it out of the queue and brings it back when resubmitted', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = await signDecision(
			f.db,
			f.gareth(),
			id,
			await f.decided(id, { outcome: 'resubmission-requested', nextSteps: 'Name the legislation in your task.' }),
			new Date('2026-03-05T12:00:00Z')
		);
		expect(signed.ok).toBe(true);
		expect(await reflectionOf(f.db, f.ids.amira, id)).toMatchObject({ status: 'draft', submittedAt: null, task: written.task });
		expect(await resubmissionRequest(f.db, f.ids.amira, id)).toMatchObject({ nextSteps: 'Name the legislation in your task.', signedName: 'Gareth Llewellyn' });
		expect((await assessmentQueue(f.db, f.ids.gareth)).items[0]).toMatchObject({ attemptId: id, state: 'resubmission-requested' });
		expect((await f.review(id)).canSign).toBe(false);

		expect((await submitReflection(f.db, f.ids.amira, id, { ...written, task: 'Under UK GDPR and the DPA 2018 I had to protect the data.' }, new Date('2026-03-06T09:00:00Z'))).ok).toBe(true);
		expect((await assessmentQueue(f.db, f.ids.gareth)).items[0]).toMatchObject({ attemptId: id, state: 'awaiting', submittedAt: '2026-03-06T09:00:00.000Z' });
		const next = await signDecision(f.db, f.gareth(), id, await f.decided(id), new Date('2026-03-07T09:00:00Z'));
		expect(next).toMatchObject({ ok: true, value: { sequence: 2 } });
		expect(await resubmissionRequest(f.db, f.ids.amira, id)).toBeUndefined();
	});
});

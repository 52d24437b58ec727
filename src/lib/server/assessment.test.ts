import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '$lib/core/database';
import { seedDemoData, DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { reflectionOf, submitReflection, type ReflectionText } from '$lib/server/reflections';
import { reflection, user } from '$lib/server/db/schema';
import { assessmentDecision, assessmentDraft } from '$lib/server/db/assessment';
import {
	addComment,
	assessmentQueue,
	assessorReview,
	canonicalJson,
	commentBank,
	decisionValuesFromForm,
	decisionsForLearner,
	field,
	queueFilters,
	resubmissionRequest,
	saveDecisionDraft,
	sha256Hex,
	signDecision,
	verifyDecision,
	type AssessorReview,
	type DecisionValues
} from './assessment';

const written: ReflectionText = {
	situation: 'A caller said she was the account holder’s wife and asked for the balance.',
	task: 'I had to help her without disclosing anything, following the data protection policy.',
	action: 'I checked the account for a recorded authority, found none and explained why.',
	result: 'Nothing was disclosed and I logged the call on the customer record.'
};

let db: Db;
let ids: Record<'amira' | 'tomas' | 'ola' | 'gareth' | 'sam', string>;
const gareth = () => ({ id: ids.gareth, displayName: 'Gareth Llewellyn' });

function idOf(email: string): string {
	return db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
}

/** An ended attempt of the learner's, with its reflection submitted at the time given. */
function submittedAttempt(learnerId: string, submittedAt: string, scenarioId = 'spouse-caller'): string {
	const started = startLearnerAttempt(db, learnerId, scenarioId);
	if (!started.ok) throw new Error(started.error.message);
	const ended = endLearnerAttempt(db, learnerId, started.value.id);
	if (!ended.ok) throw new Error(ended.error.message);
	const submitted = submitReflection(db, learnerId, started.value.id, written, new Date(submittedAt));
	if (!submitted.ok) throw new Error(submitted.error.message);
	return started.value.id;
}

function review(attemptId: string, assessorId = ids.gareth): AssessorReview {
	const r = assessorReview(db, assessorId, attemptId);
	if (!r) throw new Error('not reviewable');
	return r;
}

/** The review's own values (the automatic proposal), decided and signed as Gareth. */
function decided(attemptId: string, change: Partial<DecisionValues> = {}): DecisionValues {
	return { ...review(attemptId).values, outcome: 'met', feedback: 'A careful, lawful call.', signedName: 'Gareth Llewellyn', ...change };
}

beforeEach(async () => {
	db = openDatabase(':memory:');
	await seedDemoData(db);
	syncBuiltInScenarios(db);
	ids = {
		amira: idOf('learner@custodian.test'),
		tomas: idOf('learner2@custodian.test'),
		ola: idOf('learner3@custodian.test'),
		gareth: idOf('assessor@custodian.test'),
		sam: idOf('lead@custodian.test')
	};
});

describe('canonical JSON', () => {
	it('sorts keys at every depth and leaves no whitespace', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 'x y' }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":"x y","z":1}]},"b":1}');
	});

	it('leaves out undefined keys as JSON does', () => {
		expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
	});

	it('gives the same text for the same value whatever the key order, and parses back to it', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				const text = canonicalJson(value);
				const shuffled = JSON.parse(JSON.stringify(value), (_k, v) =>
					v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v
				);
				expect(canonicalJson(shuffled)).toBe(text);
				expect(canonicalJson(JSON.parse(text))).toBe(text);
				expect(text).not.toMatch(/^\s|\s$/);
			})
		);
	});

	it('hashes with SHA-256 in hex', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('the assessor’s queue', () => {
	it('holds the submitted attempts of the assessor’s learners, oldest first, and not attempts without a submitted reflection', () => {
		const later = submittedAttempt(ids.amira, '2026-03-02T09:00:00Z');
		const earlier = submittedAttempt(ids.tomas, '2026-03-01T09:00:00Z');
		const notSubmitted = startLearnerAttempt(db, ids.amira, 'spouse-caller');
		if (notSubmitted.ok) endLearnerAttempt(db, ids.amira, notSubmitted.value.id);
		const queue = assessmentQueue(db, ids.gareth);
		expect(queue.items.map((i) => i.attemptId)).toEqual([earlier, later]);
		expect(queue.items[0]).toMatchObject({ learnerName: 'Tomás Ó Briain', state: 'awaiting', submittedAt: '2026-03-01T09:00:00.000Z' });
		expect(queue.counts).toEqual({ awaiting: 2, 'resubmission-requested': 0, decided: 0 });
	});

	it('shows an assessor only the learners they assess', () => {
		const olas = submittedAttempt(ids.ola, '2026-03-01T09:00:00Z');
		submittedAttempt(ids.amira, '2026-03-02T09:00:00Z');
		expect(assessmentQueue(db, ids.gareth).items.map((i) => i.learnerId)).toEqual([ids.amira]);
		expect(assessmentQueue(db, ids.gareth).options.learners.map((l) => l.name)).toEqual(['Amira Khan', 'Tomás Ó Briain']);
		expect(assessmentQueue(db, ids.sam).items.map((i) => i.attemptId)).toContain(olas);
		expect(assessorReview(db, ids.gareth, olas)).toBeUndefined();
		expect(assessorReview(db, ids.sam, olas)).toBeDefined();
	});

	it('filters by learner, scenario and state', () => {
		const a = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const b = submittedAttempt(ids.amira, '2026-03-02T09:00:00Z', 'record-correction');
		const c = submittedAttempt(ids.tomas, '2026-03-03T09:00:00Z');
		expect(signDecision(db, gareth(), c, decided(c)).ok).toBe(true);
		const ofItems = (filters: Parameters<typeof assessmentQueue>[2]) => assessmentQueue(db, ids.gareth, filters).items.map((i) => i.attemptId);
		expect(ofItems({ learnerId: ids.amira })).toEqual([a, b]);
		expect(ofItems({ scenarioId: 'record-correction' })).toEqual([b]);
		expect(ofItems({ state: 'decided' })).toEqual([c]);
		expect(ofItems({ state: 'awaiting', scenarioId: 'spouse-caller' })).toEqual([a]);
		expect(ofItems({ learnerId: ids.ola })).toEqual([]);
	});

	it('reads filters from a query and ignores values that are not choices', () => {
		expect(queueFilters(new URLSearchParams('learner=x&scenario=y&state=decided'))).toEqual({ learnerId: 'x', scenarioId: 'y', state: 'decided' });
		expect(queueFilters(new URLSearchParams(`state=nonsense&learner=${'x'.repeat(500)}`))).toEqual({ learnerId: undefined, scenarioId: undefined, state: undefined });
	});
});

describe('signing a decision', () => {
	it('records the evidence and signature hashes, which verify, and an overridden point with its feedback', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const r = review(id);
		const first = r.points[0]!;
		const values = decided(id, { points: { ...r.values.points, [first.id]: { met: first.proposed ? 'not-met' : 'met', feedback: 'I judge this differently.' } } });
		const signed = signDecision(db, gareth(), id, values, new Date('2026-03-05T12:00:00Z'));
		expect(signed.ok).toBe(true);
		if (!signed.ok) return;
		expect(signed.value).toMatchObject({ sequence: 1, supersedesId: null, outcome: 'met', signedName: 'Gareth Llewellyn', signedAt: '2026-03-05T12:00:00.000Z' });
		expect(signed.value.points[0]).toEqual({ pointId: first.id, proposed: first.proposed, met: !first.proposed, feedback: 'I judge this differently.' });
		expect(signed.value.evidenceHash).toMatch(/^[0-9a-f]{64}$/);
		expect(signed.value.signatureHash).toMatch(/^[0-9a-f]{64}$/);
		expect(verifyDecision(db, signed.value)).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: true, matches: true });
	});

	it('no longer verifies once the reflection judged has changed, or the decision as stored differs', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const signed = signDecision(db, gareth(), id, decided(id));
		if (!signed.ok) throw new Error(signed.error.message);
		expect(verifyDecision(db, { ...signed.value, outcome: 'not-yet-met' })).toMatchObject({ signatureMatches: false, matches: false });
		expect(verifyDecision(db, { ...signed.value, signedName: 'Someone Else' }).signatureMatches).toBe(false);
		db.update(reflection).set({ action: 'I disclosed the balance.' }).where(eq(reflection.attemptId, id)).run();
		// The evidence judged is kept with the decision: it still verifies, and says the attempt has changed since.
		expect(verifyDecision(db, signed.value)).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: false, matches: true });
		// A tampered copy of the kept evidence no longer reproduces the hash that was signed.
		const kept = signed.value.evidence as { reflection: { action: string } };
		const tampered = { ...signed.value, evidence: { ...kept, reflection: { ...kept.reflection, action: 'I disclosed the balance.' } } };
		expect(verifyDecision(db, tampered)).toMatchObject({ signatureMatches: true, evidenceMatches: false, matches: false });
	});

	it('accepts the signer’s name in any case and spacing, and refuses another name next to the field', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const refused = signDecision(db, gareth(), id, decided(id, { signedName: 'Sam Okafor' }));
		expect(refused).toMatchObject({ ok: false, error: { code: 'decision.invalid', fields: { signedName: expect.stringContaining('Gareth Llewellyn') } } });
		expect(signDecision(db, gareth(), id, decided(id, { signedName: '  gareth   LLEWELLYN ' })).ok).toBe(true);
	});

	it('requires what to do next unless met, feedback on an override, and an outcome', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const r = review(id);
		const first = r.points[0]!;
		const refused = signDecision(
			db,
			gareth(),
			id,
			decided(id, { outcome: 'not-yet-met', nextSteps: '  ', points: { ...r.values.points, [first.id]: { met: first.proposed ? 'not-met' : 'met', feedback: '' } } })
		);
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(refused.error.fields).toMatchObject({ nextSteps: expect.stringMatching(/next/), [field.pointFeedback(0)]: expect.stringMatching(/override/) });
		expect(signDecision(db, gareth(), id, decided(id, { outcome: '' })).ok).toBe(false);
		expect(db.select().from(assessmentDecision).all()).toEqual([]);
	});

	it('answers hostile input with typed errors, never an exception', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		fc.assert(
			fc.property(fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), (outcome, feedback, met) => {
				const r = review(id);
				const values = decided(id, { outcome, feedback, points: Object.fromEntries(Object.keys(r.values.points).map((k) => [k, { met, feedback }])) });
				const result = signDecision(db, gareth(), id, { ...values, signedName: 'nobody' });
				expect(result).toMatchObject({ ok: false, error: { code: 'decision.invalid' } });
			}),
			{ numRuns: 50 }
		);
		expect(signDecision(db, gareth(), 'x'.repeat(5000), decided(id)).ok).toBe(false);
		expect(saveDecisionDraft(db, ids.gareth, '../../etc', decided(id))).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
	});

	it('refuses the assessor an attempt of a learner they do not assess, and their own', () => {
		const olas = submittedAttempt(ids.ola, '2026-03-01T09:00:00Z');
		expect(signDecision(db, gareth(), olas, { ...decided(submittedAttempt(ids.amira, '2026-03-02T09:00:00Z')) })).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
		// Sam is an assessor who also plays a scenario: his own attempt is never his to judge.
		const own = startLearnerAttempt(db, ids.sam, 'spouse-caller');
		if (!own.ok) throw new Error(own.error.message);
		endLearnerAttempt(db, ids.sam, own.value.id);
		expect(assessorReview(db, ids.sam, own.value.id)).toBeUndefined();
	});
});

describe('a signed decision', () => {
	it('cannot be updated or deleted: the database refuses', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const signed = signDecision(db, gareth(), id, decided(id));
		if (!signed.ok) throw new Error(signed.error.message);
		expect(() => db.update(assessmentDecision).set({ outcome: 'not-yet-met' }).where(eq(assessmentDecision.id, signed.value.id)).run()).toThrow();
		expect(() => db.delete(assessmentDecision).where(eq(assessmentDecision.id, signed.value.id)).run()).toThrow();
		expect(db.select().from(assessmentDecision).get()).toEqual(signed.value);
	});

	it('refuses a stale form (drawn before the signing) and a form naming a superseded decision, and keeps the history', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const stale = decided(id);
		const first = signDecision(db, gareth(), id, stale, new Date('2026-03-05T12:00:00Z'));
		if (!first.ok) throw new Error(first.error.message);
		expect(signDecision(db, gareth(), id, { ...stale, outcome: 'not-yet-met', nextSteps: 'Redo it.' })).toMatchObject({
			ok: false,
			error: { code: 'decision.already-signed', message: expect.stringMatching(/cannot be edited/) }
		});

		const superseding = decided(id, { outcome: 'not-yet-met', nextSteps: 'Log the call before you end it.', feedback: 'On reflection, not yet.' });
		expect(superseding.supersedes).toBe(first.value.id);
		const second = signDecision(db, gareth(), id, superseding, new Date('2026-03-06T12:00:00Z'));
		expect(second).toMatchObject({ ok: true, value: { sequence: 2, supersedesId: first.value.id, outcome: 'not-yet-met' } });

		expect(signDecision(db, gareth(), id, { ...superseding, supersedes: first.value.id })).toMatchObject({ ok: false, error: { code: 'decision.superseded' } });
		expect(review(id).decisions.map((d) => d.sequence)).toEqual([2, 1]);
		expect(review(id).decisions.every((d) => d.verified?.matches)).toBe(true);
	});

	it('discards the assessor’s draft once signed, and drafts keep everything typed until then', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		saveDecisionDraft(db, ids.gareth, id, decided(id, { feedback: 'Half written', assessorNote: 'Check with IQA' }), new Date('2026-03-04T10:00:00Z'));
		expect(review(id).values).toMatchObject({ feedback: 'Half written', assessorNote: 'Check with IQA', signedName: '' });
		expect(review(id).draftSavedAt).toBe('2026-03-04T10:00:00.000Z');
		expect(assessorReview(db, ids.sam, id)?.values.feedback).toBe('');
		signDecision(db, gareth(), id, decided(id));
		expect(db.select().from(assessmentDraft).where(eq(assessmentDraft.assessorId, ids.gareth)).all()).toEqual([]);
	});
});

describe('resubmission', () => {
	it('reopens the reflection with the assessor’s request, takes it out of the queue and brings it back when resubmitted', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const signed = signDecision(
			db,
			gareth(),
			id,
			decided(id, { outcome: 'resubmission-requested', nextSteps: 'Name the legislation in your task.' }),
			new Date('2026-03-05T12:00:00Z')
		);
		expect(signed.ok).toBe(true);
		expect(reflectionOf(db, ids.amira, id)).toMatchObject({ status: 'draft', submittedAt: null, task: written.task });
		expect(resubmissionRequest(db, ids.amira, id)).toMatchObject({ nextSteps: 'Name the legislation in your task.', signedName: 'Gareth Llewellyn' });
		expect(assessmentQueue(db, ids.gareth).items[0]).toMatchObject({ attemptId: id, state: 'resubmission-requested' });
		expect(review(id).canSign).toBe(false);

		expect(submitReflection(db, ids.amira, id, { ...written, task: 'Under UK GDPR and the DPA 2018 I had to protect the data.' }, new Date('2026-03-06T09:00:00Z')).ok).toBe(true);
		expect(assessmentQueue(db, ids.gareth).items[0]).toMatchObject({ attemptId: id, state: 'awaiting', submittedAt: '2026-03-06T09:00:00.000Z' });
		const next = signDecision(db, gareth(), id, decided(id), new Date('2026-03-07T09:00:00Z'));
		expect(next).toMatchObject({ ok: true, value: { sequence: 2 } });
		expect(resubmissionRequest(db, ids.amira, id)).toBeUndefined();
	});
});

describe('what the learner sees', () => {
	it('lists their decisions newest first without the assessor’s note, and none of another learner’s', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		signDecision(db, gareth(), id, decided(id, { outcome: 'not-yet-met', nextSteps: 'Try again.', assessorNote: 'Private: discuss at standardisation.' }), new Date('2026-03-02T09:00:00Z'));
		signDecision(db, gareth(), id, decided(id, { assessorNote: 'Private too.' }), new Date('2026-03-03T09:00:00Z'));
		const seen = decisionsForLearner(db, ids.amira, id);
		expect(seen.map((d) => d.outcome)).toEqual(['met', 'not-yet-met']);
		expect(JSON.stringify(seen)).not.toContain('Private');
		expect(seen.every((d) => !('assessorNote' in d))).toBe(true);
		expect(decisionsForLearner(db, ids.tomas, id)).toEqual([]);
	});
});

describe('the comment bank and the form', () => {
	it('adds entries for the centre and appends a chosen one to its feedback box', () => {
		const id = submittedAttempt(ids.amira, '2026-03-01T09:00:00Z');
		const added = addComment(db, { id: ids.gareth, organisationId: DEMO_ORGANISATION_ID }, { text: 'Name the legislation you relied on.', criterion: 'PC01' });
		if (!added.ok) throw new Error(added.error.message);
		expect(commentBank(db, DEMO_ORGANISATION_ID)).toEqual([{ id: added.value.id, criterion: 'PC01', text: 'Name the legislation you relied on.' }]);
		const r = review(id);
		const form = new FormData();
		form.set('outcome', 'met');
		form.set('feedback', 'Good work.');
		form.set('feedback-comment', added.value.id);
		form.set(field.pointMet(0), 'met');
		form.set(field.pointFeedback(0), '');
		form.set(field.pointComment(0), added.value.id);
		form.set(field.criterionComment(0), 'not-a-comment');
		const values = decisionValuesFromForm(form, r, commentBank(db, DEMO_ORGANISATION_ID));
		expect(values.feedback).toBe('Good work.\nName the legislation you relied on.');
		expect(values.points[r.points[0]!.id]).toEqual({ met: 'met', feedback: 'Name the legislation you relied on.' });
		expect(values.criteria[r.criteria[0]!.code]?.feedback).toBe('');
	});

	it('refuses an empty comment, an overlong one and an unknown criterion with typed errors', () => {
		const author = { id: ids.gareth, organisationId: DEMO_ORGANISATION_ID };
		expect(addComment(db, author, { text: '  ', criterion: '' })).toMatchObject({ ok: false, error: { code: 'comment.invalid', field: 'text' } });
		expect(addComment(db, author, { text: 'x'.repeat(1001), criterion: '' })).toMatchObject({ ok: false, error: { field: 'text' } });
		expect(addComment(db, author, { text: 'Fine', criterion: 'ZZ99' })).toMatchObject({ ok: false, error: { field: 'criterion' } });
		expect(addComment(db, author, { text: 42, criterion: null })).toMatchObject({ ok: false });
	});
});

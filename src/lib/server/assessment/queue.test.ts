import { describe, expect, it } from 'vitest';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { assessmentQueue, queueFilters } from './queue';
import { assessorReview } from './review';
import { signDecision } from './signing';
import { assessmentFixture } from './testing';

const f = assessmentFixture();

describe('the assessor’s queue', () => {
	it('holds the submitted attempts of the assessor’s learners, oldest first, and not attempts without a submitted reflection', () => {
		const later = f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z');
		const earlier = f.submittedAttempt(f.ids.tomas, '2026-03-01T09:00:00Z');
		const notSubmitted = startLearnerAttempt(f.db, f.ids.amira, 'spouse-caller');
		if (notSubmitted.ok) endLearnerAttempt(f.db, f.ids.amira, notSubmitted.value.id);
		const queue = assessmentQueue(f.db, f.ids.gareth);
		expect(queue.items.map((i) => i.attemptId)).toEqual([earlier, later]);
		expect(queue.items[0]).toMatchObject({ learnerName: 'Tomás Ó Briain', state: 'awaiting', submittedAt: '2026-03-01T09:00:00.000Z' });
		expect(queue.counts).toEqual({ awaiting: 2, countersignature: 0, 'resubmission-requested': 0, decided: 0 });
	});

	it('shows an assessor only the learners they assess', () => {
		const olas = f.submittedAttempt(f.ids.ola, '2026-03-01T09:00:00Z');
		f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z');
		expect(assessmentQueue(f.db, f.ids.gareth).items.map((i) => i.learnerId)).toEqual([f.ids.amira]);
		expect(assessmentQueue(f.db, f.ids.gareth).options.learners.map((l) => l.name)).toEqual(['Amira Khan', 'Tomás Ó Briain']);
		expect(assessmentQueue(f.db, f.ids.sam).items.map((i) => i.attemptId)).toContain(olas);
		expect(assessorReview(f.db, f.ids.gareth, olas)).toBeUndefined();
		expect(assessorReview(f.db, f.ids.sam, olas)).toBeDefined();
	});

	it('filters by learner, scenario and state', () => {
		const a = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const b = f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z', 'record-correction');
		const c = f.submittedAttempt(f.ids.tomas, '2026-03-03T09:00:00Z');
		expect(signDecision(f.db, f.gareth(), c, f.decided(c)).ok).toBe(true);
		const ofItems = (filters: Parameters<typeof assessmentQueue>[2]) => assessmentQueue(f.db, f.ids.gareth, filters).items.map((i) => i.attemptId);
		expect(ofItems({ learnerId: f.ids.amira })).toEqual([a, b]);
		expect(ofItems({ scenarioId: 'record-correction' })).toEqual([b]);
		expect(ofItems({ state: 'decided' })).toEqual([c]);
		expect(ofItems({ state: 'awaiting', scenarioId: 'spouse-caller' })).toEqual([a]);
		expect(ofItems({ learnerId: f.ids.ola })).toEqual([]);
	});

	it('reads filters from a query and ignores values that are not choices', () => {
		expect(queueFilters(new URLSearchParams('learner=x&scenario=y&state=decided'))).toEqual({ learnerId: 'x', scenarioId: 'y', state: 'decided' });
		expect(queueFilters(new URLSearchParams(`state=nonsense&learner=${'x'.repeat(500)}`))).toEqual({ learnerId: undefined, scenarioId: undefined, state: undefined });
	});
});

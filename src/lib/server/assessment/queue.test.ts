import { describe, expect, it } from 'vitest';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { assessmentQueue, queueFilters } from './queue';
import { assessorReview } from './review';
import { signDecision } from './signing';
import { assessmentFixture } from './testing';

const f = assessmentFixture();

describe('the assessor’s queue', () => {
	it('holds the submitted attempts of the assessor’s learners, oldest first, and not attempts without a submitted reflection', async () => {
		const later = await f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z');
		const earlier = await f.submittedAttempt(f.ids.tomas, '2026-03-01T09:00:00Z');
		const notSubmitted = await startLearnerAttempt(f.db, f.ids.amira, 'spouse-caller');
		if (notSubmitted.ok) await endLearnerAttempt(f.db, f.ids.amira, notSubmitted.value.id);
		const queue = await assessmentQueue(f.db, f.ids.gareth);
		expect(queue.items.map((i) => i.attemptId)).toEqual([earlier, later]);
		expect(queue.items[0]).toMatchObject({ learnerName: 'Tomás Ó Briain', state: 'awaiting', submittedAt: '2026-03-01T09:00:00.000Z' });
		expect(queue.counts).toEqual({ awaiting: 2, countersignature: 0, 'resubmission-requested': 0, decided: 0 });
	});

	it('shows an assessor only the learners they assess', async () => {
		const olas = await f.submittedAttempt(f.ids.ola, '2026-03-01T09:00:00Z');
		await f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z');
		expect((await assessmentQueue(f.db, f.ids.gareth)).items.map((i) => i.learnerId)).toEqual([f.ids.amira]);
		expect((await assessmentQueue(f.db, f.ids.gareth)).options.learners.map((l) => l.name)).toEqual(['Amira Khan', 'Tomás Ó Briain']);
		expect((await assessmentQueue(f.db, f.ids.sam)).items.map((i) => i.attemptId)).toContain(olas);
		expect(await assessorReview(f.db, f.ids.gareth, olas)).toBeUndefined();
		expect(await assessorReview(f.db, f.ids.sam, olas)).toBeDefined();
	});

	it('filters by learner, scenario and state', async () => {
		const a = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const b = await f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z', 'record-correction');
		const c = await f.submittedAttempt(f.ids.tomas, '2026-03-03T09:00:00Z');
		expect((await signDecision(f.db, f.gareth(), c, await f.decided(c))).ok).toBe(true);
		const ofItems = async (filters: Parameters<typeof assessmentQueue>[2]) => (await assessmentQueue(f.db, f.ids.gareth, filters)).items.map((i) => i.attemptId);
		expect(await ofItems({ learnerId: f.ids.amira })).toEqual([a, b]);
		expect(await ofItems({ scenarioId: 'record-correction' })).toEqual([b]);
		expect(await ofItems({ state: 'decided' })).toEqual([c]);
		expect(await ofItems({ state: 'awaiting', scenarioId: 'spouse-caller' })).toEqual([a]);
		expect(await ofItems({ learnerId: f.ids.ola })).toEqual([]);
	});

	it('reads filters from a query and ignores values that are not choices', () => {
		expect(queueFilters(new URLSearchParams('learner=x&scenario=y&state=decided'))).toEqual({ learnerId: 'x', scenarioId: 'y', state: 'decided' });
		expect(queueFilters(new URLSearchParams(`state=nonsense&learner=${'x'.repeat(500)}`))).toEqual({ learnerId: undefined, scenarioId: undefined, state: undefined });
	});
});

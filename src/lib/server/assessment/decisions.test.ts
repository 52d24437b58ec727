import { describe, expect, it } from 'vitest';
import { decisionsForLearner } from './decisions';
import { signDecision } from './signing';
import { assessmentFixture } from './testing';

const f = assessmentFixture();

describe('what the learner sees', () => {
	it('lists their decisions newest first without the assessor’s note, and none of another learner’s', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		await signDecision(f.db, f.gareth(), id, await f.decided(id, { outcome: 'not-yet-met', nextSteps: 'Try again.', assessorNote: 'Private: discuss at standardisation.' }), new Date('2026-03-02T09:00:00Z'));
		await signDecision(f.db, f.gareth(), id, await f.decided(id, { assessorNote: 'Private too.' }), new Date('2026-03-03T09:00:00Z'));
		const seen = await decisionsForLearner(f.db, f.ids.amira, id);
		expect(seen.map((d) => d.outcome)).toEqual(['met', 'not-yet-met']);
		expect(JSON.stringify(seen)).not.toContain('Private');
		expect(seen.every((d) => !('assessorNote' in d))).toBe(true);
		expect(await decisionsForLearner(f.db, f.ids.tomas, id)).toEqual([]);
	});
});

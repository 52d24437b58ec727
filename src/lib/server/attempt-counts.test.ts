import { describe, expect, it } from 'vitest';
import { attemptsOf, endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { signDecision } from '$lib/server/assessment/signing';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { assessorCounts, learnerCounts, learnerGroupFilter } from './attempt-counts';

const f = assessmentFixture();
/** Long after the demo cohort's assignments (spouse-caller, new-customer-signup, verbal-sar-neighbour) are due. */
const later = new Date(Date.now() + 100 * 86_400_000);

const byKey = (counts: { key: string; count: number }[]) => Object.fromEntries(counts.map((c) => [c.key, c.count]));

describe('the counts on the homes', () => {
	it('counts the learner’s attempts in progress, awaiting assessment and asked to be resubmitted, and their overdue assignments', async () => {
		const amira = { id: f.ids.amira, name: 'Amira Khan' };
		const running = await startLearnerAttempt(f.db, amira.id, 'record-correction');
		if (!running.ok) throw new Error(running.error.message);
		const ended = await startLearnerAttempt(f.db, amira.id, 'new-customer-signup');
		if (!ended.ok) throw new Error(ended.error.message);
		await endLearnerAttempt(f.db, amira.id, ended.value.id);
		await f.submittedAttempt(amira.id, '2026-03-01T09:00:00Z', 'verbal-sar-neighbour');
		const asked = await f.submittedAttempt(amira.id, '2026-03-02T09:00:00Z');
		expect((await signDecision(f.db, f.gareth(), asked, await f.decided(asked, { outcome: 'resubmission-requested', nextSteps: 'Say which procedure.' }))).ok).toBe(true);

		const counts = await learnerCounts(f.db, amira, await attemptsOf(f.db, amira.id), later);
		// In progress: the running call and the ended one without a reflection. Overdue: only
		// new-customer-signup, whose attempt was never handed in.
		expect(byKey(counts)).toEqual({ 'in-progress': 2, awaiting: 1, resubmission: 1, overdue: 1 });
		expect(counts.map((c) => c.href)).toEqual([
			'/learn/history?state=in-progress',
			'/learn/history?state=awaiting',
			'/learn/history?state=resubmission',
			'/learn#your-assignments'
		]);
		// Before the due dates nothing is overdue.
		expect(byKey(await learnerCounts(f.db, amira, await attemptsOf(f.db, amira.id), new Date())).overdue).toBe(0);
	});

	it('counts the assessor’s attempts to mark, resubmissions waiting and their learners’ overdue assignments', async () => {
		await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const b = await f.submittedAttempt(f.ids.tomas, '2026-03-02T09:00:00Z', 'new-customer-signup');
		await f.submittedAttempt(f.ids.ola, '2026-03-02T09:00:00Z', 'misdirected-email-breach');
		expect((await signDecision(f.db, f.gareth(), b, await f.decided(b, { outcome: 'resubmission-requested', nextSteps: 'Say which procedure.' }))).ok).toBe(true);

		const { counts, overdue } = await assessorCounts(f.db, f.ids.gareth, later);
		// Amira and Tomás have three assignments each; each handed one in. Ola is not Gareth's.
		expect(byKey(counts)).toEqual({ 'to-mark': 1, resubmissions: 1, overdue: 4 });
		expect(overdue.map((o) => `${o.learnerName}: ${o.scenarioId}`).sort()).toEqual([
			'Amira Khan: new-customer-signup',
			'Amira Khan: verbal-sar-neighbour',
			'Tomás Ó Briain: spouse-caller',
			'Tomás Ó Briain: verbal-sar-neighbour'
		]);
		expect(overdue.every((o) => o.daysOverdue > 0)).toBe(true);
		expect(counts.map((c) => c.href)).toEqual(['/assess?state=awaiting', '/assess?state=resubmission-requested', '/assess#overdue']);
	});

	it('reads a history filter from the query, ignoring anything else', () => {
		expect(learnerGroupFilter(new URLSearchParams('state=awaiting'))).toBe('awaiting');
		expect(learnerGroupFilter(new URLSearchParams('state=nonsense'))).toBeUndefined();
		expect(learnerGroupFilter(new URLSearchParams(''))).toBeUndefined();
	});
});

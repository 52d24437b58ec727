import { describe, expect, it } from 'vitest';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { prepareReflection, confirmReflection, saveReflectionDraft } from '$lib/server/reflections';
import { saveDecisionDraft } from '$lib/server/assessment/drafts';
import { signDecision } from '$lib/server/assessment/signing';
import { assessmentFixture, written } from '$lib/server/assessment/testing';
import { attemptStatuses } from './attempt-status';

const f = assessmentFixture();

async function started(learnerId: string, scenarioId = 'spouse-caller'): Promise<string> {
	const attempt = await startLearnerAttempt(f.db, learnerId, scenarioId);
	if (!attempt.ok) throw new Error(attempt.error.message);
	return attempt.value.id;
}

/** The status of one attempt as each viewer sees it, from the database. */
async function seen(attemptId: string) {
	return {
		learner: (await attemptStatuses(f.db, [attemptId], 'learner')).get(attemptId)!,
		assessor: (await attemptStatuses(f.db, [attemptId], 'assessor')).get(attemptId)!
	};
}

describe('where an attempt stands, and the next step for the learner and the assessor', () => {
	it('is in progress while the call is under way: the learner continues the call, the assessor waits', async () => {
		const id = await started(f.ids.amira);
		const { learner, assessor } = await seen(id);
		expect(learner).toEqual({ state: 'in-progress', label: 'In progress', next: 'Continue the call', tone: 'red', href: `/learn/attempts/${id}` });
		expect(assessor).toMatchObject({ state: 'in-progress', next: 'Waiting for the learner to finish the call', tone: 'amber', href: null });
	});

	it('asks the learner for a reflection once the call has ended, draft or none', async () => {
		const id = await started(f.ids.amira);
		await endLearnerAttempt(f.db, f.ids.amira, id);
		expect((await seen(id)).learner).toMatchObject({ state: 'reflecting', next: 'Write your reflection', tone: 'red', href: `/learn/attempts/${id}/reflection` });
		expect((await saveReflectionDraft(f.db, f.ids.amira, id, { ...written, result: '' })).ok).toBe(true);
		const { learner, assessor } = await seen(id);
		expect(learner).toMatchObject({ state: 'reflecting', label: 'Reflection not submitted', tone: 'red' });
		expect(assessor).toMatchObject({ state: 'reflecting', next: 'Waiting for the learner’s reflection', tone: 'amber' });
	});

	it('is submitted, awaiting assessment, once the reflection is submitted: the assessor marks it', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const { learner, assessor } = await seen(id);
		expect(learner).toMatchObject({ state: 'submitted', label: 'Submitted', next: 'Waiting for your assessor', tone: 'amber', href: `/learn/attempts/${id}/debrief` });
		expect(assessor).toEqual({ state: 'submitted', label: 'Submitted', next: 'Mark this attempt', tone: 'red', href: `/assess/attempts/${id}` });
	});

	it('is being assessed once an assessor has saved a draft decision on the submission', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		expect((await saveDecisionDraft(f.db, f.ids.gareth, id, await f.decided(id, { signedName: '' }), new Date('2026-03-02T09:00:00Z'))).ok).toBe(true);
		const { learner, assessor } = await seen(id);
		expect(learner).toMatchObject({ state: 'being-assessed', label: 'Being assessed', next: 'Waiting for your assessor', tone: 'amber' });
		expect(assessor).toMatchObject({ state: 'being-assessed', next: 'Finish marking this attempt', tone: 'red' });
	});

	it('is signed off, done for both, when the decision in force is met', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		expect((await signDecision(f.db, f.gareth(), id, await f.decided(id), new Date('2026-03-02T09:00:00Z'))).ok).toBe(true);
		const { learner, assessor } = await seen(id);
		expect(learner).toMatchObject({ state: 'signed-off', label: 'Signed off', tone: 'green' });
		expect(assessor).toMatchObject({ state: 'signed-off', tone: 'green' });
	});

	it('is not yet competent when decided not yet met: the learner tries again, until a later attempt is started', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = await signDecision(f.db, f.gareth(), id, await f.decided(id, { outcome: 'not-yet-met', nextSteps: 'Check the authority on file first.' }), new Date('2026-03-02T09:00:00Z'));
		expect(signed.ok).toBe(true);
		expect((await seen(id)).learner).toMatchObject({ state: 'not-yet-met', label: 'Not yet competent', next: 'Read the feedback and try again', tone: 'red' });
		expect((await seen(id)).assessor).toMatchObject({ state: 'not-yet-met', tone: 'green' });
		await started(f.ids.amira);
		expect((await seen(id)).learner).toMatchObject({ state: 'not-yet-met', tone: 'green' });
	});

	it('is resubmission asked when the assessor reopens the reflection, and submitted again once it is resubmitted', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const values = await f.decided(id, { outcome: 'resubmission-requested', nextSteps: 'Name the procedure in your Task.' });
		expect((await signDecision(f.db, f.gareth(), id, values, new Date('2026-03-02T09:00:00Z'))).ok).toBe(true);
		expect((await seen(id)).learner).toEqual({
			state: 'resubmission-asked',
			label: 'Resubmission asked',
			next: 'Read the feedback and try again',
			tone: 'red',
			href: `/learn/attempts/${id}/reflection`
		});
		expect((await seen(id)).assessor).toMatchObject({ state: 'resubmission-asked', next: 'Waiting for the learner’s resubmission', tone: 'amber' });

		const prepared = await prepareReflection(f.db, f.ids.amira, id, { ...written, task: 'Follow the data protection procedure and UK GDPR.' }, new Date('2026-03-03T09:00:00Z'));
		if (!prepared.ok) throw new Error(prepared.error.message);
		expect((await seen(id)).learner.state).toBe('resubmission-asked');
		expect((await confirmReflection(f.db, f.ids.amira, id, prepared.value.updatedAt, new Date('2026-03-03T09:05:00Z'))).ok).toBe(true);
		expect((await seen(id)).learner).toMatchObject({ state: 'submitted', tone: 'amber' });
		expect((await seen(id)).assessor).toMatchObject({ state: 'submitted', next: 'Mark this attempt', tone: 'red' });
	});

	it('reads many attempts at once, each with its own state', async () => {
		const running = await started(f.ids.amira);
		const submitted = await f.submittedAttempt(f.ids.tomas, '2026-03-01T09:00:00Z');
		const statuses = await attemptStatuses(f.db, [running, submitted, 'no-such-attempt'], 'assessor');
		expect([...statuses.entries()].map(([id, s]) => [id, s.state]).sort()).toEqual([[running, 'in-progress'], [submitted, 'submitted']].sort());
		expect((await attemptStatuses(f.db, [], 'learner')).size).toBe(0);
	});
});

import { describe, expect, it } from 'vitest';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { prepareReflection, confirmReflection, saveReflectionDraft } from '$lib/server/reflections';
import { saveDecisionDraft } from '$lib/server/assessment/drafts';
import { signDecision } from '$lib/server/assessment/signing';
import { assessmentFixture, written } from '$lib/server/assessment/testing';
import { attemptStatuses } from './attempt-status';

const f = assessmentFixture();

function started(learnerId: string, scenarioId = 'spouse-caller'): string {
	const attempt = startLearnerAttempt(f.db, learnerId, scenarioId);
	if (!attempt.ok) throw new Error(attempt.error.message);
	return attempt.value.id;
}

/** The status of one attempt as each viewer sees it, from the database. */
function seen(attemptId: string) {
	return {
		learner: attemptStatuses(f.db, [attemptId], 'learner').get(attemptId)!,
		assessor: attemptStatuses(f.db, [attemptId], 'assessor').get(attemptId)!
	};
}

describe('where an attempt stands, and the next step for the learner and the assessor', () => {
	it('is in progress while the call is under way: the learner continues the call, the assessor waits', () => {
		const id = started(f.ids.amira);
		const { learner, assessor } = seen(id);
		expect(learner).toEqual({ state: 'in-progress', label: 'In progress', next: 'Continue the call', tone: 'red', href: `/learn/attempts/${id}` });
		expect(assessor).toMatchObject({ state: 'in-progress', next: 'Waiting for the learner to finish the call', tone: 'amber', href: null });
	});

	it('asks the learner for a reflection once the call has ended, draft or none', () => {
		const id = started(f.ids.amira);
		endLearnerAttempt(f.db, f.ids.amira, id);
		expect(seen(id).learner).toMatchObject({ state: 'reflecting', next: 'Write your reflection', tone: 'red', href: `/learn/attempts/${id}/reflection` });
		expect(saveReflectionDraft(f.db, f.ids.amira, id, { ...written, result: '' }).ok).toBe(true);
		const { learner, assessor } = seen(id);
		expect(learner).toMatchObject({ state: 'reflecting', label: 'Reflection not submitted', tone: 'red' });
		expect(assessor).toMatchObject({ state: 'reflecting', next: 'Waiting for the learner’s reflection', tone: 'amber' });
	});

	it('is submitted, awaiting assessment, once the reflection is submitted: the assessor marks it', () => {
		const id = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const { learner, assessor } = seen(id);
		expect(learner).toMatchObject({ state: 'submitted', label: 'Submitted', next: 'Waiting for your assessor', tone: 'amber', href: `/learn/attempts/${id}/debrief` });
		expect(assessor).toEqual({ state: 'submitted', label: 'Submitted', next: 'Mark this attempt', tone: 'red', href: `/assess/attempts/${id}` });
	});

	it('is being assessed once an assessor has saved a draft decision on the submission', () => {
		const id = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		expect(saveDecisionDraft(f.db, f.ids.gareth, id, f.decided(id, { signedName: '' }), new Date('2026-03-02T09:00:00Z')).ok).toBe(true);
		const { learner, assessor } = seen(id);
		expect(learner).toMatchObject({ state: 'being-assessed', label: 'Being assessed', next: 'Waiting for your assessor', tone: 'amber' });
		expect(assessor).toMatchObject({ state: 'being-assessed', next: 'Finish marking this attempt', tone: 'red' });
	});

	it('is signed off, done for both, when the decision in force is met', () => {
		const id = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		expect(signDecision(f.db, f.gareth(), id, f.decided(id), new Date('2026-03-02T09:00:00Z')).ok).toBe(true);
		const { learner, assessor } = seen(id);
		expect(learner).toMatchObject({ state: 'signed-off', label: 'Signed off', tone: 'green' });
		expect(assessor).toMatchObject({ state: 'signed-off', tone: 'green' });
	});

	it('is not yet competent when decided not yet met: the learner tries again, until a later attempt is started', () => {
		const id = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = signDecision(f.db, f.gareth(), id, f.decided(id, { outcome: 'not-yet-met', nextSteps: 'Check the authority on file first.' }), new Date('2026-03-02T09:00:00Z'));
		expect(signed.ok).toBe(true);
		expect(seen(id).learner).toMatchObject({ state: 'not-yet-met', label: 'Not yet competent', next: 'Read the feedback and try again', tone: 'red' });
		expect(seen(id).assessor).toMatchObject({ state: 'not-yet-met', tone: 'green' });
		started(f.ids.amira);
		expect(seen(id).learner).toMatchObject({ state: 'not-yet-met', tone: 'green' });
	});

	it('is resubmission asked when the assessor reopens the reflection, and submitted again once it is resubmitted', () => {
		const id = f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const values = f.decided(id, { outcome: 'resubmission-requested', nextSteps: 'Name the procedure in your Task.' });
		expect(signDecision(f.db, f.gareth(), id, values, new Date('2026-03-02T09:00:00Z')).ok).toBe(true);
		expect(seen(id).learner).toEqual({
			state: 'resubmission-asked',
			label: 'Resubmission asked',
			next: 'Read the feedback and try again',
			tone: 'red',
			href: `/learn/attempts/${id}/reflection`
		});
		expect(seen(id).assessor).toMatchObject({ state: 'resubmission-asked', next: 'Waiting for the learner’s resubmission', tone: 'amber' });

		const prepared = prepareReflection(f.db, f.ids.amira, id, { ...written, task: 'Follow the data protection procedure and UK GDPR.' }, new Date('2026-03-03T09:00:00Z'));
		if (!prepared.ok) throw new Error(prepared.error.message);
		expect(seen(id).learner.state).toBe('resubmission-asked');
		expect(confirmReflection(f.db, f.ids.amira, id, prepared.value.updatedAt, new Date('2026-03-03T09:05:00Z')).ok).toBe(true);
		expect(seen(id).learner).toMatchObject({ state: 'submitted', tone: 'amber' });
		expect(seen(id).assessor).toMatchObject({ state: 'submitted', next: 'Mark this attempt', tone: 'red' });
	});

	it('reads many attempts at once, each with its own state', () => {
		const running = started(f.ids.amira);
		const submitted = f.submittedAttempt(f.ids.tomas, '2026-03-01T09:00:00Z');
		const statuses = attemptStatuses(f.db, [running, submitted, 'no-such-attempt'], 'assessor');
		expect([...statuses.entries()].map(([id, s]) => [id, s.state]).sort()).toEqual([[running, 'in-progress'], [submitted, 'submitted']].sort());
		expect(attemptStatuses(f.db, [], 'learner').size).toBe(0);
	});
});

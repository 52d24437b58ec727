import { describe, expect, it } from 'vitest';
import type { Db } from '$lib/core/database';
import { createUser } from '$lib/server/auth/user';
import type { LearnerAction } from '$lib/sim/runtime';
import { createServerTestDb } from './testing';
import { syncBuiltInScenarios } from './scenarios';
import { applyLearnerAction, ownedAttempt, SCREEN_TRANSCRIPT_LINES, screenTranscript, startLearnerAttempt } from './attempts';
import { duplicateScenario } from './authoring';
import { applyPreviewAction, ownedPreview, startPreview, type PreviewTutor } from './preview';
import { simulationScreen } from './simulation-screen';

const ATTEMPT_URL = 'http://localhost/learn/attempts/x';
/** A search the spouse-caller desk allows again and again: one system line each. */
const SEARCH: LearnerAction = { kind: 'core', operation: 'searchCustomers', input: { name: 'Hughes', postcode: 'NN15', purposeCode: 'supply-and-billing' } };

async function centre() {
	const db = await createServerTestDb();
	await syncBuiltInScenarios(db);
	const learner = await createUser(db, { organisationId: 'centre-1', email: 'l@example.org', displayName: 'L', password: 'a long enough password', roles: ['learner'] });
	return { db, learner: learner.id };
}

/** A learner's spouse-caller attempt: the account brought up, then `searches` searches. */
async function learnerAttempt(db: Db, learnerId: string, searches: number): Promise<string> {
	const started = await startLearnerAttempt(db, learnerId, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	const id = started.value.id;
	let seq = started.value.nextActionSeq;
	const act = async (action: LearnerAction) => {
		const applied = await applyLearnerAction(db, learnerId, id, action, seq++);
		if (!applied.ok) throw new Error(applied.error.message);
	};
	await act({ kind: 'choice', choiceId: 'bring-up-account' });
	for (let n = 0; n < searches; n++) await act(SEARCH);
	return id;
}

/** The screen's data as the attempt page's load builds it for this URL. */
async function learnerScreen(db: Db, learnerId: string, attemptId: string, url: string) {
	const owned = (await ownedAttempt(db, learnerId, attemptId, { transcript: screenTranscript(new URL(url)) }))!;
	return await simulationScreen(db, owned, owned.version.title, new URL(url));
}

describe('the simulation screen’s transcript', () => {
	it(`shows a long conversation’s last ${SCREEN_TRANSCRIPT_LINES} lines and counts the earlier ones`, async () => {
		const { db, learner } = await centre();
		const id = await learnerAttempt(db, learner, SCREEN_TRANSCRIPT_LINES + 20);
		const whole = (await ownedAttempt(db, learner, id))!.view.transcript;
		expect(whole.length).toBeGreaterThan(SCREEN_TRANSCRIPT_LINES);

		const screen = await learnerScreen(db, learner, id, ATTEMPT_URL);
		expect(screen.attempt.transcript).toEqual(whole.slice(-SCREEN_TRANSCRIPT_LINES));
		expect(screen.attempt.earlierLines).toBe(whole.length - SCREEN_TRANSCRIPT_LINES);
		expect(screen.attempt.transcript[0]!.seq).toBe(screen.attempt.earlierLines + 1);
	});

	it('shows the whole conversation on ?transcript=all, with no earlier lines left out', async () => {
		const { db, learner } = await centre();
		const id = await learnerAttempt(db, learner, SCREEN_TRANSCRIPT_LINES + 20);
		const whole = (await ownedAttempt(db, learner, id))!.view.transcript;

		const screen = await learnerScreen(db, learner, id, `${ATTEMPT_URL}?transcript=all&panel=search`);
		expect(screen.attempt.transcript).toEqual(whole);
		expect(screen.attempt.earlierLines).toBe(0);
	});

	it('shows a short conversation whole, with no link to earlier lines', async () => {
		const { db, learner } = await centre();
		const id = await learnerAttempt(db, learner, 3);
		const whole = (await ownedAttempt(db, learner, id))!.view.transcript;

		const screen = await learnerScreen(db, learner, id, ATTEMPT_URL);
		expect(screen.attempt.transcript).toEqual(whole);
		expect(screen.attempt.transcript.length).toBeLessThan(SCREEN_TRANSCRIPT_LINES);
		expect(screen.attempt.earlierLines).toBe(0);
	});

	it('cuts a tutor’s preview to the same window as a learner’s attempt, and shows it whole on ?transcript=all', async () => {
		const { db } = await centre();
		const made = await createUser(db, { organisationId: 'centre-1', email: 't@example.org', displayName: 'T', password: 'a long enough password', roles: ['tutor'] });
		const tutor: PreviewTutor = { id: made.id, organisationId: 'centre-1', displayName: 'T' };
		const copied = await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId: 'spouse-caller-gas', title: 'A spouse calls about the gas account' });
		if (!copied.ok) throw new Error(copied.error.message);
		const started = await startPreview(db, tutor, 'spouse-caller-gas');
		if (!started.ok) throw new Error(started.error.message);
		const id = started.value.id;
		let seq = started.value.nextActionSeq;
		const act = async (action: LearnerAction) => {
			const applied = await applyPreviewAction(db, tutor.id, 'spouse-caller-gas', id, action, seq++);
			if (!applied.ok) throw new Error(applied.error.message);
		};
		await act({ kind: 'choice', choiceId: 'bring-up-account' });
		for (let n = 0; n < SCREEN_TRANSCRIPT_LINES + 5; n++) await act(SEARCH);
		const owned = (await ownedPreview(db, tutor.id, 'spouse-caller-gas', id))!;
		const whole = owned.view.transcript;

		const windowed = await simulationScreen(db, owned, 'Draft', new URL(`http://localhost/author/scenarios/spouse-caller-gas/preview/${id}`));
		expect(windowed.attempt.transcript).toEqual(whole.slice(-SCREEN_TRANSCRIPT_LINES));
		expect(windowed.attempt.earlierLines).toBe(whole.length - SCREEN_TRANSCRIPT_LINES);

		const all = await simulationScreen(db, owned, 'Draft', new URL(`http://localhost/author/scenarios/spouse-caller-gas/preview/${id}?transcript=all`));
		expect(all.attempt.transcript).toEqual(whole);
		expect(all.attempt.earlierLines).toBe(0);
	});
});

/**
 * The set-up the assessment tests share: the demo centre with its built-in scenarios, fresh for each
 * test, and helpers to make a submitted attempt and a decision on it as Gareth, the demo assessor.
 */
import { beforeEach } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbGet, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { seedDemoData } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { submitReflection, type ReflectionText } from '$lib/server/reflections';
import { user } from '$lib/server/db/schema';
import type { DecisionValues } from './forms';
import { assessorReview, type AssessorReview } from './review';
import type { Signer } from './signing';

export const written: ReflectionText = {
	situation: 'A caller said she was the account holder’s wife and asked for the balance.',
	task: 'I had to help her without disclosing anything, following the data protection policy.',
	action: 'I checked the account for a recorded authority, found none and explained why.',
	result: 'Nothing was disclosed and I logged the call on the customer record.'
};

export interface AssessmentFixture {
	db: Db;
	ids: Record<'amira' | 'tomas' | 'ola' | 'gareth' | 'sam', string>;
	/** Gareth Llewellyn, who assesses Amira and Tomás (not Ola). */
	gareth(): Signer;
	/** An ended attempt of the learner's, with its reflection submitted at the time given. */
	submittedAttempt(learnerId: string, submittedAt: string, scenarioId?: string): Promise<string>;
	review(attemptId: string, assessorId?: string): Promise<AssessorReview>;
	/** The review's own values (the automatic proposal), decided and signed as Gareth. */
	decided(attemptId: string, change?: Partial<DecisionValues>): Promise<DecisionValues>;
}

/** Registers a beforeEach that opens a fresh demo database; read `db` and `ids` inside tests only. */
export function assessmentFixture(): AssessmentFixture {
	const fixture: AssessmentFixture = {
		db: undefined as unknown as Db,
		ids: { amira: '', tomas: '', ola: '', gareth: '', sam: '' },
		gareth: () => ({ id: fixture.ids.gareth, displayName: 'Gareth Llewellyn' }),
		async submittedAttempt(learnerId, submittedAt, scenarioId = 'spouse-caller') {
			const started = await startLearnerAttempt(fixture.db, learnerId, scenarioId);
			if (!started.ok) throw new Error(started.error.message);
			const ended = await endLearnerAttempt(fixture.db, learnerId, started.value.id);
			if (!ended.ok) throw new Error(ended.error.message);
			const submitted = await submitReflection(fixture.db, learnerId, started.value.id, written, new Date(submittedAt));
			if (!submitted.ok) throw new Error(submitted.error.message);
			return started.value.id;
		},
		async review(attemptId, assessorId = fixture.ids.gareth) {
			const r = await assessorReview(fixture.db, assessorId, attemptId);
			if (!r) throw new Error('not reviewable');
			return r;
		},
		async decided(attemptId, change = {}) {
			return { ...(await fixture.review(attemptId)).values, outcome: 'met', feedback: 'A careful, lawful call.', signedName: 'Gareth Llewellyn', ...change };
		}
	};
	beforeEach(async () => {
		const db = await openTestDatabase();
		await seedDemoData(db);
		await syncBuiltInScenarios(db);
		const idOf = async (email: string) => (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
		fixture.db = db;
		fixture.ids = {
			amira: await idOf('learner@custodian.test'),
			tomas: await idOf('learner2@custodian.test'),
			ola: await idOf('learner3@custodian.test'),
			gareth: await idOf('assessor@custodian.test'),
			sam: await idOf('lead@custodian.test')
		};
	});
	return fixture;
}

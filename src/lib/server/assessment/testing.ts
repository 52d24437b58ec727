/**
 * The set-up the assessment tests share: the demo centre with its built-in scenarios, fresh for each
 * test, and helpers to make a submitted attempt and a decision on it as Gareth, the demo assessor.
 */
import { beforeEach } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '$lib/core/database';
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
	submittedAttempt(learnerId: string, submittedAt: string, scenarioId?: string): string;
	review(attemptId: string, assessorId?: string): AssessorReview;
	/** The review's own values (the automatic proposal), decided and signed as Gareth. */
	decided(attemptId: string, change?: Partial<DecisionValues>): DecisionValues;
}

/** Registers a beforeEach that opens a fresh demo database; read `db` and `ids` inside tests only. */
export function assessmentFixture(): AssessmentFixture {
	const fixture: AssessmentFixture = {
		db: undefined as unknown as Db,
		ids: { amira: '', tomas: '', ola: '', gareth: '', sam: '' },
		gareth: () => ({ id: fixture.ids.gareth, displayName: 'Gareth Llewellyn' }),
		submittedAttempt(learnerId, submittedAt, scenarioId = 'spouse-caller') {
			const started = startLearnerAttempt(fixture.db, learnerId, scenarioId);
			if (!started.ok) throw new Error(started.error.message);
			const ended = endLearnerAttempt(fixture.db, learnerId, started.value.id);
			if (!ended.ok) throw new Error(ended.error.message);
			const submitted = submitReflection(fixture.db, learnerId, started.value.id, written, new Date(submittedAt));
			if (!submitted.ok) throw new Error(submitted.error.message);
			return started.value.id;
		},
		review(attemptId, assessorId = fixture.ids.gareth) {
			const r = assessorReview(fixture.db, assessorId, attemptId);
			if (!r) throw new Error('not reviewable');
			return r;
		},
		decided(attemptId, change = {}) {
			return { ...fixture.review(attemptId).values, outcome: 'met', feedback: 'A careful, lawful call.', signedName: 'Gareth Llewellyn', ...change };
		}
	};
	beforeEach(async () => {
		const db = openDatabase(':memory:');
		await seedDemoData(db);
		syncBuiltInScenarios(db);
		const idOf = (email: string) => db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
		fixture.db = db;
		fixture.ids = {
			amira: idOf('learner@custodian.test'),
			tomas: idOf('learner2@custodian.test'),
			ola: idOf('learner3@custodian.test'),
			gareth: idOf('assessor@custodian.test'),
			sam: idOf('lead@custodian.test')
		};
	});
	return fixture;
}

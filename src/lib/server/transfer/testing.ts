/**
 * Two centres with the records a move must carry and verify, for the transfer tests on either
 * engine: the demo centre (Northgate) with an attempt played, decisions signed (one a trainee's,
 * countersigned), workplace evidence judged, an IQA sample signed, a centre scenario published,
 * played and previewed, two findings of one instant, and a session (never exported); and a second
 * centre, Riverside, beside it.
 */
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { TransferError } from './errors';
import { dbGet, dbRun, type Db } from '$lib/core/database';
import { finding } from '$lib/core/schema';
import { seedDemoData, DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { applyLearnerAction, endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { submitReflection } from '$lib/server/reflections';
import { organisation, securityEvent, session, user, userRole } from '$lib/server/db/schema';
import { signDecision } from '$lib/server/assessment/signing';
import { countersignDecision } from '$lib/server/assessment/countersigning';
import { assessorReview } from '$lib/server/assessment/review';
import { written } from '$lib/server/assessment/testing';
import { signWorkplaceDecision } from '$lib/server/workplace/signing';
import { submittedWorkplaceEvidence } from '$lib/server/workplace/testing';
import { insertSample, actorFor } from '$lib/server/iqa/testing';
import { emptyRoundValues, signRound, startSampling } from '$lib/server/iqa/samples';
import type { SampleSnapshot } from '$lib/server/iqa/snapshots';
import { findAttempt } from '$lib/sim/attempts';
import { createScenario, publishDraft } from '$lib/server/authoring';
import { startPreview } from '$lib/server/preview';

export const SECOND_CENTRE = 'second-centre';

/** Ids of what seedCentres made, for the tests to look for. */
export interface SeededCentres {
	amira: string;
	tomas: string;
	decision: string;
	evidence: string;
	preview: string;
	riversideAttempt: string;
	/** The workspace holding two findings of one instant, inserted in the order of `tiedFindings`. */
	tiedWorkspace: string;
	tiedFindings: string[];
}

const ok = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
};

export async function seedCentres(db: Db): Promise<SeededCentres> {
	await seedDemoData(db);
	await syncBuiltInScenarios(db);
	const signer = async (email: string) => {
		const u = (await dbGet(db.select().from(user).where(eq(user.email, email))))!;
		return { id: u.id, displayName: u.displayName };
	};
	const submitted = async (learnerId: string, at: string, play?: boolean): Promise<string> => {
		const started = ok(await startLearnerAttempt(db, learnerId, 'spouse-caller'));
		if (play) ok(await applyLearnerAction(db, learnerId, started.id, { kind: 'core', operation: 'searchCustomers', input: { postcode: 'SW1' } }, started.nextActionSeq));
		ok(await endLearnerAttempt(db, learnerId, started.id));
		ok(await submitReflection(db, learnerId, started.id, written, new Date(at)));
		return started.id;
	};
	const decide = async (attemptId: string, by: { id: string; displayName: string }, at: string) => {
		const review = await assessorReview(db, by.id, attemptId);
		if (!review) throw new Error('not reviewable');
		return ok(await signDecision(db, by, attemptId, { ...review.values, outcome: 'met', feedback: 'A careful, lawful call.', signedName: by.displayName }, new Date(at)));
	};

	const amira = (await signer('learner@custodian.test')).id;
	const tomas = (await signer('learner2@custodian.test')).id;
	const gareth = await signer('assessor@custodian.test');
	const played = await submitted(amira, '2026-03-01T09:00:00Z', true);
	const decision = await decide(played, gareth, '2026-03-02T10:00:00Z');
	const traineeDecision = await decide(await submitted(tomas, '2026-03-01T09:30:00Z'), await signer('trainee@custodian.test'), '2026-03-02T11:00:00Z');
	ok(await countersignDecision(db, gareth, traineeDecision.id, { answer: 'countersign', comment: '', signedName: gareth.displayName }, new Date('2026-03-03T10:00:00Z')));
	const { evidenceId } = await submittedWorkplaceEvidence(db, {
		organisationId: DEMO_ORGANISATION_ID,
		learnerId: amira,
		criteria: ['PC01'],
		files: [{ name: 'call-log.png', mediaType: 'image/png', bytes: new Uint8Array([137, 80, 78, 71, 1, 2, 3]) }],
		submittedAt: '2026-03-01T09:00:00.000Z'
	});
	ok(
		await signWorkplaceDecision(
			db,
			gareth,
			evidenceId,
			{ outcome: 'met', feedback: 'Clear.', nextSteps: '', assessorNote: '', criteria: { PC01: { met: 'met', feedback: '' } }, signedName: gareth.displayName, supersedes: '' },
			new Date('2026-03-04T10:00:00Z')
		)
	);
	const helen = await actorFor(db, 'iqa@custodian.test');
	const sample = await insertSample(db, decision);
	const snapshot = ok(await startSampling(db, helen, sample.id, new Date('2026-03-10T10:00:00Z')));
	const codes = (snapshot.snapshot as SampleSnapshot).criteria.map((c) => c.code);
	const round = emptyRoundValues(codes);
	for (const check of Object.keys(round.vacs) as (keyof typeof round.vacs)[]) round.vacs[check] = { confirmed: 'yes', note: '' };
	for (const code of codes) round.criteria[code] = { verdict: 'agree', action: '', targetDate: '' };
	ok(await signRound(db, helen, sample.id, { ...round, feedback: 'Sound.', signedName: helen.displayName }, new Date('2026-03-10T11:00:00Z')));

	// Two findings of one instant, inserted against their keys' order: only the insertion order tells them apart.
	const tiedWorkspace = (await findAttempt(db, played))!.workspaceId;
	const tiedFindings = ['tie-z', 'tie-a'];
	for (const id of tiedFindings) {
		await dbRun(db.insert(finding).values({ id, workspaceId: tiedWorkspace, code: 'disclosure.unauthorised', rule: 'UK GDPR Art 5(1)(f)', message: 'Disclosed without authority.', details: {}, actorId: amira, actorRole: 'staff', at: '2026-03-01T09:05:00.000Z' }));
	}

	// A centre scenario, published and played, and a tutor's preview of it: rows reached through
	// links without a foreign key (a centre version's scenario id, a preview's owner).
	const tutor = { ...(await signer('tutor@custodian.test')), organisationId: DEMO_ORGANISATION_ID };
	ok(await createScenario(db, tutor, { scenarioId: 'northgate-welcome', title: 'Northgate welcome call', difficulty: 'foundation' }, new Date('2026-02-01T09:00:00Z')));
	ok(await publishDraft(db, tutor, 'northgate-welcome', new Date('2026-02-01T10:00:00Z')));
	const preview = ok(await startPreview(db, tutor, 'northgate-welcome', new Date('2026-02-01T11:00:00Z')));
	ok(await startLearnerAttempt(db, amira, 'northgate-welcome'));
	// A session, never exported.
	await dbRun(db.insert(session).values({ id: 'session-hash', userId: amira, expiresAt: 1, absoluteExpiresAt: 1, lastSeenAt: 1, createdAt: 1 }));

	// The second centre: a learner with an attempt and workplace evidence, and a security event.
	await dbRun(db.insert(organisation).values({ id: SECOND_CENTRE, name: 'Riverside College', updatedAt: '2026-01-01T00:00:00.000Z' }));
	await dbRun(db.insert(user).values({ id: 'riverside-learner', organisationId: SECOND_CENTRE, email: 'learner@riverside.test', displayName: 'Rhys Evans', passwordHash: 'x', createdAt: '2026-01-01T00:00:00.000Z' }));
	await dbRun(db.insert(userRole).values({ userId: 'riverside-learner', role: 'learner' }));
	const riversideAttempt = await submitted('riverside-learner', '2026-03-01T10:00:00Z');
	await submittedWorkplaceEvidence(db, { organisationId: SECOND_CENTRE, learnerId: 'riverside-learner', criteria: ['PC02'], submittedAt: '2026-03-01T10:00:00.000Z' });
	await dbRun(db.insert(securityEvent).values({ at: '2026-03-01T10:00:00.000Z', type: 'login.succeeded', userId: 'riverside-learner' }));

	return { amira, tomas, decision: decision.id, evidence: evidenceId, preview: preview.id, riversideAttempt, tiedWorkspace, tiedFindings };
}

/** The words a transfer refused with: the test fails if it did not refuse, or failed some other way. */
export async function transferRefusal(promise: Promise<unknown>): Promise<string> {
	const e = await promise.then(
		() => undefined,
		(error: unknown) => error
	);
	expect(e).toBeInstanceOf(TransferError);
	return (e as Error).message;
}

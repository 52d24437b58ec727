/**
 * A learner with a portfolio worth printing, for the portfolio's tests and benchmark: the demo
 * centre, Amira renamed to a name with accents and a Polish letter, any number of ended attempts
 * with actions, reflections (with £ and accented names), signed decisions (one superseded, each with
 * an assessor's private note that must never be printed), witness testimony and an observation.
 */
import { eq } from 'drizzle-orm';
import { dbGet, dbRun, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { seedDemoData } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { applyLearnerAction, endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { submitReflection } from '$lib/server/reflections';
import { assessorReview, signDecision, type AssessmentResult } from '$lib/server/assessment';
import { mapTestimony, recordObservation, recordTestimony } from '$lib/server/other-evidence';
import { user } from '$lib/server/db/schema';
import type { AssessmentDecision } from '$lib/server/db/assessment';

export const FIXTURE_LEARNER_NAME = 'Zoë Łukasiewicz';
export const ASSESSOR_NOTE = 'PRIVATE-ASSESSOR-NOTE: keep an eye on her pace';

export interface PortfolioFixture {
	db: Db;
	learnerId: string;
	assessorId: string;
	attemptIds: string[];
	decisions: AssessmentDecision[];
}

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

function signed(result: AssessmentResult<AssessmentDecision>): AssessmentDecision {
	if (!result.ok) throw new Error(`${result.error.message} ${JSON.stringify((result.error as { fields?: unknown }).fields ?? {})}`);
	return result.value;
}

export async function portfolioFixture(options: { attempts: number; actionsPerAttempt?: number }): Promise<PortfolioFixture> {
	const db = await openTestDatabase();
	await seedDemoData(db);
	await syncBuiltInScenarios(db);
	const idOf = async (email: string) => (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
	const learnerId = await idOf('learner@custodian.test');
	const assessorId = await idOf('assessor@custodian.test');
	await dbRun(db.update(user).set({ displayName: FIXTURE_LEARNER_NAME }).where(eq(user.id, learnerId)));
	const assessor = { id: assessorId, displayName: 'Gareth Llewellyn' };

	const attemptIds: string[] = [];
	const decisions: AssessmentDecision[] = [];
	for (let n = 0; n < options.attempts; n++) {
		const started = must(await startLearnerAttempt(db, learnerId, 'spouse-caller'));
		const daniel = started.seedIds.daniel!;
		let seq = 1;
		must(await applyLearnerAction(db, learnerId, started.id, { kind: 'choice', choiceId: 'bring-up-account' }, seq++));
		for (let a = 0; a < (options.actionsPerAttempt ?? 8); a++) {
			const action =
				a % 2 === 0
					? { kind: 'core' as const, operation: 'viewCustomer' as const, input: { customerId: daniel, purposeCode: 'supply-and-billing' } }
					: {
							kind: 'core' as const,
							operation: 'logInteraction' as const,
							input: { customerId: daniel, channel: 'phone', direction: 'inbound', partyType: 'unauthorised-third-party', nature: `Balance enquiry about £${120 + a}.50 from Tomás Ó Briain` }
						};
			must(await applyLearnerAction(db, learnerId, started.id, action as never, seq++));
		}
		must(await endLearnerAttempt(db, learnerId, started.id));
		must(
			await submitReflection(
				db,
				learnerId,
				started.id,
				{
					situation: `Attempt ${n + 1}: a caller said she was the account holder’s wife and asked for the £120.50 balance.`,
					task: 'I had to help her without disclosing anything, as Ola Nowak-Fitzgerald showed me in training.',
					action: 'I checked the account for a recorded authority, found none and explained why. Supercalifragilisticexpialidociousdataprotectionawarenesstraining.',
					result: 'Nothing was disclosed and I logged the call on the customer record.'
				},
				new Date(Date.now() - 60_000)
			)
		);
		attemptIds.push(started.id);
		const review = await assessorReview(db, assessorId, started.id);
		if (!review) throw new Error('fixture: attempt not reviewable');
		const base = { ...review.values, signedName: 'Gareth Llewellyn', assessorNote: ASSESSOR_NOTE };
		if (n === 0) {
			const first = signed(await signDecision(db, assessor, started.id, { ...base, outcome: 'not-yet-met', feedback: 'Good start; check the authority first.', nextSteps: 'Replay the call and check the authority before anything else.' }));
			decisions.push(first);
			const second = signed(await signDecision(db, assessor, started.id, { ...base, outcome: 'met', feedback: 'On reflection, a careful and lawful call.', nextSteps: '', supersedes: first.id }));
			decisions.push(second);
		} else if (n % 2 === 1) {
			decisions.push(signed(await signDecision(db, assessor, started.id, { ...base, outcome: 'met', feedback: `Attempt ${n + 1}: well handled.` })));
		}
	}

	const testimony = must(
		await recordTestimony(db, learnerId, learnerId, {
			witnessName: 'Tomás Ó Briain',
			witnessRole: 'Customer service team leader',
			relationship: 'Line manager',
			witnessContact: 'tomas.obriain@employer.example',
			statement: 'I watched Zoë handle a caller asking about a £250 refund. She checked the record, confirmed identity and logged the call correctly.',
			witnessedOn: '2026-01-12',
			witnessSignedName: 'Tomás Ó Briain',
			witnessSignedOn: '2026-01-13',
			notRelative: 'yes',
			declaredCriteria: ['PC01', 'PC02']
		})
	);
	must(await mapTestimony(db, assessorId, testimony.id, ['PC01']));
	must(
		await recordObservation(db, assessorId, learnerId, {
			observedOn: '2026-01-14',
			setting: 'Front desk, Tuesday morning shift',
			description: 'Zoë updated a customer’s address and confirmed the change in writing.',
			criteria: ['PC02']
		})
	);
	return { db, learnerId, assessorId, attemptIds, decisions };
}

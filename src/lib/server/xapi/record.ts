/**
 * The events of an attempt told to the centre's LRS (issue 20 item 2): each function runs inside the
 * transaction of its event (the attempt's start, a learner's action, its end, an assessor's signed
 * decision), builds the statements and writes them to the outbox there, so they commit or roll back
 * with it. Nothing is written while the learner's centre has no LRS switched on.
 */
import { asc, eq } from 'drizzle-orm';
import { ltiAccount, ltiPlatform } from '$lib/server/db/lti';
import { dbGet, preparedStatements, type Db } from '$lib/core/database';
import type { LoadedScenario } from '$lib/sim/scenario-check';
import type { ActionOutcome, AttemptResult, AttemptView, LearnerAction } from '$lib/sim/runtime';
import { attempt } from '$lib/sim/schema';
import type { AssessmentDecision } from '$lib/server/db/assessment';
import { loadedScenarioVersion } from '$lib/server/scenarios';
import { enqueueStatements } from './outbox';
import {
	attemptEnded,
	attemptStarted,
	centreAccount,
	decisionSigned,
	learnerAction,
	statementIdOf,
	type AttemptStatementBase,
	type XapiAccount,
	type XapiCentre
} from './statements';

/** The centre's base for every IRI and account home page: ORIGIN, as the app is reached. */
export function xapiCentre(env: Record<string, string | undefined> = process.env): XapiCentre {
	const origin = env.ORIGIN?.trim() || `http://localhost:${env.PORT?.trim() || '3000'}`;
	return { base: origin.replace(/\/+$/, '') };
}

/**
 * The account a user is known by in statements: a user linked to an LMS by an LTI launch (or an NRPS
 * cohort fill) is known by the platform's issuer and `sub`, as the LMS and its LRS know them (the
 * earliest link when there are several); anyone else by the centre's home page and our user id.
 * Never an e-mail.
 */
export async function xapiAccountOf(db: Db, centre: XapiCentre, userId: string): Promise<XapiAccount> {
	const linked = await dbGet(db
		.select({ issuer: ltiPlatform.issuer, sub: ltiAccount.sub })
		.from(ltiAccount)
		.innerJoin(ltiPlatform, eq(ltiPlatform.id, ltiAccount.platformId))
		.where(eq(ltiAccount.userId, userId))
		.orderBy(asc(ltiAccount.createdAt), asc(ltiAccount.platformId))
		.limit(1));
	return linked ? { homePage: linked.issuer, name: linked.sub } : centreAccount(centre, userId);
}

const statements = preparedStatements((client) => ({
	sendingCentre: client.prepare<[string], { organisation_id: string }>(
		`select u.organisation_id from "user" u join xapi_lrs l on l.organisation_id = u.organisation_id where u.id = ? and l.enabled = ${client.engine === 'postgres' ? 'true' : '1'}`
	)
}));

/** The user's centre, when its LRS is switched on (asked on every learner action, so prepared once per connection). */
async function sendingCentreOf(db: Db, userId: string): Promise<string | undefined> {
	return (await statements(db).sendingCentre.get(userId))?.organisation_id;
}

async function baseOf(db: Db, learnerId: string, attemptId: string, loaded: LoadedScenario): Promise<AttemptStatementBase> {
	const centre = xapiCentre();
	const { scenario } = loaded;
	return { centre, learner: await xapiAccountOf(db, centre, learnerId), attemptId, scenario: { id: scenario.id, title: scenario.title, criteria: scenario.criteria } };
}

export async function recordAttemptStarted(db: Db, learnerId: string, view: AttemptView, loaded: LoadedScenario, now: Date = new Date()): Promise<void> {
	const organisationId = await sendingCentreOf(db, learnerId);
	if (!organisationId) return;
	await enqueueStatements(db, organisationId, view.id, [attemptStarted(await baseOf(db, learnerId, view.id, loaded), now.toISOString())], now);
}

export async function recordLearnerAction(db: Db, learnerId: string, attemptId: string, loaded: LoadedScenario, action: LearnerAction, outcome: ActionOutcome, now: Date = new Date()): Promise<void> {
	// An action sent again (a reload, a second tab) was told of the first time.
	if (outcome.replayed) return;
	const organisationId = await sendingCentreOf(db, learnerId);
	if (!organisationId) return;
	const event = action.kind === 'choice' ? { seq: outcome.actionSeq, kind: 'choice' as const, name: action.choiceId } : { seq: outcome.actionSeq, kind: 'core' as const, name: action.operation };
	await enqueueStatements(db, organisationId, attemptId, [learnerAction(await baseOf(db, learnerId, attemptId, loaded), event, now.toISOString())], now);
}

export async function recordAttemptEnded(db: Db, learnerId: string, attemptId: string, loaded: LoadedScenario, result: AttemptResult, now: Date = new Date()): Promise<void> {
	const organisationId = await sendingCentreOf(db, learnerId);
	if (!organisationId) return;
	const points = result.points.map((p) => ({ id: p.id, description: p.description, critical: p.critical, criteria: p.criteria }));
	const statements = attemptEnded(await baseOf(db, learnerId, attemptId, loaded), {
		score: result.score,
		earned: result.earned,
		possible: result.possible,
		passed: result.passed,
		endedEarly: result.endedEarly ?? false,
		criticalMisses: result.criticalMisses,
		points,
		criteriaEvidenced: result.criteriaEvidenced,
		endedAt: result.endedAt
	});
	await enqueueStatements(db, organisationId, attemptId, statements, now);
}

/** The assessor's signed decision, in the signing's transaction. */
export async function recordDecisionSigned(db: Db, decision: AssessmentDecision, now: Date = new Date()): Promise<void> {
	const organisationId = await sendingCentreOf(db, decision.learnerId);
	if (!organisationId) return;
	const row = await dbGet(db.select({ scenarioId: attempt.scenarioId, scenarioVersion: attempt.scenarioVersion }).from(attempt).where(eq(attempt.id, decision.attemptId)));
	const loaded = row && await loadedScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`);
	if (!loaded) throw new Error(`The decision ${decision.id} names an attempt whose scenario version is not found`);
	const base = await baseOf(db, decision.learnerId, decision.attemptId, loaded);
	const statement = decisionSigned(
		base,
		{
			id: decision.id,
			assessor: await xapiAccountOf(db, base.centre, decision.assessorId),
			outcome: decision.outcome,
			criteria: decision.criteria.map((c) => ({ code: c.code, met: c.met })),
			signedAt: decision.signedAt,
			signatureHash: decision.signatureHash,
			requiresCountersignature: decision.requiresCountersignature,
			supersedesId: decision.supersedesId
		},
		decision.supersedesId ? statementIdOf(base.centre.base, `decision/${decision.supersedesId}`) : null
	);
	await enqueueStatements(db, organisationId, decision.attemptId, [statement], now);
}

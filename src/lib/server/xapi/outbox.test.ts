import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import validateStatement from 'xapi-validation';
import { dbAll, dbGet, dbRun, type Db } from '$lib/core/database';
import { ltiAccount, ltiPlatform } from '$lib/server/db/lti';
import { closeTestDatabase, openTestDatabase } from '$lib/core/testing-database';
import { seedDemoData } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { applyLearnerAction, endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { submitReflection } from '$lib/server/reflections';
import { assessorReview, signDecision } from '$lib/server/assessment';
import { user } from '$lib/server/db/schema';
import { xapiOutbox } from '$lib/server/db/xapi';
import { deliverDueStatements, forgetAttemptStatements, outboxView, retryFailedStatements, runXapiDelivery, sendTestStatement, XAPI_DELIVERY } from './outbox';
import { kicksSettled } from '$lib/server/jobs/kick';
import { saveLrsSettings } from './settings';
import { startStandInLrs, type StandInLrs } from './testing';
import { xapiCentre } from './record';

let db: Db;
let lrs: StandInLrs;
let learnerId: string;
let assessorId: string;
let organisationId: string;
const admin = { id: 'admin-test' };

beforeEach(async () => {
	db = await openTestDatabase();
	await seedDemoData(db);
	await syncBuiltInScenarios(db);
	const learner = (await dbGet(db.select().from(user).where(eq(user.email, 'learner@custodian.test'))))!;
	learnerId = learner.id;
	organisationId = learner.organisationId;
	assessorId = (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, 'assessor@custodian.test'))))!.id;
	lrs = await startStandInLrs();
});

afterEach(async () => {
	await kicksSettled(db, XAPI_DELIVERY);
	await lrs.close();
	closeTestDatabase(db);
});

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

async function switchOn(enabled = true): Promise<void> {
	const saved = await saveLrsSettings(db, organisationId, { endpoint: lrs.endpoint, key: 'centre-key', secret: 's3cret:with colon', enabled }, admin);
	expect(saved).toEqual({ ok: true });
}

/** A whole attempt: started, a choice, two operations, ended, reflected on, and judged by the assessor. */
async function playWholeAttempt(): Promise<string> {
	const started = must(await startLearnerAttempt(db, learnerId, 'spouse-caller'));
	const daniel = started.seedIds.daniel!;
	must(await applyLearnerAction(db, learnerId, started.id, { kind: 'choice', choiceId: 'bring-up-account' }, 1));
	must(await applyLearnerAction(db, learnerId, started.id, { kind: 'core', operation: 'viewCustomer', input: { customerId: daniel, purposeCode: 'supply-and-billing' } }, 2));
	must(await applyLearnerAction(db, learnerId, started.id, { kind: 'core', operation: 'searchCustomers', input: { postcode: 'SW1' } }, 3));
	must(await endLearnerAttempt(db, learnerId, started.id));
	must(
		await submitReflection(
			db,
			learnerId,
			started.id,
			{ situation: 'A caller asked for her husband’s balance.', task: 'Help without disclosing.', action: 'I checked for an authority and found none.', result: 'Nothing was disclosed.' },
			new Date(Date.now() - 60_000)
		)
	);
	const review = (await assessorReview(db, assessorId, started.id))!;
	must(await signDecision(db, { id: assessorId, displayName: 'Gareth Llewellyn' }, started.id, { ...review.values, outcome: 'met', feedback: 'A careful, lawful call.', signedName: 'Gareth Llewellyn' }));
	return started.id;
}

const outboxRows = async () => await dbAll(db.select().from(xapiOutbox).orderBy(asc(xapiOutbox.queueSeq)));
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

/** Runs delivery until a run sends nothing more. */
async function deliverAll(now: Date): Promise<void> {
	for (let i = 0; i < 20; i++) {
		const run = await runXapiDelivery(db, { now });
		if (run.ran && run.counts!.delivered + run.counts!.retrying + run.counts!.failed === 0) return;
	}
	throw new Error('delivery did not settle');
}

describe('the xAPI outbox', () => {
	it('writes nothing while the centre has no LRS switched on', async () => {
		await playWholeAttempt();
		expect(await outboxRows()).toEqual([]);
		await switchOn(false);
		await playWholeAttempt();
		expect(await outboxRows()).toEqual([]);
	});

	it('keeps a whole attempt played while the LRS is down, then delivers each statement once, oldest first, once it is up', async () => {
		await switchOn();
		lrs.mode = 'refusing';
		const attemptId = await playWholeAttempt();
		await kicksSettled(db, XAPI_DELIVERY);
		const waiting = await outboxRows();
		// attempted, 3 actions, completed or terminated, passed or failed, the decision.
		expect(waiting.map((r) => JSON.parse(r.body).verb.display['en-GB'])).toEqual(['attempted', 'responded', 'interacted', 'interacted', expect.stringMatching(/^(completed|terminated)$/), expect.stringMatching(/^(passed|failed)$/), 'passed']);
		expect(waiting.every((r) => r.status === 'waiting')).toBe(true);
		expect(waiting.some((r) => r.attempts > 0 && /Could not reach the LRS/.test(r.lastError ?? ''))).toBe(true);
		expect(lrs.puts).toEqual([]);

		lrs.mode = 'unavailable';
		await deliverAll(later(120));
		expect((await outboxRows()).every((r) => r.status === 'waiting')).toBe(true);
		expect((await outboxRows()).some((r) => /^503: LRS down/.test(r.lastError ?? ''))).toBe(true);

		lrs.mode = 'up';
		await deliverAll(later(240));
		await deliverAll(later(480));
		const delivered = await outboxRows();
		expect(delivered.every((r) => r.status === 'delivered' && r.deliveredAt !== null)).toBe(true);
		expect(lrs.puts.map((p) => p.statementId)).toEqual(delivered.map((r) => r.statementId));
		for (const put of lrs.puts) {
			const statement = JSON.parse(put.body);
			expect(validateStatement(statement)).toEqual([]);
			expect(statement.id).toBe(put.statementId);
			expect(put.path).toBe('/xapi/statements');
			expect(put.headers['x-experience-api-version']).toBe('1.0.3');
			expect(put.headers['user-agent']).toMatch(/^Custodian/);
			expect(put.headers.authorization).toBe(`Basic ${Buffer.from('centre-key:s3cret:with colon').toString('base64')}`);
			expect(statement.actor.account).toEqual({ homePage: xapiCentre().base, name: learnerId });
			expect(put.body).not.toContain('@custodian.test');
		}
		const decision = JSON.parse(lrs.puts.at(-1)!.body);
		expect(decision.context.instructor.account.name).toBe(assessorId);
		expect(new Set(lrs.puts.map((p) => JSON.parse(p.body).context.registration))).toEqual(new Set([JSON.parse(lrs.puts[0]!.body).context.registration]));
		expect(attemptId).toBeTruthy();
	});

	it('knows a learner linked to an LMS by the platform’s issuer and sub, and everyone else by our user id', async () => {
		const at = new Date().toISOString();
		await dbRun(db.insert(ltiPlatform).values({ id: 'moodle', organisationId, name: 'College Moodle', issuer: 'https://moodle.college.example', clientId: 'c', authLoginUrl: 'https://moodle.college.example/auth', tokenUrl: 'https://moodle.college.example/token', jwksUrl: 'https://moodle.college.example/jwks', deploymentIds: ['1'], status: 'enabled', registeredBy: 'manual', createdAt: at, updatedAt: at }));
		await dbRun(db.insert(ltiAccount).values({ platformId: 'moodle', sub: 'moodle-user-17', userId: learnerId, createdAt: at, lastLaunchAt: at }));
		await switchOn();
		await playWholeAttempt();
		const bodies = (await outboxRows()).map((r) => JSON.parse(r.body));
		expect(bodies.length).toBeGreaterThan(3);
		for (const statement of bodies) {
			expect(validateStatement(statement)).toEqual([]);
			expect(statement.actor.account).toEqual({ homePage: 'https://moodle.college.example', name: 'moodle-user-17' });
		}
		expect(bodies.at(-1).context.instructor.account).toEqual({ homePage: xapiCentre().base, name: assessorId });
	});

	it('forgets the statements of an attempt whose records are disposed of, and only its own', async () => {
		await switchOn();
		lrs.mode = 'refusing';
		const first = await playWholeAttempt();
		const second = await playWholeAttempt();
		await kicksSettled(db, XAPI_DELIVERY);
		const rows = await outboxRows();
		expect(new Set(rows.map((r) => r.attemptId))).toEqual(new Set([first, second]));
		const ofFirst = rows.filter((r) => r.attemptId === first).length;
		expect(await forgetAttemptStatements(db, [first])).toBe(ofFirst);
		expect((await outboxRows()).map((r) => r.attemptId)).toEqual(rows.filter((r) => r.attemptId === second).map((r) => r.attemptId));
		lrs.mode = 'up';
		await deliverAll(later(240));
		expect(lrs.puts.map((p) => JSON.parse(p.body).context.registration)).toEqual(rows.filter((r) => r.attemptId === second).map((r) => JSON.parse(r.body).context.registration));
	});

	it('delivers soon after the event commits, without anyone running the job', async () => {
		await switchOn();
		const started = must(await startLearnerAttempt(db, learnerId, 'spouse-caller'));
		await kicksSettled(db, XAPI_DELIVERY);
		expect(lrs.puts.map((p) => JSON.parse(p.body).verb.id)).toEqual(['http://adlnet.gov/expapi/verbs/attempted']);
		expect(JSON.parse(lrs.puts[0]!.body).object.definition.name['en-GB']).toBeTruthy();
		expect(started.id).toBeTruthy();
	});

	it('adds nothing for an action refused and rolled back, nor for an action sent again', async () => {
		await switchOn();
		lrs.mode = 'refusing';
		const started = must(await startLearnerAttempt(db, learnerId, 'spouse-caller'));
		must(await applyLearnerAction(db, learnerId, started.id, { kind: 'choice', choiceId: 'bring-up-account' }, 1));
		const again = must(await applyLearnerAction(db, learnerId, started.id, { kind: 'choice', choiceId: 'bring-up-account' }, 1));
		expect(again.replayed).toBe(true);
		const refused = await applyLearnerAction(db, learnerId, started.id, { kind: 'choice', choiceId: 'not-a-choice' }, 2);
		expect(refused.ok).toBe(false);
		expect((await outboxRows()).map((r) => JSON.parse(r.body).verb.display['en-GB'])).toEqual(['attempted', 'responded']);
	});

	it('counts a 409 as delivered, records a 400 as failed and does not retry it until the administrator does', async () => {
		await switchOn();
		lrs.mode = 'refusing';
		const started = must(await startLearnerAttempt(db, learnerId, 'spouse-caller'));
		must(await applyLearnerAction(db, learnerId, started.id, { kind: 'choice', choiceId: 'bring-up-account' }, 1));
		await kicksSettled(db, XAPI_DELIVERY);
		const [first, second] = await outboxRows();
		lrs.answers.set(first!.statementId, 409);
		lrs.answers.set(second!.statementId, 400);
		lrs.mode = 'up';
		await deliverAll(later(120));
		await deliverAll(later(600));
		const rows = await outboxRows();
		expect(rows.map((r) => r.status)).toEqual(['delivered', 'failed']);
		expect(rows[1]!.lastError).toMatch(/^400: .*Stand-in LRS answered 400/);
		expect(lrs.puts.filter((p) => p.statementId === second!.statementId)).toHaveLength(1);
		const view = await outboxView(db, organisationId);
		expect(view.counts).toEqual({ waiting: 0, delivered: 1, failed: 1 });
		expect(view.failed.map((f) => [f.statementId, f.verb])).toEqual([[second!.statementId, 'responded']]);

		lrs.answers.delete(second!.statementId);
		expect(await retryFailedStatements(db, organisationId, admin)).toBe(1);
		await kicksSettled(db, XAPI_DELIVERY);
		await deliverAll(new Date());
		expect((await outboxRows()).map((r) => r.status)).toEqual(['delivered', 'delivered']);
		expect(lrs.puts.filter((p) => p.statementId === second!.statementId)).toHaveLength(2);
	});

	it('backs off after a 503, each wait twice the last, and keeps what the LRS said', async () => {
		await switchOn();
		lrs.mode = 'unavailable';
		must(await startLearnerAttempt(db, learnerId, 'spouse-caller'));
		await kicksSettled(db, XAPI_DELIVERY);
		const [tried] = await outboxRows();
		expect([tried!.status, tried!.attempts, tried!.lastError]).toEqual(['waiting', 1, '503: LRS down for maintenance']);
		const now = later(60);
		await runXapiDelivery(db, { now });
		const [row] = await outboxRows();
		expect([row!.status, row!.attempts]).toEqual(['waiting', 2]);
		expect(Date.parse(row!.nextTryAt) - now.getTime()).toBe(60_000);
	});

	it('never sends a statement twice when two runners deliver at once, with or without the job’s lease', async () => {
		await switchOn();
		lrs.mode = 'refusing';
		await playWholeAttempt();
		await kicksSettled(db, XAPI_DELIVERY);
		lrs.mode = 'up';
		lrs.delayMs = 20;
		const now = later(120);
		const runs = await Promise.all([runXapiDelivery(db, { holder: 'instance-a', now }), runXapiDelivery(db, { holder: 'instance-b', now })]);
		expect(runs.filter((r) => r.ran)).toHaveLength(1);
		// Without the lease too: each row is claimed before it is sent.
		await Promise.all([deliverDueStatements(db, { now }), deliverDueStatements(db, { now }), deliverDueStatements(db, { now })]);
		await deliverAll(later(600));
		const rows = await outboxRows();
		expect(rows.every((r) => r.status === 'delivered')).toBe(true);
		const ids = lrs.puts.map((p) => p.statementId);
		expect(ids).toHaveLength(rows.length);
		expect(new Set(ids).size).toBe(rows.length);
	});

	it('sends a test statement to the saved LRS and gives back its answer', async () => {
		expect(await sendTestStatement(db, organisationId, xapiCentre())).toMatchObject({ ok: false, notConfigured: true });
		await switchOn(false);
		expect(await sendTestStatement(db, organisationId, xapiCentre())).toEqual({ ok: true, status: 204, text: '' });
		expect(validateStatement(JSON.parse(lrs.puts[0]!.body))).toEqual([]);
		lrs.mode = 'unavailable';
		expect(await sendTestStatement(db, organisationId, xapiCentre())).toEqual({ ok: false, status: 503, text: 'LRS down for maintenance' });
		await lrs.close();
		expect(await sendTestStatement(db, organisationId, xapiCentre())).toMatchObject({ ok: false, status: null, text: expect.stringMatching(/^Could not reach the LRS/) });
		lrs = await startStandInLrs();
	});
});

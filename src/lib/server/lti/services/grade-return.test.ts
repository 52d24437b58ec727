import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { generateKeyPair } from 'jose';
import { dbAll, dbGet, dbRun } from '$lib/core/database';
import { jobLease } from '$lib/server/db/jobs';
import { kicksSettled } from '$lib/server/jobs/kick';
import { claimJob, finishJob, runLeased } from '$lib/server/jobs/lease';
import { cohort, cohortMember } from '$lib/server/db/cohorts';
import { user, userRole } from '$lib/server/db/schema';
import { ltiAttemptLink, ltiGradeReturn } from '$lib/server/db/lti-services';
import { ltiAccount, ltiPlatform } from '$lib/server/db/lti';
import { endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { submitReflection } from '$lib/server/reflections';
import { signDecision } from '$lib/server/assessment/signing';
import { countersignDecision } from '$lib/server/assessment/countersigning';
import { assessmentFixture, written } from '$lib/server/assessment/testing';
import { verifyPasswordHash } from '$lib/server/auth/password';
import { serveToolJwks, startStandInPlatform, type StandInPlatform } from '../../../../../tests/support/lti-platform-services';
import { AGS_SCOPES } from './ags';
import { provideLtiServices } from './deps';
import { backoffMs, deliverGradeReturns, failedGradeReturns, forgetAttemptGrades, GRADE_RETURN_JOB, gradeReturnsOf, linkAttemptToLaunch, MAX_TRIES, retryGradeReturn, runGradeReturnJob } from './grade-return';
import { courseKey, fillCohortFromLms, fillSummary, lmsCoursesOf, rememberLaunchContext } from './members';
import { forgetAllTokens } from './token';
import { findOrCreateLinkedAccount } from '../accounts';
import { USER_AGENT } from './http';
import type { LtiServiceDeps, ToolSigner } from './types';

const f = assessmentFixture();
let signer: ToolSigner;
let jwks: { url: string; close: () => Promise<void> };
let lms: StandInPlatform;
let deps: LtiServiceDeps;

beforeAll(async () => {
	const pair = await generateKeyPair('RS256', { extractable: true });
	signer = { kid: 'tool-key-1', privateKey: pair.privateKey as CryptoKey };
	jwks = await serveToolJwks(pair.publicKey as CryptoKey, signer.kid);
});
afterAll(async () => await jwks.close());

beforeEach(async () => {
	forgetAllTokens();
	lms = await startStandInPlatform({
		clientId: 'tool-client',
		toolJwksUrl: jwks.url,
		pageSize: 2,
		members: [
			{ user_id: 'lms-ada', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Ada Lovelace', email: 'ada@college.example' },
			{ user_id: 'lms-ben', roles: ['Learner'], given_name: 'Ben', family_name: 'Jones', email: 'learner@custodian.test' } as never,
			{ user_id: 'lms-cai', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], name: 'Cai Teacher' },
			{ user_id: 'lms-dee', roles: ['Learner'], name: 'Dee Left', status: 'Inactive' },
			{ user_id: 'lms-eve', roles: ['Learner'] }
		]
	});
	deps = {
		signer: async () => signer,
		platform: async (_db, id) => (id === 'p1' ? { id: 'p1', issuer: lms.issuer, clientId: 'tool-client', tokenUrl: lms.tokenUrl } : undefined),
		http: { timeoutMs: 2000 }
	};
});
afterEach(async () => {
	expect(lms.userAgents.every((ua) => ua === USER_AGENT)).toBe(true);
	await lms.close();
});

const agsClaim = () => ({ scope: [AGS_SCOPES.lineItem, AGS_SCOPES.score], lineitems: lms.lineItemsUrl });

/** An attempt of Amira's started from a launch (sub "lms-amira"), ended, its reflection submitted. */
async function launchedAttempt(link = true): Promise<string> {
	const started = await startLearnerAttempt(f.db, f.ids.amira, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	if (link) await linkAttemptToLaunch(f.db, started.value.id, { platformId: 'p1', sub: 'lms-amira', resourceLinkId: 'rl-1', ags: agsClaim() });
	const ended = await endLearnerAttempt(f.db, f.ids.amira, started.value.id);
	if (!ended.ok) throw new Error(ended.error.message);
	const submitted = await submitReflection(f.db, f.ids.amira, started.value.id, written, new Date('2026-03-01T09:00:00Z'));
	if (!submitted.ok) throw new Error(submitted.error.message);
	return started.value.id;
}

// Until the last test of this block provides the services (as the server's start does), nothing
// kicks delivery after a commit: these tests run it themselves and count exactly what it did.
describe('grade return to the LMS', () => {
	it('queues the score when a launched attempt ends and the decision when it is signed, and delivers both, separately', async () => {
		const attemptId = await launchedAttempt();
		expect((await gradeReturnsOf(f.db, attemptId)).map((r) => [r.kind, r.doneAt])).toEqual([['score', null]]);
		const signed = await signDecision(f.db, f.gareth(), attemptId, await f.decided(attemptId), new Date('2026-03-05T12:00:00.123Z'));
		expect(signed.ok).toBe(true);
		expect((await gradeReturnsOf(f.db, attemptId)).map((r) => r.kind).sort()).toEqual(['decision', 'score']);

		expect(await deliverGradeReturns(f.db, deps)).toEqual({ delivered: 2, retrying: 0, failed: 0 });
		expect((await gradeReturnsOf(f.db, attemptId)).every((r) => r.doneAt !== null)).toBe(true);
		const scoreItem = lms.lineItems.find((i) => i.tag === 'score')!;
		const decisionItem = lms.lineItems.find((i) => i.tag === 'assessor-decision')!;
		expect(scoreItem).toMatchObject({ resourceLinkId: 'rl-1', scoreMaximum: 100, resourceId: 'spouse-caller' });
		expect(decisionItem).toMatchObject({ resourceLinkId: 'rl-1', scoreMaximum: 1, label: expect.stringContaining('assessor’s decision') });
		const score = lms.scores.find((s) => s.lineItemId === scoreItem.id)!.score;
		expect(score).toMatchObject({ userId: 'lms-amira', scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'PendingManual' });
		expect(score.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(lms.scores.find((s) => s.lineItemId === decisionItem.id)!.score).toEqual({
			userId: 'lms-amira',
			scoreGiven: 1,
			scoreMaximum: 1,
			comment: 'Met: decision signed by Gareth Llewellyn on 2026-03-05.',
			activityProgress: 'Completed',
			gradingProgress: 'FullyGraded',
			timestamp: '2026-03-05T12:00:00.123Z'
		});
		// Delivered rows are not sent again.
		expect(await deliverGradeReturns(f.db, deps)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
		expect(lms.scores).toHaveLength(2);
	});

	it('queues nothing for an attempt that did not come from a launch', async () => {
		const attemptId = await launchedAttempt(false);
		await signDecision(f.db, f.gareth(), attemptId, await f.decided(attemptId));
		expect(await gradeReturnsOf(f.db, attemptId)).toEqual([]);
	});

	it('queues a trainee’s decision only once a qualified assessor countersigns it', async () => {
		const attemptId = await launchedAttempt();
		const dafydd = (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, 'trainee@custodian.test'))))!.id;
		const signed = await signDecision(f.db, { id: dafydd, displayName: 'Dafydd Morgan' }, attemptId, await f.decided(attemptId, { signedName: 'Dafydd Morgan' }));
		if (!signed.ok) throw new Error(signed.error.message);
		expect((await gradeReturnsOf(f.db, attemptId)).map((r) => r.kind)).toEqual(['score']);
		const given = await countersignDecision(f.db, f.gareth(), signed.value.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' });
		expect(given.ok).toBe(true);
		expect((await gradeReturnsOf(f.db, attemptId)).map((r) => r.kind).sort()).toEqual(['decision', 'score']);
	});

	it('keeps the grade while the platform is down, tries again after a growing wait, and delivers once it is back', async () => {
		const attemptId = await launchedAttempt();
		lms.answerAllWith = 503;
		const t0 = new Date();
		expect(await deliverGradeReturns(f.db, deps, () => t0)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
		const [row] = await gradeReturnsOf(f.db, attemptId);
		expect(row).toMatchObject({ attempts: 1, doneAt: null, failedAt: null, lastError: expect.stringContaining('503') });
		expect(row!.nextTryAt).toBe(new Date(t0.getTime() + backoffMs(1)).toISOString());
		// Not due yet: nothing is tried.
		const before = lms.requests.length;
		expect(await deliverGradeReturns(f.db, deps, () => new Date(t0.getTime() + 30_000))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
		expect(lms.requests).toHaveLength(before);
		lms.answerAllWith = null;
		expect(await deliverGradeReturns(f.db, deps, () => new Date(t0.getTime() + backoffMs(1)))).toEqual({ delivered: 1, retrying: 0, failed: 0 });
		expect(lms.scores.map((s) => s.score.userId)).toEqual(['lms-amira']);
		expect(backoffMs(2)).toBe(2 * backoffMs(1));
		expect(backoffMs(40)).toBe(24 * 3600_000);
	});

	it('records a lasting refusal (4xx) as failed for administrators, and a retry puts it back', async () => {
		const attemptId = await launchedAttempt();
		lms.answerScoresWith = 400;
		expect(await deliverGradeReturns(f.db, deps)).toEqual({ delivered: 0, retrying: 0, failed: 1 });
		const centre = (await dbGet(f.db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, f.ids.amira))))!.organisationId;
		const failed = await failedGradeReturns(f.db, centre);
		expect(failed).toEqual([expect.objectContaining({ attemptId, learnerName: expect.any(String), scenarioTitle: expect.any(String), kind: 'score', tries: 1, lastError: expect.stringContaining('400') })]);
		expect(await failedGradeReturns(f.db, 'another-centre')).toEqual([]);
		expect(await retryGradeReturn(f.db, 'another-centre', failed[0]!.id)).toBe(false);
		expect(await deliverGradeReturns(f.db, deps)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
		lms.answerScoresWith = null;
		expect(await retryGradeReturn(f.db, centre, failed[0]!.id)).toBe(true);
		expect(await retryGradeReturn(f.db, centre, failed[0]!.id)).toBe(false);
		expect(await deliverGradeReturns(f.db, deps)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
		expect(await failedGradeReturns(f.db, centre)).toEqual([]);
	});

	it('gives up after the last try, and on a platform no longer registered', async () => {
		const attemptId = await launchedAttempt();
		lms.answerAllWith = 500;
		let now = new Date();
		for (let i = 0; i < MAX_TRIES; i++) {
			await deliverGradeReturns(f.db, deps, () => now);
			now = new Date(now.getTime() + 25 * 3600_000);
		}
		expect(await gradeReturnsOf(f.db, attemptId)).toMatchObject([{ attempts: MAX_TRIES, failedAt: expect.any(String) }]);
		const other = await launchedAttempt();
		await dbRun(f.db.update(ltiGradeReturn).set({ platformId: 'gone' }).where(eq(ltiGradeReturn.attemptId, other)));
		expect(await deliverGradeReturns(f.db, { ...deps, platform: async () => undefined }, () => now)).toMatchObject({ failed: 1 });
		const centre = (await dbGet(f.db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, f.ids.amira))))!.organisationId;
		expect((await failedGradeReturns(f.db, centre)).find((r) => r.attemptId === other)?.lastError).toMatch(/no longer registered/);
	});

	it('forgets an attempt’s link to the LMS and its queued grades when the attempt is disposed of', async () => {
		const attemptId = await launchedAttempt();
		const other = await launchedAttempt();
		expect(await forgetAttemptGrades(f.db, [attemptId])).toBe(2);
		expect(await gradeReturnsOf(f.db, attemptId)).toEqual([]);
		expect(await dbAll(f.db.select().from(ltiAttemptLink).where(eq(ltiAttemptLink.attemptId, attemptId)))).toEqual([]);
		expect(await gradeReturnsOf(f.db, other)).toHaveLength(1);
	});

	it('fails the scheduled job visibly when grades wait and the services were never provided', async () => {
		await launchedAttempt();
		await expect(runGradeReturnJob(f.db)).rejects.toThrow(/not provided/);
		provideLtiServices(deps);
		await runGradeReturnJob(f.db);
		expect(lms.scores).toHaveLength(1);
	});
});

describe('grade return just after the commit', () => {
	beforeEach(() => provideLtiServices(deps));
	afterEach(async () => await kicksSettled(f.db, GRADE_RETURN_JOB));

	/** An attempt of Amira's from a launch, ended: its score is queued in the end's transaction. */
	async function endedLaunchedAttempt(): Promise<string> {
		const started = await startLearnerAttempt(f.db, f.ids.amira, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		await linkAttemptToLaunch(f.db, started.value.id, { platformId: 'p1', sub: 'lms-amira', resourceLinkId: 'rl-1', ags: agsClaim() });
		const ended = await endLearnerAttempt(f.db, f.ids.amira, started.value.id);
		if (!ended.ok) throw new Error(ended.error.message);
		return started.value.id;
	}
	const leaseRow = async () => await dbGet(f.db.select().from(jobLease).where(eq(jobLease.job, GRADE_RETURN_JOB.name)));

	it('posts the score, then the signed decision, to the LMS after each commit, without the job being run, and releases the lease', async () => {
		const attemptId = await endedLaunchedAttempt();
		await kicksSettled(f.db, GRADE_RETURN_JOB);
		expect(lms.scores.map((s) => [s.score.userId, s.score.gradingProgress])).toEqual([['lms-amira', 'PendingManual']]);
		expect((await gradeReturnsOf(f.db, attemptId)).map((r) => [r.kind, r.attempts, r.doneAt !== null])).toEqual([['score', 1, true]]);
		expect(await leaseRow()).toMatchObject({ holder: null, leaseExpiresAt: null, lastOutcome: 'ok' });

		const submitted = await submitReflection(f.db, f.ids.amira, attemptId, written, new Date('2026-03-01T09:00:00Z'));
		expect(submitted.ok).toBe(true);
		expect((await signDecision(f.db, f.gareth(), attemptId, await f.decided(attemptId))).ok).toBe(true);
		await kicksSettled(f.db, GRADE_RETURN_JOB);
		expect(lms.scores.map((s) => s.score.gradingProgress)).toEqual(['PendingManual', 'FullyGraded']);
		expect(lms.lineItems.map((i) => i.tag).sort()).toEqual(['assessor-decision', 'score']);
	});

	it('posts the score once when the kick, two instances’ ticks and a run without the lease race for it', async () => {
		lms.scoreDelayMs = 50;
		const attemptId = await endedLaunchedAttempt();
		const tick = (holder: string) => runLeased(f.db, GRADE_RETURN_JOB, () => GRADE_RETURN_JOB.run(f.db), { holder });
		await Promise.all([tick('instance-b'), tick('instance-c'), deliverGradeReturns(f.db, deps), kicksSettled(f.db, GRADE_RETURN_JOB)]);
		await kicksSettled(f.db, GRADE_RETURN_JOB);
		expect(lms.scores).toHaveLength(1);
		expect(lms.requests.filter((r) => r.endsWith('/scores'))).toHaveLength(1);
		expect(await gradeReturnsOf(f.db, attemptId)).toMatchObject([{ kind: 'score', attempts: 1, doneAt: expect.any(String) }]);
		expect((await leaseRow())?.holder).toBeNull();
	});

	it('posts a score queued while another instance holds the lease once that instance lets go', async () => {
		expect(await claimJob(f.db, GRADE_RETURN_JOB, 'instance-b')).toBe(true);
		const attemptId = await endedLaunchedAttempt();
		// The kick tries at once (after the commit's turn of the event loop) and finds the lease held.
		await new Promise((done) => setTimeout(done, 200));
		expect(lms.scores).toEqual([]);
		await finishJob(f.db, GRADE_RETURN_JOB.name, 'instance-b', { ok: true });
		await kicksSettled(f.db, GRADE_RETURN_JOB);
		expect(lms.scores.map((s) => s.score.userId)).toEqual(['lms-amira']);
		expect((await gradeReturnsOf(f.db, attemptId))[0]!.doneAt).not.toBeNull();
	});

	it('kicks again when an administrator puts a refused grade back in the queue', async () => {
		lms.answerScoresWith = 400;
		const attemptId = await endedLaunchedAttempt();
		await kicksSettled(f.db, GRADE_RETURN_JOB);
		const centre = (await dbGet(f.db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, f.ids.amira))))!.organisationId;
		const [failed] = await failedGradeReturns(f.db, centre);
		expect(failed).toMatchObject({ attemptId, lastError: expect.stringContaining('400') });
		lms.answerScoresWith = null;
		expect(await retryGradeReturn(f.db, centre, failed!.id)).toBe(true);
		await kicksSettled(f.db, GRADE_RETURN_JOB);
		expect(lms.scores).toHaveLength(1);
		expect(await failedGradeReturns(f.db, centre)).toEqual([]);
	});
});

describe('filling a cohort from the LMS', () => {
	async function setUp() {
		const centre = (await dbGet(f.db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, f.ids.sam))))!.organisationId;
		const at = new Date().toISOString();
		await dbRun(f.db.insert(ltiPlatform).values({ id: 'p1', organisationId: centre, name: 'College Moodle', issuer: lms.issuer, clientId: 'tool-client', authLoginUrl: `${lms.issuer}/auth`, tokenUrl: lms.tokenUrl, jwksUrl: `${lms.issuer}/jwks`, deploymentIds: ['1'], status: 'enabled', registeredBy: 'manual', createdAt: at, updatedAt: at }));
		await dbRun(f.db.insert(cohort).values({ id: 'lms-cohort', organisationId: centre, name: 'From the LMS', createdBy: f.ids.sam, createdAt: new Date().toISOString() }));
		await rememberLaunchContext(f.db, { platformId: 'p1', organisationId: centre, context: { id: 'c1', title: 'Customer Service L2' }, nrps: { context_memberships_url: lms.membershipsUrl, service_versions: ['2.0'] } });
		const [course] = await lmsCoursesOf(f.db, centre);
		return { centre, course: courseKey(course!) };
	}
	const learnersOf = async () => (await dbAll(f.db.select({ email: user.email, name: user.displayName }).from(cohortMember).innerJoin(user, eq(user.id, cohortMember.userId)).where(and(eq(cohortMember.cohortId, 'lms-cohort'), eq(cohortMember.role, 'learner'))).orderBy(user.displayName)));

	it('adds the course’s active learners by (platform, sub), reading every page, and leaves out teachers and the inactive', async () => {
		const { centre, course } = await setUp();
		const filled = await fillCohortFromLms(f.db, deps, { organisationId: centre, cohortId: 'lms-cohort', course, by: { id: f.ids.sam } });
		expect(filled).toEqual({ ok: true, value: { members: 5, pages: 3, accountsCreated: 3, added: 3, alreadyIn: 0, removed: 0, notLearners: 1, otherCentre: 0, deactivated: 0 } });
		const names = (await learnersOf()).map((l) => l.name);
		expect(names).toEqual(['Ada Lovelace', 'Ben Jones', 'Learner from College Moodle']);
		const emails = (await learnersOf()).map((l) => l.email);
		// The accounts are the launch side's (accounts.ts): no LMS e-mail is used, so Ben's (Amira's
		// address here) never reaches her account, and a later launch as Ada finds the same account.
		expect(emails.every((e) => /^lti-[0-9a-f-]{36}@lti\.invalid$/.test(e))).toBe(true);
		expect((await dbAll(f.db.select().from(cohortMember).where(eq(cohortMember.userId, f.ids.amira)))).some((m) => m.cohortId === 'lms-cohort')).toBe(false);
		const ada = (await dbGet(f.db.select().from(user).where(eq(user.displayName, 'Ada Lovelace'))))!;
		expect(await dbAll(f.db.select({ role: userRole.role }).from(userRole).where(eq(userRole.userId, ada.id)))).toEqual([{ role: 'learner' }]);
		expect(await dbGet(f.db.select({ userId: ltiAccount.userId }).from(ltiAccount).where(and(eq(ltiAccount.platformId, 'p1'), eq(ltiAccount.sub, 'lms-ada'))))).toEqual({ userId: ada.id });
		expect(await verifyPasswordHash(ada.passwordHash, '')).toBe(false);

		// Again: nobody new; then Ada leaves the course in the LMS and leaves the cohort.
		expect(await fillCohortFromLms(f.db, deps, { organisationId: centre, cohortId: 'lms-cohort', course, by: { id: f.ids.sam } })).toMatchObject({ ok: true, value: { accountsCreated: 0, added: 0, alreadyIn: 3 } });
		expect(await dbAll(f.db.select().from(ltiAccount))).toHaveLength(3);
		await lms.close();
		lms = await startStandInPlatform({ clientId: 'tool-client', toolJwksUrl: jwks.url, members: [{ user_id: 'lms-ada', roles: ['Learner'], status: 'Deleted' }] });
		forgetAllTokens();
		await rememberLaunchContext(f.db, { platformId: 'p1', organisationId: centre, context: { id: 'c1', title: 'Customer Service L2' }, nrps: { context_memberships_url: lms.membershipsUrl, service_versions: ['2.0'] } });
		const depsNow: LtiServiceDeps = { ...deps, platform: async () => ({ id: 'p1', issuer: lms.issuer, clientId: 'tool-client', tokenUrl: lms.tokenUrl }) };
		expect(await fillCohortFromLms(f.db, depsNow, { organisationId: centre, cohortId: 'lms-cohort', course, by: { id: f.ids.sam } })).toMatchObject({ ok: true, value: { removed: 1 } });
		expect((await learnersOf()).map((l) => l.name)).not.toContain('Ada Lovelace');
	});

	it('leaves out a teacher listed as a learner too, and a member whose account is a teacher’s, as a launch would make it', async () => {
		const { centre, course } = await setUp();
		// Tia's first launch was as a teacher: her account is a tutor's.
		const platformRow = { id: 'p1', organisationId: centre, name: 'College Moodle' };
		const tia = await findOrCreateLinkedAccount(f.db, platformRow, 'lms-tia', { roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], name: 'Tia Teacher', launched: true }, { address: null, routeId: null, requestId: null }, new Date());
		if (!tia.ok) throw new Error(tia.message);
		await lms.close();
		lms = await startStandInPlatform({
			clientId: 'tool-client',
			toolJwksUrl: jwks.url,
			members: [
				{ user_id: 'lms-gus', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor', 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], name: 'Gus Both' },
				{ user_id: 'lms-tia', roles: ['Learner'], name: 'Tia Teacher' },
				{ user_id: 'lms-uma', roles: ['Learner'], name: 'Uma Learner' }
			]
		});
		forgetAllTokens();
		await rememberLaunchContext(f.db, { platformId: 'p1', organisationId: centre, context: { id: 'c1', title: 'Customer Service L2' }, nrps: { context_memberships_url: lms.membershipsUrl, service_versions: ['2.0'] } });
		const depsNow: LtiServiceDeps = { ...deps, platform: async () => ({ id: 'p1', issuer: lms.issuer, clientId: 'tool-client', tokenUrl: lms.tokenUrl }) };
		const filled = await fillCohortFromLms(f.db, depsNow, { organisationId: centre, cohortId: 'lms-cohort', course, by: { id: f.ids.sam } });
		expect(filled).toMatchObject({ ok: true, value: { members: 3, added: 1, notLearners: 2 } });
		expect((await learnersOf()).map((l) => l.name)).toEqual(['Uma Learner']);
		// Gus got no account from the fill; Tia's stays a tutor's only.
		expect(await dbGet(f.db.select().from(ltiAccount).where(eq(ltiAccount.sub, 'lms-gus')))).toBeUndefined();
		expect(await dbAll(f.db.select({ role: userRole.role }).from(userRole).where(eq(userRole.userId, tia.userId)))).toEqual([{ role: 'tutor' }]);
	});

	it('refuses a course not listed for the centre, and says why when the LMS cannot be read', async () => {
		const { centre, course } = await setUp();
		expect(await fillCohortFromLms(f.db, deps, { organisationId: centre, cohortId: 'lms-cohort', course: '["p1","other"]', by: { id: f.ids.sam } })).toMatchObject({ ok: false, error: { field: 'course', code: 'lti.course-unknown' } });
		expect(await fillCohortFromLms(f.db, deps, { organisationId: 'another-centre', cohortId: 'lms-cohort', course, by: { id: f.ids.sam } })).toMatchObject({ ok: false, error: { code: 'cohort.not-found' } });
		expect(await fillCohortFromLms(f.db, undefined, { organisationId: centre, cohortId: 'lms-cohort', course, by: { id: f.ids.sam } })).toMatchObject({ ok: false, error: { field: 'course', code: 'lti.not-configured' } });
		lms.answerAllWith = 503;
		expect(await fillCohortFromLms(f.db, deps, { organisationId: centre, cohortId: 'lms-cohort', course, by: { id: f.ids.sam } })).toMatchObject({ ok: false, error: { field: 'course', message: expect.stringContaining('could not be read') } });
		expect(await learnersOf()).toEqual([]);
	});
});

describe('the summary of a fill', () => {
	it('says what happened in words', () => {
		expect(fillSummary({ members: 5, pages: 3, accountsCreated: 2, added: 3, alreadyIn: 0, removed: 1, notLearners: 1, otherCentre: 0, deactivated: 0 })).toBe(
			'Read 5 members of the LMS course: 3 learners added (2 new accounts); 1 learner no longer active in the LMS taken out; 1 member who is not a learner left out.'
		);
	});
});

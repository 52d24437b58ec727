import { describe, expect, it } from 'vitest';
import { dbRun, type Db } from '$lib/core/database';
import { closeTestDatabase, openSharedTestDatabase, openTestDatabase } from '$lib/core/testing-database';
import { organisation } from '$lib/server/db/schema';
import { createUser } from '$lib/server/auth/user';
import { syncBuiltInScenarios } from './scenarios';
import { eq } from 'drizzle-orm';
import { attempt } from '$lib/sim/schema';
import { applyLearnerAction, attemptsOf, endLearnerAttempt, ownedAttempt, startLearnerAttempt } from './attempts';

async function openCentre(given?: Db) {
	const db = given ?? (await openTestDatabase());
	await dbRun(db.insert(organisation).values({ id: 'centre-1', name: 'Test Centre', updatedAt: new Date(0).toISOString() }));
	await syncBuiltInScenarios(db);
	const learner = await createUser(db, { organisationId: 'centre-1', email: 'l@example.org', displayName: 'L', password: 'a long enough password', roles: ['learner'] });
	const other = await createUser(db, { organisationId: 'centre-1', email: 'o@example.org', displayName: 'O', password: 'a long enough password', roles: ['learner'] });
	return { db, learner: learner.id, other: other.id };
}

describe("learners' attempts", () => {
	it('survives a server restart: nothing done is lost, and nothing is applied twice afterwards', async () => {
		// Two connections to one database: the server before the restart, and after it.
		const [beforeRestart, afterRestart] = (await openSharedTestDatabase(2)) as [Db, Db];
		try {
			const { db, learner } = await openCentre(beforeRestart);
			const started = await startLearnerAttempt(db, learner, 'spouse-caller');
			if (!started.ok) throw new Error(started.error.message);
			const id = started.value.id;
			const first = started.value.node!.choices[0]!.id;
			const applied = await applyLearnerAction(db, learner, id, { kind: 'choice', choiceId: first }, started.value.nextActionSeq);
			expect(applied).toMatchObject({ ok: true, value: { replayed: false } });
			const before = (await ownedAttempt(db, learner, id))!.view;
			closeTestDatabase(db);

			const reopened = afterRestart;
			const after = (await ownedAttempt(reopened, learner, id))!.view;
			expect(after.transcript).toEqual(before.transcript);
			expect(after.nextActionSeq).toBe(before.nextActionSeq);
			expect(after.clock).toBe(before.clock);
			// The same post again (a browser resending the form after the restart) is not applied twice.
			const again = await applyLearnerAction(reopened, learner, id, { kind: 'choice', choiceId: first }, started.value.nextActionSeq);
			expect(again).toMatchObject({ ok: true, value: { replayed: true } });
			expect((await ownedAttempt(reopened, learner, id))!.view.nextActionSeq).toBe(before.nextActionSeq);
		} finally {
			closeTestDatabase(beforeRestart);
			closeTestDatabase(afterRestart);
		}
	});

	it('finds an attempt only for its owner', async () => {
		const { db, learner, other } = await openCentre();
		const started = await startLearnerAttempt(db, learner, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		expect(await ownedAttempt(db, other, started.value.id)).toBeNull();
		expect(await applyLearnerAction(db, other, started.value.id, { kind: 'choice', choiceId: 'x' }, 1)).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
		expect(await attemptsOf(db, other)).toEqual([]);
		expect((await attemptsOf(db, learner)).map((a) => a.id)).toEqual([started.value.id]);
	});

	it('lists each ended attempt with its verdict, and one marked under the earlier rule as it was decided', async () => {
		const { db, learner } = await openCentre();
		const started = await startLearnerAttempt(db, learner, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		const ended = await endLearnerAttempt(db, learner, started.value.id);
		if (!ended.ok) throw new Error(ended.error.message);
		const [listed] = await attemptsOf(db, learner);
		expect(listed!.verdict).toMatchObject({ passed: ended.value.passed, score: { score: ended.value.score, passMark: ended.value.passMark } });
		expect(listed!.verdict!.headline).toMatch(/^(Passed|Not passed — .+)$/);
		expect(listed!.verdict!.reason.length).toBeGreaterThan(10);

		// As stored before the pass rule's version 2: passed meant no critical point missed, and there was no pass mark.
		const { ruleVersion, passMark, scorePassed, endedEarly, ...old } = ended.value;
		expect([ruleVersion, typeof passMark, typeof scorePassed, typeof endedEarly]).toEqual([2, 'number', 'boolean', 'boolean']);
		await dbRun(db.update(attempt).set({ result: { ...old, passed: true, criticalMisses: [] } }).where(eq(attempt.id, started.value.id)));
		expect((await attemptsOf(db, learner))[0]!.verdict).toMatchObject({ passed: true, headline: 'Passed', score: null, reason: 'No critical point missed.' });
	});

	it('refuses to start a scenario that does not exist', async () => {
		const { db, learner } = await openCentre();
		expect(await startLearnerAttempt(db, learner, 'no-such-scenario')).toMatchObject({ ok: false, error: { code: 'scenario.not-found' } });
	});
});

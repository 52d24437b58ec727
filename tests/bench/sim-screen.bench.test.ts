/**
 * The simulation screen's server time, as the attempt page's load spends it (ownedAttempt with the
 * screen's transcript window, then simulationScreen: the attempt, its kept desk state and the
 * desk's panels read through the core), on a file database with WAL as the server runs it.
 *
 * An attempt of 10 actions beside one of 1,000: the screen loads the transcript's last 200 lines,
 * so a render should cost about the same at both (ratio near 1). The same with the whole transcript
 * (`?transcript=all`) for contrast. Not HTTP: the function the route's load calls.
 *
 * No timed assertions: figures only (npm run bench).
 */
import { dbRun } from '$lib/core/database';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/core';
import { organisation } from '../../src/lib/server/db/schema';
import { createUser } from '../../src/lib/server/auth/user';
import { syncBuiltInScenarios } from '../../src/lib/server/scenarios';
import { applyLearnerAction, ownedAttempt, SCREEN_TRANSCRIPT_LINES, screenTranscript, startLearnerAttempt } from '../../src/lib/server/attempts';
import { simulationScreen } from '../../src/lib/server/simulation-screen';
import type { LearnerAction } from '../../src/lib/sim/runtime';
import { deskWork } from './desk-work';
import { freshDatabaseFile } from './load-support';
import { percentiles, recordFigure } from './report';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 300);
const WARM_UP = 20;
const DATABASE = 'tests/.artifacts/sim-screen-bench.db';

/** A learner's spouse-caller attempt of `actions` actions: the account brought up, then desk work. */
async function attemptOf(db: Db, learnerId: string, actions: number): Promise<string> {
	const started = await startLearnerAttempt(db, learnerId, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	const { id, seedIds } = started.value;
	let seq = started.value.nextActionSeq;
	const act = async (action: LearnerAction) => {
		const applied = await applyLearnerAction(db, learnerId, id, action, seq++);
		if (!applied.ok || applied.value.core?.ok === false) throw new Error(`bench: action ${seq - 1} failed`);
	};
	await act({ kind: 'choice', choiceId: 'bring-up-account' });
	for (let n = 0; n < actions - 1; n++) await act({ kind: 'core', ...deskWork(seedIds.daniel!, n) } as LearnerAction);
	return id;
}

/** The attempt page's load, without HTTP: the owned attempt in the URL's window, then the screen's data. */
async function render(db: Db, learnerId: string, attemptId: string, url: URL) {
	const owned = await ownedAttempt(db, learnerId, attemptId, { transcript: screenTranscript(url) });
	if (!owned) throw new Error('bench: attempt not found');
	return await simulationScreen(db, owned, owned.version.title, url);
}

const median = (samples: number[]) => percentiles(samples, [50]).p50!;
const p95 = (samples: number[]) => percentiles(samples, [95]).p95!;

describe('simulation screen benchmark', () => {
	it(`builds the attempt page's data at 10 and at 1,000 actions, ${RENDERS} renders each`, async () => {
		const db = openDatabase(freshDatabaseFile(DATABASE));
		await dbRun(db.insert(organisation).values({ id: 'centre-1', name: 'Bench Centre', updatedAt: new Date(0).toISOString() }));
		await syncBuiltInScenarios(db);
		const learner = (await createUser(db, { organisationId: 'centre-1', email: 'bench@example.org', displayName: 'Bench', password: 'a long enough password', roles: ['learner'] })).id;
		const short = await attemptOf(db, learner, 10);
		const long = await attemptOf(db, learner, 1_000);
		const screenUrl = (id: string) => new URL(`http://localhost/learn/attempts/${id}`);
		const wholeUrl = (id: string) => new URL(`http://localhost/learn/attempts/${id}?transcript=all`);

		const lines = async (id: string) => (await render(db, learner, id, wholeUrl(id))).attempt.transcript.length;
		const shortLines = await lines(short);
		const longLines = await lines(long);
		expect((await render(db, learner, long, screenUrl(long))).attempt).toMatchObject({ earlierLines: longLines - SCREEN_TRANSCRIPT_LINES });
		expect((await render(db, learner, long, screenUrl(long))).attempt.transcript).toHaveLength(SCREEN_TRANSCRIPT_LINES);

		const cases = { shortScreen: [] as number[], longScreen: [] as number[], shortWhole: [] as number[], longWhole: [] as number[] };
		const timed = async (samples: number[], id: string, url: URL, run: number) => {
			const t0 = performance.now();
			await render(db, learner, id, url);
			if (run >= 0) samples.push(performance.now() - t0);
		};
		// Interleaved, so no case has the warmer cache throughout.
		for (let run = -WARM_UP; run < RENDERS; run++) {
			await timed(cases.shortScreen, short, screenUrl(short), run);
			await timed(cases.longScreen, long, screenUrl(long), run);
			await timed(cases.shortWhole, short, wholeUrl(short), run);
			await timed(cases.longWhole, long, wholeUrl(long), run);
		}
		db.$client.close();

		recordFigure({
			id: 'sim-screen.windowed.ms',
			name: `sim screen: attempt page server time at 1,000 actions (${longLines} lines, last ${SCREEN_TRANSCRIPT_LINES} loaded)`,
			value: median(cases.longScreen),
			unit: 'ms per render (median)',
			baselineName: `the same at 10 actions (${shortLines} lines)`,
			baseline: median(cases.shortScreen),
			target: 'flat: ratio near 1',
			notes: `${RENDERS} renders each after ${WARM_UP} warm-up, interleaved; p95 ${p95(cases.longScreen).toFixed(2)} ms at 1,000 actions, ${p95(cases.shortScreen).toFixed(2)} ms at 10; ownedAttempt with screenTranscript(url) then simulationScreen, no HTTP`
		});
		recordFigure({
			id: 'sim-screen.whole.ms',
			name: `sim screen: attempt page server time at 1,000 actions with the whole transcript (?transcript=all, ${longLines} lines)`,
			value: median(cases.longWhole),
			unit: 'ms per render (median)',
			baselineName: `the same at 10 actions (${shortLines} lines)`,
			baseline: median(cases.shortWhole),
			notes: `for contrast with the windowed screen; p95 ${p95(cases.longWhole).toFixed(2)} ms at 1,000 actions, ${p95(cases.shortWhole).toFixed(2)} ms at 10`
		});
	});
});

/**
 * The simulation runtime, on a file database with WAL (as the server runs it):
 *
 * 1. Learner actions applied per second through applyAction: each a core operation in the
 *    runtime's own write transaction (the core's becomes a savepoint), with its audit entry, the
 *    stored action and outcome, the transcript line, the clock and the dialogue's wait re-checked.
 *    Baseline, side by side: the same core operations with the same inputs called directly on a
 *    workspace seeded the same way, one core transaction each. The ratio is the runtime's price.
 * 2. Marking an attempt of about 200 events (markAttempt over the log), beside reading that log
 *    (attemptEvents) as the baseline.
 * 3. Starting an attempt at the largest scenario of the library (seeding through the core and
 *    entering the dialogue), beside seeding the same records into a workspace with no attempt.
 *
 * No timed assertions: figures only (npm run bench).
 */
import { forEachInOrder } from '$lib/core/in-order';
import { writeTransaction } from '$lib/core/database';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { openDatabase, seededIds, type CoreContext, type Db } from '../../src/lib/core';
import { markAttempt } from '../../src/lib/sim/marking';
import { CORE_OPERATIONS } from '../../src/lib/sim/desk/registry';
import { applyAction, attemptEvents, startAttempt, type LearnerAction } from '../../src/lib/sim/runtime';
import { loadScenarios, type LoadedScenario } from '../../src/lib/sim/scenario-check';
import { seedWorkspace } from '../../src/lib/sim/seeding';
import { deskWork } from './desk-work';
import { freshDatabaseFile } from './load-support';
import { percentiles, recordFigure } from './report';

const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 2_000);
/** Actions per attempt: an attempt is a call or a task, not thousands of clicks. */
const PER_ATTEMPT = 100;
const MARKING_RUNS = 200;
const START_RUNS = Number(process.env.BENCH_STARTS ?? 40);
const DATABASE = 'tests/.artifacts/sim-runtime-bench.db';

const library = loadScenarios('scenarios');
const spouse = library.scenarios.find((s) => s.scenario.id === 'spouse-caller')!;

/** Runs attempts of PER_ATTEMPT actions until `total` actions are applied; returns the seconds spent applying. */
async function throughRuntime(db: Db, total: number, tag: string): Promise<number> {
	let seconds = 0;
	for (let a = 0; a * PER_ATTEMPT < total; a++) {
		const started = await startAttempt(db, spouse, { ownerId: 'bench', seed: `${tag}-${a}` });
		if (!started.ok) throw new Error(started.error.message);
		const { id, seedIds } = started.value;
		// Rest at a node that waits for a core event, so every action re-checks the wait.
		const held = await applyAction(db, spouse, id, { kind: 'choice', choiceId: 'bring-up-account' }, { expectedActionSeq: 1 });
		if (!held.ok) throw new Error(held.error.message);
		const actions: LearnerAction[] = Array.from({ length: Math.min(PER_ATTEMPT, total - a * PER_ATTEMPT) }, (_, n) => ({ kind: 'core', ...deskWork(seedIds.daniel!, n) }) as LearnerAction);
		const t0 = performance.now();
		await forEachInOrder(actions, async (action, n) => {
			const applied = await applyAction(db, spouse, id, action, { expectedActionSeq: n + 2 });
			if (!applied.ok || applied.value.core?.ok === false) throw new Error(`bench: action ${n} failed`);
		});
		seconds += (performance.now() - t0) / 1000;
	}
	return seconds;
}

/** The same operations with the same inputs, straight into the core, on workspaces seeded the same way. */
async function direct(db: Db, total: number, tag: string): Promise<number> {
	let seconds = 0;
	for (let a = 0; a * PER_ATTEMPT < total; a++) {
		const seed = `${tag}-${a}`;
		const seeded = await writeTransaction(db, async () => await seedWorkspace(db, spouse.scenario, { workspaceId: `direct-${seed}`, ids: seededIds(`${seed}:seed`) }));
		if (!seeded.ok) throw new Error(seeded.error.message);
		let now = Date.parse(spouse.scenario.clock.start);
		const ctx: CoreContext = { db, workspaceId: seeded.value.workspaceId, actor: { id: 'bench', role: 'agent' }, clock: () => new Date(now).toISOString(), ids: seededIds(`${seed}:direct`) };
		const count = Math.min(PER_ATTEMPT, total - a * PER_ATTEMPT);
		const t0 = performance.now();
		for (let n = 0; n < count; n++) {
			const { operation, input } = deskWork(seeded.value.seedIds.daniel!, n);
			const result = await CORE_OPERATIONS[operation].run(ctx, input);
			if (!result.ok) throw new Error(`bench: direct ${operation} failed: ${result.error.message}`);
			now += 60_000;
		}
		seconds += (performance.now() - t0) / 1000;
	}
	return seconds;
}

function median(samples: number[]): number {
	return percentiles(samples, [50]).p50!;
}

describe('simulation runtime benchmark', () => {
	it(`applies ${ACTIONS} learner actions through the runtime, beside the same core operations called directly`, async () => {
		const db = openDatabase(freshDatabaseFile(DATABASE));
		await throughRuntime(db, 200, 'warm-runtime');
		await direct(db, 200, 'warm-direct');
		// Interleaved halves, so neither side has the warmer cache or the bigger file throughout.
		const runtimeSeconds = await throughRuntime(db, ACTIONS / 2, 'runtime-a') + await throughRuntime(db, ACTIONS / 2, 'runtime-b');
		const directSeconds = await direct(db, ACTIONS / 2, 'direct-a') + await direct(db, ACTIONS / 2, 'direct-b');
		const stored = db.$client.prepare('select count(*) as n from attempt_action').get() as { n: number };
		db.$client.close();
		expect(stored.n).toBeGreaterThanOrEqual(ACTIONS);
		recordFigure({
			id: 'sim-apply-action.ratio',
			name: `sim: learner actions through applyAction, file database (WAL), ${ACTIONS} actions in attempts of ${PER_ATTEMPT}`,
			value: ACTIONS / runtimeSeconds,
			unit: 'actions/s',
			baselineName: 'the same core operations and inputs called directly, one core transaction each',
			baseline: ACTIONS / directSeconds,
			notes:
				`runtime ${((runtimeSeconds * 1000) / ACTIONS).toFixed(2)} ms per action, direct ${((directSeconds * 1000) / ACTIONS).toFixed(2)} ms; ` +
				'each action: view / authority check / search / log interaction in turn, at a node waiting for a core event; ' +
				'the runtime adds its transaction, the stored action and outcome, a transcript line, the clock and the wait check'
		});
	});

	it('marks an attempt of about 200 events, beside reading its event log', async () => {
		const db = openDatabase(freshDatabaseFile(DATABASE));
		const started = await startAttempt(db, spouse, { ownerId: 'bench', seed: 'marking' });
		if (!started.ok) throw new Error(started.error.message);
		const { id, seedIds } = started.value;
		let seq = 1;
		const act = async (action: LearnerAction) => {
			const applied = await applyAction(db, spouse, id, action, { expectedActionSeq: seq++ });
			if (!applied.ok) throw new Error(applied.error.message);
		};
		// A long, messy attempt: the wrong turns of the dialogue, then a lot of work in the record.
		for (const choiceId of ['ask-his-security', 'security-passed-give-balance', 'give-payments', 'agree-to-change', 'goodbye']) await act({ kind: 'choice', choiceId });
		for (let n = 0; (await attemptEvents(db, id)).length < 200; n++) await act({ kind: 'core', ...deskWork(seedIds.daniel!, n) } as LearnerAction);
		const events = await attemptEvents(db, id);

		const marking: number[] = [];
		const reading: number[] = [];
		for (let run = 0; run < MARKING_RUNS; run++) {
			let t0 = performance.now();
			const log = await attemptEvents(db, id);
			reading.push(performance.now() - t0);
			t0 = performance.now();
			const result = markAttempt(spouse.scenario, log, { seedIds });
			marking.push(performance.now() - t0);
			expect(result.points).toHaveLength(spouse.scenario.marking.length);
		}
		db.$client.close();
		recordFigure({
			id: 'sim-mark.ms',
			name: `sim: markAttempt over an attempt of ${events.length} events (${spouse.scenario.marking.length} marking points)`,
			value: median(marking),
			unit: 'ms (median)',
			baselineName: 'reading the attempt’s event log (attemptEvents)',
			baseline: median(reading),
			notes: `${MARKING_RUNS} runs; marking p95 ${percentiles(marking, [95]).p95!.toFixed(3)} ms`
		});
	});

	it('starts an attempt at the largest scenario, beside seeding the same records with no attempt', async () => {
		const size = (l: LoadedScenario) => {
			const s = l.scenario.seed;
			const fields = s.customers.reduce((n, c) => n + Object.values(c.fields).reduce((m, v) => m + Object.keys(v ?? {}).length, 0) + c.specialCategory.length, 0);
			return fields + [s.retentionRules, s.purposes, s.consents, s.thirdParties, s.interactions, s.disclosures, s.requests, s.breaches].reduce((n, list) => n + list.length, 0);
		};
		const largest = [...library.scenarios].sort((a, b) => size(b) - size(a))[0]!;
		const db = openDatabase(freshDatabaseFile(DATABASE));
		const starting: number[] = [];
		const seeding: number[] = [];
		let entries = 0;
		for (let run = -5; run < START_RUNS; run++) {
			let t0 = performance.now();
			const started = await startAttempt(db, largest, { ownerId: 'bench', seed: `start-${run}` });
			const startMs = performance.now() - t0;
			if (!started.ok) throw new Error(started.error.message);
			t0 = performance.now();
			const seeded = await writeTransaction(db, async () => await seedWorkspace(db, largest.scenario, { workspaceId: `seed-only-${run}`, ids: seededIds(`seed-only-${run}`) }));
			const seedMs = performance.now() - t0;
			if (!seeded.ok) throw new Error(seeded.error.message);
			entries = seeded.value.auditSeq;
			if (run >= 0) {
				starting.push(startMs);
				seeding.push(seedMs);
			}
		}
		db.$client.close();
		recordFigure({
			id: 'attempt-start.ms',
			name: `sim: startAttempt at the largest scenario (${largest.scenario.id}: ${size(largest)} seeded records and values)`,
			value: median(starting),
			unit: 'ms (median)',
			baselineName: 'seedWorkspace alone: the same core operations, no attempt row and no dialogue',
			baseline: median(seeding),
			goal: { max: 10, text: '≤ 10 ms (issue 19)' },
			notes: `${START_RUNS} runs after 5 warm-up; ${entries} audit entries of seeded history; start p95 ${percentiles(starting, [95]).p95!.toFixed(1)} ms`
		});
	});
});

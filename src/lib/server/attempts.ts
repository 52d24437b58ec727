import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import type { Result } from '$lib/core/result';
import { attempt } from '$lib/sim/schema';
import {
	applyAction,
	endAttempt,
	getAttempt,
	startAttempt,
	type ActionOutcome,
	type AttemptResult,
	type AttemptView,
	type LearnerAction,
	type LoadedScenario
} from '$lib/sim/runtime';
import { currentVersionOf, findScenarioVersion, loadScenarioVersion } from '$lib/server/scenarios';
import type { ScenarioVersion } from '$lib/server/db/schema';

/**
 * The learner's attempts: the simulator's runtime, with ownership. An attempt is only ever found
 * for its owner (another learner's id gets "not found", never a hint that it exists).
 */

export interface OwnedAttempt {
	view: AttemptView;
	loaded: LoadedScenario;
	version: ScenarioVersion;
}

export function startLearnerAttempt(db: Db, learnerId: string, scenarioId: string): Result<AttemptView> {
	const version = currentVersionOf(db, scenarioId);
	if (!version) return { ok: false, error: { code: 'scenario.not-found', message: `There is no scenario "${scenarioId}" to start.` } };
	return startAttempt(db, loadScenarioVersion(version), { ownerId: learnerId, actor: { id: learnerId, role: 'agent' } });
}

export function ownedAttempt(db: Db, learnerId: string, attemptId: string): OwnedAttempt | null {
	const view = getAttempt(db, attemptId);
	if (!view || view.ownerId !== learnerId) return null;
	const version = findScenarioVersion(db, `${view.scenarioId}@${view.scenarioVersion}`);
	if (!version) return null;
	return { view, loaded: loadScenarioVersion(version), version };
}

/**
 * The scenario an attempt of this learner's was started on, or null: the ownership check for
 * actions, which reads only the attempt's row (not its transcript, which grows with every action).
 */
function ownedScenario(db: Db, learnerId: string, attemptId: string): LoadedScenario | null {
	const row = db
		.select({ ownerId: attempt.ownerId, scenarioId: attempt.scenarioId, scenarioVersion: attempt.scenarioVersion })
		.from(attempt)
		.where(eq(attempt.id, attemptId))
		.get();
	if (!row || row.ownerId !== learnerId) return null;
	const version = findScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`);
	return version ? loadScenarioVersion(version) : null;
}

const NOT_FOUND = { ok: false, error: { code: 'attempt.not-found', message: 'That attempt was not found.' } } as const;

export function applyLearnerAction(
	db: Db,
	learnerId: string,
	attemptId: string,
	action: LearnerAction,
	expectedActionSeq: number
): Result<ActionOutcome> {
	const loaded = ownedScenario(db, learnerId, attemptId);
	return loaded ? applyAction(db, loaded, attemptId, action, { expectedActionSeq }) : NOT_FOUND;
}

export function endLearnerAttempt(db: Db, learnerId: string, attemptId: string): Result<AttemptResult> {
	const loaded = ownedScenario(db, learnerId, attemptId);
	return loaded ? endAttempt(db, loaded, attemptId) : NOT_FOUND;
}

export interface AttemptSummary {
	id: string;
	scenarioId: string;
	scenarioVersion: string;
	title: string;
	status: 'in-progress' | 'ended';
	startedAt: string;
	endedAt: string | null;
	score: number | null;
	passed: boolean | null;
	criteriaEvidenced: string[];
}

/** Every attempt of a learner, newest first. */
export function attemptsOf(db: Db, learnerId: string): AttemptSummary[] {
	const rows = db.select().from(attempt).where(eq(attempt.ownerId, learnerId)).orderBy(desc(attempt.startedAt)).all();
	return rows.map((row) => {
		const version = findScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`);
		const result = row.result;
		return {
			id: row.id,
			scenarioId: row.scenarioId,
			scenarioVersion: row.scenarioVersion,
			title: version?.title ?? row.scenarioId,
			status: row.status,
			startedAt: row.startedAt,
			endedAt: row.endedAt,
			score: result?.score ?? null,
			passed: result?.passed ?? null,
			criteriaEvidenced: result ? [...result.criteriaEvidenced] : []
		};
	});
}

export function inProgressAttemptOf(db: Db, learnerId: string, scenarioId: string): string | undefined {
	return db
		.select({ id: attempt.id })
		.from(attempt)
		.where(and(eq(attempt.ownerId, learnerId), eq(attempt.scenarioId, scenarioId), eq(attempt.status, 'in-progress')))
		.orderBy(desc(attempt.startedAt))
		.get()?.id;
}

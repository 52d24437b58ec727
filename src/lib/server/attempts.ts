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

export function applyLearnerAction(
	db: Db,
	learnerId: string,
	attemptId: string,
	action: LearnerAction,
	expectedActionSeq: number
): Result<ActionOutcome> {
	const owned = ownedAttempt(db, learnerId, attemptId);
	if (!owned) return { ok: false, error: { code: 'attempt.not-found', message: 'That attempt was not found.' } };
	return applyAction(db, owned.loaded, attemptId, action, { expectedActionSeq });
}

export function endLearnerAttempt(db: Db, learnerId: string, attemptId: string): Result<AttemptResult> {
	const owned = ownedAttempt(db, learnerId, attemptId);
	if (!owned) return { ok: false, error: { code: 'attempt.not-found', message: 'That attempt was not found.' } };
	return endAttempt(db, owned.loaded, attemptId);
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

import { mapInOrder } from '$lib/core/in-order';
import { dbGet, dbRun, dbAll, preparedStatements, writeTransaction } from '$lib/core/database';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import type { Result } from '$lib/core/result';
import { attempt } from '$lib/sim/schema';
import { verdictOf } from '$lib/sim/marking';
import type { AttemptSummary } from '$lib/views/learning';
import {
	applyAction,
	endAttempt,
	getAttempt,
	startAttempt,
	type ActionOutcome,
	type AttemptResult,
	type AttemptView,
	type LearnerAction,
	type LoadedScenario,
	type TranscriptWindow
} from '$lib/sim/runtime';
import { parseDocument } from 'yaml';
import { parseScenario } from '$lib/sim/scenario-check';
import { currentVersionOf, findScenarioVersion, isArchived, loadedScenarioVersion, loadScenarioVersion } from '$lib/server/scenarios';
import { scenarioVersion, user, type ScenarioVersion } from '$lib/server/db/schema';
import { retentionRulesOf } from '$lib/server/organisation';
import { attemptStatuses } from '$lib/server/attempt-status';
import { recordAttemptEnded, recordAttemptStarted, recordLearnerAction } from '$lib/server/xapi/record';
import { enqueueAttemptScore, linkAttemptToLaunch } from '$lib/server/lti/services/grade-return';
import type { LaunchForAttempt } from '$lib/server/lti/services/types';

/**
 * The learner's attempts: the simulator's runtime, with ownership. An attempt is only ever found
 * for its owner (another learner's id gets "not found", never a hint that it exists).
 */

export interface OwnedAttempt {
	view: AttemptView;
	loaded: LoadedScenario;
	/** What the pages show of the version (its whole row holds the YAML, already parsed in `loaded`). */
	version: Pick<ScenarioVersion, 'id' | 'title' | 'version'>;
}

/**
 * Starts an attempt of the learner's. `launch`: the LTI launch it comes from (lti/attempt-launch.ts),
 * linked in the start's transaction so its grades go back to that platform.
 */
export async function startLearnerAttempt(db: Db, learnerId: string, scenarioId: string, launch?: LaunchForAttempt | null): Promise<Result<AttemptView>> {
	const current = await currentVersionOf(db, scenarioId);
	if (!current) return { ok: false, error: { code: 'scenario.not-found', message: `There is no scenario "${scenarioId}" to start.` } };
	// An archived scenario's attempts stay and can be finished, but no new one starts.
	if (await isArchived(db, scenarioId)) return { ok: false, error: { code: 'scenario.archived', message: 'This scenario has been withdrawn by your centre, so a new attempt cannot be started.' } };
	const loaded = loadScenarioVersion(await withCentreRetentionRules(db, learnerId, current));
	// The xAPI statement is written in the start's own transaction: both or neither.
	return await writeTransaction(db, async () => {
		const started = await startAttempt(db, loaded, { ownerId: learnerId, actor: { id: learnerId, role: 'agent' } });
		if (started.ok) await recordAttemptStarted(db, learnerId, started.value, loaded);
		if (started.ok && launch) await linkAttemptToLaunch(db, started.value.id, launch);
		return started;
	});
}

/**
 * The version an attempt of this learner is started on: the scenario with the centre's retention
 * rules whose code it does not define added to its seed. The result is stored as a version of its
 * own (its content hash differs, and it is never current), so the attempt pins exactly the rules it
 * was seeded with: later changes to the centre's rules never change it, and replayAttempt
 * reproduces it from the stored version like any other.
 */
export async function withCentreRetentionRules(db: Db, learnerId: string, version: ScenarioVersion): Promise<ScenarioVersion> {
	const organisationId = (await dbGet(db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, learnerId))))?.organisationId;
	if (organisationId === undefined) return version;
	const own = new Set(loadScenarioVersion(version).scenario.seed.retentionRules.map((r) => r.code));
	const added = (await retentionRulesOf(db, organisationId)).filter((r) => !own.has(r.code));
	if (added.length === 0) return version;
	const doc = parseDocument(version.source);
	const path = ['seed', 'retentionRules'];
	if (!doc.hasIn(path)) doc.setIn(path, doc.createNode([]));
	for (const rule of added) {
		doc.addIn(path, doc.createNode({ code: rule.code, description: rule.description, periodMonths: rule.periodMonths, trigger: rule.trigger, action: rule.action, authority: rule.authority }));
	}
	const source = doc.toString();
	const parsed = parseScenario(`scenarios/${version.scenarioId}.yaml`, source);
	// Rules are validated when saved; a scenario that cannot take them is played without them.
	if (!parsed.ok) return version;
	const id = `${version.scenarioId}@${parsed.version}`;
	const existing = await findScenarioVersion(db, id);
	if (existing) return existing;
	const row: ScenarioVersion = { ...version, id, version: parsed.version, hash: parsed.hash, source, current: false, derivedFrom: version.id };
	await dbRun(db.insert(scenarioVersion).values(row).onConflictDoNothing());
	return await findScenarioVersion(db, id) ?? row;
}

/** Lines of the conversation the simulation screen shows unless the learner asks for the earlier ones. */
export const SCREEN_TRANSCRIPT_LINES = 200;

/**
 * The transcript the simulation screen loads: its last SCREEN_TRANSCRIPT_LINES lines, so a render
 * costs the same at action 5 and action 500; the whole of it when the learner asks for the earlier
 * part (`?transcript=all`). The debrief, the assessor and the portfolio always read it whole.
 */
export function screenTranscript(url: URL): TranscriptWindow {
	return url.searchParams.get('transcript') === 'all' ? 'whole' : { last: SCREEN_TRANSCRIPT_LINES };
}

export async function ownedAttempt(db: Db, learnerId: string, attemptId: string, options: { transcript?: TranscriptWindow } = {}): Promise<OwnedAttempt | null> {
	const view = await getAttempt(db, attemptId, options);
	if (!view || view.ownerId !== learnerId) return null;
	const id = `${view.scenarioId}@${view.scenarioVersion}`;
	const version = await statements(db).versionTitle.get(id);
	const loaded = version && (await loadedScenarioVersion(db, id));
	if (!version || !loaded) return null;
	return { view, loaded, version };
}

/** The ownership check every action makes, and the version's title every attempt page shows, prepared once per connection. */
const statements = preparedStatements((client) => ({
	owner: client.prepare<[string], { owner_id: string; scenario_id: string; scenario_version: string }>('select owner_id, scenario_id, scenario_version from attempt where id = ?'),
	versionTitle: client.prepare<[string], { id: string; title: string; version: string }>('select id, title, version from scenario_version where id = ?')
}));

/**
 * The scenario an attempt of this learner's was started on, or null: the ownership check for
 * actions, which reads only the attempt's row (not its transcript, which grows with every action).
 */
async function ownedScenario(db: Db, learnerId: string, attemptId: string): Promise<LoadedScenario | null> {
	const row = await statements(db).owner.get(attemptId);
	if (!row || row.owner_id !== learnerId) return null;
	return (await loadedScenarioVersion(db, `${row.scenario_id}@${row.scenario_version}`)) ?? null;
}

const NOT_FOUND = { ok: false, error: { code: 'attempt.not-found', message: 'That attempt was not found.' } } as const;

export async function applyLearnerAction(
	db: Db,
	learnerId: string,
	attemptId: string,
	action: LearnerAction,
	expectedActionSeq: number
): Promise<Result<ActionOutcome>> {
	const loaded = await ownedScenario(db, learnerId, attemptId);
	if (!loaded) return NOT_FOUND;
	return await writeTransaction(db, async () => {
		const applied = await applyAction(db, loaded, attemptId, action, { expectedActionSeq });
		if (applied.ok) await recordLearnerAction(db, learnerId, attemptId, loaded, action, applied.value);
		return applied;
	});
}

/**
 * Ends the attempt and marks it. An attempt started from an LTI launch has its score queued for the
 * LMS's gradebook in the same transaction (server/lti/services/grade-return.ts).
 */
export async function endLearnerAttempt(db: Db, learnerId: string, attemptId: string): Promise<Result<AttemptResult>> {
	const loaded = await ownedScenario(db, learnerId, attemptId);
	if (!loaded) return NOT_FOUND;
	return await writeTransaction(db, async () => {
		const ended = await endAttempt(db, loaded, attemptId);
		if (ended.ok) await recordAttemptEnded(db, learnerId, attemptId, loaded, ended.value);
		if (ended.ok) await enqueueAttemptScore(db, attemptId, ended.value);
		return ended;
	});
}

/** Every attempt of a learner, newest first. */
export async function attemptsOf(db: Db, learnerId: string): Promise<AttemptSummary[]> {
	const rows = await dbAll(db.select().from(attempt).where(eq(attempt.ownerId, learnerId)).orderBy(desc(attempt.startedAt)));
	const standings = await attemptStatuses(db, rows.map((r) => r.id), 'learner');
	return await mapInOrder(rows, async (row) => {
		const version = await findScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`);
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
			verdict: result ? verdictOf(result) : null,
			criteriaEvidenced: result ? [...result.criteriaEvidenced] : [],
			standing: standings.get(row.id)!
		};
	});
}

export async function inProgressAttemptOf(db: Db, learnerId: string, scenarioId: string): Promise<string | undefined> {
	return (await dbGet(db
		.select({ id: attempt.id })
		.from(attempt)
		.where(and(eq(attempt.ownerId, learnerId), eq(attempt.scenarioId, scenarioId), eq(attempt.status, 'in-progress')))
		.orderBy(desc(attempt.startedAt))))?.id;
}

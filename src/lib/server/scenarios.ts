import { filterInOrder } from '$lib/core/in-order';
import { and, eq, notExists } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { loadScenarios, parseScenario, type LoadedScenario, type ScenarioError } from '$lib/sim/scenario-check';
import { checkSeed } from '$lib/sim/seeding';
import { centreScenario, scenarioArchive } from '$lib/server/db/authoring';
import { scenarioVersion, type ScenarioVersion } from '$lib/server/db/schema';

export function scenariosDir(): string {
	return resolve(process.env.SCENARIOS_DIR ?? 'scenarios');
}

/**
 * Records every built-in scenario file's current version, once per content hash. Older versions stay,
 * no longer current, so attempts pinned to them can still be reviewed and replayed. Files with errors
 * are not published (npm run scenarios:check names them); their last good version stays current.
 * Centre scenarios (written in the app) are never touched: a file whose id is a centre scenario's
 * is reported and not published, so one id never has two current versions.
 */
export async function syncBuiltInScenarios(db: Db, dir = scenariosDir(), now = new Date()): Promise<{ published: string[]; errors: ScenarioError[] }> {
	const loaded = loadScenarios(dir);
	const errors = [...loaded.errors];
	// Only files whose records the core accepts are published: an attempt on them can always start.
	const centreIds = new Set((await dbAll(db.select({ id: centreScenario.scenarioId }).from(centreScenario))).map((r) => r.id));
	const scenarios = await filterInOrder(loaded.scenarios, async (scenario) => {
		if (centreIds.has(scenario.scenario.id)) {
			errors.push({ file: scenario.file, path: 'id', message: `"${scenario.scenario.id}" is already the id of a scenario written in the app: rename the file and its id` });
			return false;
		}
		const seeded = await checkSeed(scenario);
		errors.push(...seeded.errors);
		return seeded.errors.length === 0;
	});
	const published: string[] = [];
	await writeTransaction(db, async () => {
			for (const loaded of scenarios) {
				const id = `${loaded.scenario.id}@${loaded.version}`;
				const existing = await dbGet(db.select({ id: scenarioVersion.id }).from(scenarioVersion).where(eq(scenarioVersion.id, id)));
				await dbRun(db.update(scenarioVersion)
					.set({ current: false })
					.where(and(eq(scenarioVersion.scenarioId, loaded.scenario.id), eq(scenarioVersion.origin, 'built-in'))));
				if (existing) {
					await dbRun(db.update(scenarioVersion).set({ current: true }).where(eq(scenarioVersion.id, id)));
					continue;
				}
				await dbRun(db.insert(scenarioVersion)
					.values({
						id,
						scenarioId: loaded.scenario.id,
						version: loaded.version,
						hash: loaded.hash,
						title: loaded.scenario.title,
						difficulty: loaded.scenario.difficulty,
						criteria: [...loaded.scenario.criteria],
						source: readFileSync(loaded.file, 'utf8'),
						origin: 'built-in',
						publishedAt: now.toISOString(),
						current: true
					}));
				published.push(id);
			}
		});
	return { published, errors };
}

/** The scenarios learners can start now: the current version of each that is not archived. */
export async function currentScenarios(db: Db): Promise<ScenarioVersion[]> {
	const archived = db.select({ id: scenarioArchive.scenarioId }).from(scenarioArchive).where(eq(scenarioArchive.scenarioId, scenarioVersion.scenarioId));
	return await dbAll(db
		.select()
		.from(scenarioVersion)
		.where(and(eq(scenarioVersion.current, true), notExists(archived)))
		.orderBy(scenarioVersion.title));
}

/** An archived scenario has left learners' lists; its versions and attempts stay. */
export async function isArchived(db: Db, scenarioId: string): Promise<boolean> {
	return await dbGet(db.select({ id: scenarioArchive.scenarioId }).from(scenarioArchive).where(eq(scenarioArchive.scenarioId, scenarioId))) !== undefined;
}

export async function findScenarioVersion(db: Db, versionId: string): Promise<ScenarioVersion | undefined> {
	return await dbGet(db.select().from(scenarioVersion).where(eq(scenarioVersion.id, versionId)));
}

export async function currentVersionOf(db: Db, scenarioId: string): Promise<ScenarioVersion | undefined> {
	return await dbGet(db
		.select()
		.from(scenarioVersion)
		.where(and(eq(scenarioVersion.scenarioId, scenarioId), eq(scenarioVersion.current, true))));
}

const parsed = new Map<string, LoadedScenario>();

/**
 * The parsed scenario of a version, by id: from this process's cache when it was parsed before (a
 * version's source never changes: its id carries its content hash), else read and parsed. Every
 * action of an attempt needs it, and the row holds the whole YAML.
 */
export async function loadedScenarioVersion(db: Db, versionId: string): Promise<LoadedScenario | undefined> {
	const cached = parsed.get(versionId);
	if (cached) return cached;
	const row = await findScenarioVersion(db, versionId);
	return row && loadScenarioVersion(row);
}

/** The parsed scenario of a stored version, built-in or written in the app (parsed once per process). */
export function loadScenarioVersion(row: ScenarioVersion): LoadedScenario {
	const cached = parsed.get(row.id);
	if (cached) return cached;
	const result = parseScenario(`scenarios/${row.scenarioId}.yaml`, row.source);
	if (!result.ok) {
		// A stored version was valid when published; failing now means the schema changed under it.
		throw new Error(`Stored scenario ${row.id} no longer parses: ${result.errors.map((e) => e.message).join('; ')}`);
	}
	const loaded: LoadedScenario = { file: `scenarios/${row.scenarioId}.yaml`, scenario: result.scenario, version: result.version, hash: result.hash };
	parsed.set(row.id, loaded);
	return loaded;
}

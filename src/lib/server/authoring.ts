/**
 * Scenario authoring in the app (issue 7): the centre's own scenarios, from a duplicate or an
 * imported file, through drafts (saved whatever their state, never losing what a tutor typed) to
 * published versions. A published version is an immutable row of scenario_version (origin
 * 'centre'); attempts pin the version they were played on, so publishing never changes evidence.
 *
 * A draft is checked as sim/scenario-source.ts describes, in a worker thread with a time budget
 * (workers/scenario-checks.ts): a file that would take too long is cut off, and nothing saved is lost.
 */
import { mapInOrder } from '$lib/core/in-order';
import { and, count, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import type { ScenarioError } from '$lib/sim/scenario-check';
import { MAX_SOURCE_BYTES } from '$lib/sim/scenario-limits';
import { DIFFICULTIES, starterScenario } from '$lib/sim/starter-scenario';
import { draftFile, titleOfSource, type DraftInspection, type GraphQuery } from '$lib/sim/scenario-source';
import { runScenarioJob } from '$lib/server/workers/scenario-checks';
import { centreScenario, scenarioArchive, type CentreScenario } from '$lib/server/db/authoring';
import { scenarioVersion, type ScenarioVersion } from '$lib/server/db/schema';
import { isArchived, scenariosDir } from '$lib/server/scenarios';

/** A scenario file in the library is about 30 kB; the limit leaves room without letting a post fill the disk. */
export { MAX_SOURCE_BYTES };
const MAX_SOURCE_LABEL = '256 kB';

export interface Author {
	id: string;
	organisationId: string;
}

export interface AuthoringError {
	code: string;
	message: string;
	field?: string;
	/** The checker's errors, when the problem is the scenario itself. */
	errors?: ScenarioError[];
}

export type AuthoringResult<T> = { ok: true; value: T } | { ok: false; error: AuthoringError };

const failure = (code: string, message: string, extra: Omit<AuthoringError, 'code' | 'message'> = {}): { ok: false; error: AuthoringError } => ({
	ok: false,
	error: { code, message, ...extra }
});

const NOT_FOUND = failure('scenario.not-found', 'That scenario was not found.');

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** A check cut off for time (or that failed to run) is reported as the draft's one problem, so every page can show it. */
const notChecked = (scenarioId: string, message: string): ScenarioError => ({ file: draftFile(scenarioId), path: '(root)', message });

/** The errors of a draft of `scenarioId` (none when it could be published), checked in a worker. */
export async function validateDraft(scenarioId: string, source: string): Promise<ScenarioError[]> {
	const run = await runScenarioJob('checkSource', { file: draftFile(scenarioId), source });
	if (!run.ok) return [notChecked(scenarioId, run.error.message)];
	return run.value.ok ? [] : run.value.errors;
}

/** What the editor shows of a draft (problems, one page of the dialogue, marking points), worked out in a worker. */
export async function draftView(scenarioId: string, source: string, query: GraphQuery): Promise<DraftInspection> {
	const run = await runScenarioJob('inspectDraft', { scenarioId, source, query });
	return run.ok ? run.value : { errors: [notChecked(scenarioId, run.error.message)], graph: null, points: [], passMark: null };
}

// ── The library ──────────────────────────────────────────────────────────────────────────────

export type ScenarioState = 'draft' | 'published' | 'archived';

export interface LibraryVersion {
	id: string;
	version: string;
	title: string;
	publishedAt: string;
	current: boolean;
	/** Learners' attempts on this version (previews are not attempts). */
	attempts: number;
}

export interface LibraryEntry {
	scenarioId: string;
	title: string;
	origin: 'built-in' | 'centre';
	state: ScenarioState;
	archived: boolean;
	/** A centre scenario whose draft differs from its current version (or that was never published). */
	unpublishedChanges: boolean;
	versions: LibraryVersion[];
	criteria: string[];
	updatedAt: string | null;
}

/** Attempts by real users only: a preview's owner is `preview:<tutorId>`. */
const notPreview = sql`${attempt.ownerId} NOT LIKE 'preview:%'`;

async function attemptCounts(db: Db, scenarioIds: string[]): Promise<Map<string, number>> {
	if (scenarioIds.length === 0) return new Map();
	const rows = await dbAll(db
		.select({ scenarioId: attempt.scenarioId, version: attempt.scenarioVersion, n: count() })
		.from(attempt)
		.where(and(inArray(attempt.scenarioId, scenarioIds), notPreview))
		.groupBy(attempt.scenarioId, attempt.scenarioVersion));
	// An attempt on a version with the centre's retention rules added counts for the version it derives from.
	const derived = new Map(
		(await dbAll(db
			.select({ id: scenarioVersion.id, derivedFrom: scenarioVersion.derivedFrom })
			.from(scenarioVersion)
			.where(and(inArray(scenarioVersion.scenarioId, scenarioIds), isNotNull(scenarioVersion.derivedFrom)))))
			.map((r) => [r.id, r.derivedFrom!])
	);
	const counts = new Map<string, number>();
	for (const r of rows) {
		const id = `${r.scenarioId}@${r.version}`;
		const key = derived.get(id) ?? id;
		counts.set(key, (counts.get(key) ?? 0) + r.n);
	}
	return counts;
}

async function centreRow(db: Db, author: Author, scenarioId: string): Promise<CentreScenario | undefined> {
	return await dbGet(db
		.select()
		.from(centreScenario)
		.where(and(eq(centreScenario.scenarioId, scenarioId), eq(centreScenario.organisationId, author.organisationId))));
}

async function versionsOf(db: Db, scenarioId: string, origin: 'built-in' | 'centre'): Promise<ScenarioVersion[]> {
	return await dbAll(db
		.select()
		.from(scenarioVersion)
		.where(and(eq(scenarioVersion.scenarioId, scenarioId), eq(scenarioVersion.origin, origin), isNull(scenarioVersion.derivedFrom)))
		.orderBy(sql`${scenarioVersion.publishedAt} DESC`, sql`${scenarioVersion.id} DESC`));
}

async function entryOf(db: Db, scenarioId: string, origin: 'built-in' | 'centre', centre: CentreScenario | undefined, counts: Map<string, number>): Promise<LibraryEntry> {
	const versions = await versionsOf(db, scenarioId, origin);
	const current = versions.find((v) => v.current) ?? versions[0];
	const archived = await isArchived(db, scenarioId);
	return {
		scenarioId,
		title: (centre && titleOfSource(centre.draftSource)) ?? current?.title ?? scenarioId,
		origin,
		state: archived ? 'archived' : versions.length > 0 ? 'published' : 'draft',
		archived,
		unpublishedChanges: centre !== undefined && centre.draftSource !== current?.source,
		versions: versions.map((v) => ({
			id: v.id,
			version: v.version,
			title: v.title,
			publishedAt: v.publishedAt,
			current: v.current,
			attempts: counts.get(v.id) ?? 0
		})),
		criteria: current?.criteria ?? [],
		updatedAt: centre?.updatedAt ?? current?.publishedAt ?? null
	};
}

/** The built-in scenarios and this centre's own, each with its versions, in title order. */
export async function scenarioLibrary(db: Db, author: Author): Promise<LibraryEntry[]> {
	const builtIn = (await dbAll(db
		.selectDistinct({ scenarioId: scenarioVersion.scenarioId })
		.from(scenarioVersion)
		.where(eq(scenarioVersion.origin, 'built-in'))))
		.map((r) => r.scenarioId);
	const centre = await dbAll(db.select().from(centreScenario).where(eq(centreScenario.organisationId, author.organisationId)));
	const counts = await attemptCounts(db, [...builtIn, ...centre.map((c) => c.scenarioId)]);
	const entries = [
		...await mapInOrder(builtIn, async (id) => await entryOf(db, id, 'built-in', undefined, counts)),
		...await mapInOrder(centre, async (c) => await entryOf(db, c.scenarioId, 'centre', c, counts))
	];
	return entries.sort((a, b) => a.title.localeCompare(b.title, 'en-GB') || a.scenarioId.localeCompare(b.scenarioId));
}

/** One scenario of the library as this tutor may see it, or undefined (unknown, or another centre's). */
export async function libraryEntry(db: Db, author: Author, scenarioId: string): Promise<LibraryEntry | undefined> {
	const centre = await centreRow(db, author, scenarioId);
	const builtIn = !centre && await dbGet(db.select({ id: scenarioVersion.id }).from(scenarioVersion).where(and(eq(scenarioVersion.scenarioId, scenarioId), eq(scenarioVersion.origin, 'built-in'))));
	if (!centre && !builtIn) return undefined;
	const counts = await attemptCounts(db, [scenarioId]);
	return await entryOf(db, scenarioId, centre ? 'centre' : 'built-in', centre, counts);
}

/** A centre scenario's draft, for the editor; undefined for a built-in, unknown or other centre's id. */
export async function centreDraft(db: Db, author: Author, scenarioId: string): Promise<CentreScenario | undefined> {
	return await centreRow(db, author, scenarioId);
}

// ── New scenarios: duplicate and import ──────────────────────────────────────────────────────

/** The static pages under /author/scenarios: an id equal to one would be unreachable. */
const RESERVED_IDS: readonly string[] = ['new', 'import'];

const scenarioId = z
	.string()
	.trim()
	.min(3, 'Enter an id of at least 3 characters, e.g. "spouse-caller-gas".')
	.max(60, 'Use at most 60 characters.')
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens, e.g. "spouse-caller-gas".')
	// A scenario under one of these ids could never be opened: /author/scenarios/new is the form, not the scenario.
	.refine((id) => !RESERVED_IDS.includes(id), '"new" and "import" are names of pages of the library: choose another id.');

export const duplicateInput = z.object({
	scenarioId,
	title: z.string().trim().min(3, 'Enter a title of at least 3 characters.').max(140, 'Use at most 140 characters.')
});
export type DuplicateInput = z.infer<typeof duplicateInput>;

/** Whether an id is taken by a built-in file, a published version or any centre's scenario. */
async function idTaken(db: Db, id: string): Promise<boolean> {
	if (existsSync(join(scenariosDir(), `${id}.yaml`))) return true;
	if (await dbGet(db.select({ id: scenarioVersion.id }).from(scenarioVersion).where(eq(scenarioVersion.scenarioId, id)))) return true;
	return await dbGet(db.select({ id: centreScenario.scenarioId }).from(centreScenario).where(eq(centreScenario.scenarioId, id))) !== undefined;
}

const ID_TAKEN = (id: string) => failure('scenario.id-taken', `There is already a scenario with the id "${id}": choose another id.`, { field: 'scenarioId' });

/** The text a duplicate or a new version starts from: the current version, else a centre draft. */
async function sourceOf(db: Db, author: Author, fromScenarioId: string): Promise<{ source: string; basedOn: string | null } | undefined> {
	const centre = await centreRow(db, author, fromScenarioId);
	const versions = await libraryEntry(db, author, fromScenarioId) ? await versionsOf(db, fromScenarioId, centre ? 'centre' : 'built-in') : [];
	const current = versions.find((v) => v.current) ?? versions[0];
	if (centre) return { source: centre.draftSource, basedOn: current ? current.id : null };
	return current ? { source: current.source, basedOn: current.id } : undefined;
}

/**
 * The source with a new id, title and version 1.0.0. Only those three values change, in place, so
 * the rest of the file keeps its comments and layout exactly.
 */
export function renameSource(source: string, id: string, title: string): string {
	const doc = parseDocument(source);
	if (!isMap(doc.contents)) return source;
	const replacements: { from: number; to: number; text: string }[] = [];
	const additions: string[] = [];
	for (const [key, text] of [
		['id', stringify(id).trim()],
		['title', JSON.stringify(title)],
		['version', '1.0.0']
	] as const) {
		const pair = doc.contents.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
		const range = (pair?.value as { range?: [number, number, number] } | null | undefined)?.range;
		if (range) replacements.push({ from: range[0], to: range[1], text });
		else additions.push(`${key}: ${text}`);
	}
	let out = source;
	for (const r of replacements.sort((a, b) => b.from - a.from)) out = out.slice(0, r.from) + r.text + out.slice(r.to);
	return additions.length > 0 ? `${additions.join('\n')}\n${out}` : out;
}

/** Starts a new centre scenario as a copy of any scenario this tutor can see, under a new id and title. */
export async function duplicateScenario(db: Db, author: Author, fromScenarioId: string, input: unknown, now = new Date()): Promise<AuthoringResult<CentreScenario>> {
	const from = await sourceOf(db, author, fromScenarioId);
	if (!from) return NOT_FOUND;
	const parsed = duplicateInput.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		return failure('invalid', issue.message, { field: String(issue.path[0] ?? 'scenarioId') });
	}
	const { scenarioId: id, title } = parsed.data;
	return await writeTransaction(db, async (): Promise<AuthoringResult<CentreScenario>> => {
			if (await idTaken(db, id)) return ID_TAKEN(id);
			return { ok: true, value: await insertDraft(db, author, id, renameSource(from.source, id, title), from.basedOn, now) };
		});
}

export const newScenarioInput = duplicateInput.extend({
	difficulty: z.enum(DIFFICULTIES, { error: 'Choose a difficulty: foundation, intermediate or advanced.' })
});
export type NewScenarioInput = z.infer<typeof newScenarioInput>;

/**
 * Starts a new centre scenario from nothing: the starter scenario (sim/starter-scenario.ts) under
 * the tutor's id, title and difficulty, a draft that passes every check as it is.
 */
export async function createScenario(db: Db, author: Author, input: unknown, now = new Date()): Promise<AuthoringResult<CentreScenario>> {
	const parsed = newScenarioInput.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		return failure('invalid', issue.message, { field: String(issue.path[0] ?? 'scenarioId') });
	}
	const { scenarioId: id, title, difficulty } = parsed.data;
	return await writeTransaction(db, async (): Promise<AuthoringResult<CentreScenario>> => {
			if (await idTaken(db, id)) return ID_TAKEN(id);
			return { ok: true, value: await insertDraft(db, author, id, starterScenario({ scenarioId: id, title, difficulty }), null, now) };
		});
}

/** An id suggested from a title: its words in lower case, joined by hyphens (the tutor may change it). */
export function suggestedId(title: string): string {
	const words = title
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim()
		.split(' ')
		.filter(Boolean);
	let id = '';
	for (const word of words) {
		const next = id === '' ? word : `${id}-${word}`;
		if (next.length > 60) break;
		id = next;
	}
	return RESERVED_IDS.includes(id) ? `${id}-scenario` : id;
}

/** A new centre draft of `id`, created and last changed by the author now. */
async function insertDraft(db: Db, author: Author, id: string, source: string, basedOn: CentreScenario['basedOn'], now: Date): Promise<CentreScenario> {
	const at = now.toISOString();
	return await dbGet(db
		.insert(centreScenario)
		.values({ scenarioId: id, organisationId: author.organisationId, draftSource: source, basedOn, createdBy: author.id, createdAt: at, updatedBy: author.id, updatedAt: at })
		.returning());
}

export interface ImportOutcome {
	draft: CentreScenario;
	/** The file's problems, named as `npm run scenarios:check` names them; the draft is kept to fix them. */
	errors: ScenarioError[];
}

/**
 * Imports an uploaded file as a new centre draft. A file whose id cannot be read, or is taken, is
 * refused; otherwise it becomes a draft even with problems (they are reported, to fix in the editor).
 */
export async function importScenario(db: Db, author: Author, fileName: string, source: string, now = new Date()): Promise<AuthoringResult<ImportOutcome>> {
	const name = fileName.replace(/^.*[\\/]/, '').slice(0, 200) || 'upload.yaml';
	const file = `scenarios/${name}`;
	if (!/\.ya?ml$/i.test(name)) return failure('import.not-yaml', 'Choose a scenario file ending in .yaml.', { field: 'file' });
	if (byteLength(source) === 0) return failure('import.empty', 'The file is empty: choose a scenario file.', { field: 'file' });
	if (byteLength(source) > MAX_SOURCE_BYTES) {
		return failure('import.too-large', `The file is ${Math.ceil(byteLength(source) / 1024)} kB; a scenario file may be at most ${MAX_SOURCE_LABEL}.`, { field: 'file' });
	}
	const checked = await runScenarioJob('checkImport', { file, source });
	if (!checked.ok) return failure('import.not-checked', checked.error.message, { field: 'file' });
	const { errors, declaredId: id } = checked.value;
	const validId = id !== undefined && scenarioId.safeParse(id).success && id === id.trim();
	if (!validId) {
		return failure('import.invalid', 'The file has no usable `id:`, so it cannot become a draft. Fix the problems below and upload it again.', {
			field: 'file',
			errors: errors.length > 0 ? errors : [{ file, path: 'id', message: 'missing: the scenario id, e.g. "spouse-caller-gas"' }]
		});
	}
	return await writeTransaction(db, async (): Promise<AuthoringResult<ImportOutcome>> => {
			if (await idTaken(db, id)) {
				return failure('scenario.id-taken', `There is already a scenario with the id "${id}". Change the file's \`id:\` (and its name) and upload it again, or duplicate the existing scenario instead.`, { field: 'file' });
			}
			return { ok: true, value: { draft: await insertDraft(db, author, id, source, null, now), errors } };
		});
}

// ── Drafts and publishing ────────────────────────────────────────────────────────────────────

export const STALE_DRAFT_MESSAGE =
	'This draft was changed somewhere else (another tab, or another tutor) after you opened it, so your change was not saved. Here is the draft as it is now: make your change again.';

/**
 * Saves a draft whatever its state (an invalid draft is still the tutor's work); only its size is
 * limited. With `expectedUpdatedAt` (when the editor that made the change loaded the draft), a draft
 * changed since then is not overwritten: 'draft.stale'.
 */
export async function saveDraft(
	db: Db,
	author: Author,
	scenarioId: string,
	source: string,
	now = new Date(),
	expectedUpdatedAt?: string
): Promise<AuthoringResult<CentreScenario>> {
	const current = await centreRow(db, author, scenarioId);
	if (!current) return NOT_FOUND;
	if (expectedUpdatedAt !== undefined && current.updatedAt !== expectedUpdatedAt) return failure('draft.stale', STALE_DRAFT_MESSAGE);
	if (byteLength(source) > MAX_SOURCE_BYTES) {
		return failure('draft.too-large', `The draft is ${Math.ceil(byteLength(source) / 1024)} kB; a scenario may be at most ${MAX_SOURCE_LABEL}. It was not saved: shorten it first.`, { field: 'source' });
	}
	const row = await dbGet(db
		.update(centreScenario)
		.set({ draftSource: source, updatedBy: author.id, updatedAt: now.toISOString() })
		.where(and(eq(centreScenario.scenarioId, scenarioId), eq(centreScenario.organisationId, author.organisationId)))
		.returning());
	return row ? { ok: true, value: row } : NOT_FOUND;
}

/**
 * Publishes the saved draft as a new immutable version and makes it the current one. Attempts
 * already made keep the version they pinned. A draft with errors is refused with the errors.
 */
export async function publishDraft(db: Db, author: Author, scenarioId: string, now = new Date()): Promise<AuthoringResult<ScenarioVersion>> {
	const draft = await centreRow(db, author, scenarioId);
	if (!draft) {
		const builtIn = await dbGet(db.select({ id: scenarioVersion.id }).from(scenarioVersion).where(and(eq(scenarioVersion.scenarioId, scenarioId), eq(scenarioVersion.origin, 'built-in'))));
		return builtIn ? failure('scenario.built-in', 'A built-in scenario is published from its file in the repository. Duplicate it to make a version of your own.') : NOT_FOUND;
	}
	const run = await runScenarioJob('checkSource', { file: draftFile(scenarioId), source: draft.draftSource });
	if (!run.ok) return failure('scenario.not-checked', run.error.message);
	const checked = run.value;
	if (!checked.ok) {
		const n = checked.errors.length;
		return failure('scenario.invalid', `The draft has ${n} problem${n === 1 ? '' : 's'}: fix ${n === 1 ? 'it' : 'them'} before publishing.`, { errors: checked.errors });
	}
	const { loaded } = checked;
	const id = `${scenarioId}@${loaded.version}`;
	return await writeTransaction(db, async (): Promise<AuthoringResult<ScenarioVersion>> => {
			// Never mix origins under one id: a built-in file with this id would make two current versions.
			const clash = await dbGet(db.select({ id: scenarioVersion.id }).from(scenarioVersion).where(and(eq(scenarioVersion.scenarioId, scenarioId), ne(scenarioVersion.origin, 'centre'))));
			if (clash) return failure('scenario.built-in', `"${scenarioId}" is also a built-in scenario's id: duplicate this draft under another id to publish it.`);
			await dbRun(db.update(scenarioVersion)
				.set({ current: false })
				.where(and(eq(scenarioVersion.scenarioId, scenarioId), eq(scenarioVersion.origin, 'centre'))));
			const existing = await dbGet(db.select().from(scenarioVersion).where(eq(scenarioVersion.id, id)));
			if (existing) {
				// The same text as an earlier version: that version becomes current again (versions are immutable).
				return { ok: true, value: (await dbGet(db.update(scenarioVersion).set({ current: true }).where(eq(scenarioVersion.id, id)).returning()))! };
			}
			const row = await dbGet(db
				.insert(scenarioVersion)
				.values({
					id,
					scenarioId,
					version: loaded.version,
					hash: loaded.hash,
					title: loaded.scenario.title,
					difficulty: loaded.scenario.difficulty,
					criteria: [...loaded.scenario.criteria],
					source: draft.draftSource,
					origin: 'centre',
					publishedAt: now.toISOString(),
					current: true
				})
				.returning());
			return { ok: true, value: row };
		});
}

// ── Archive ──────────────────────────────────────────────────────────────────────────────────

/**
 * Withdraws a scenario from learners' lists (or brings it back). Its versions and attempts stay;
 * attempts in progress can still be finished, as they run on their pinned version.
 */
export async function setArchived(db: Db, author: Author, scenarioId: string, archived: boolean, now = new Date()): Promise<AuthoringResult<{ archived: boolean }>> {
	if (!await libraryEntry(db, author, scenarioId)) return NOT_FOUND;
	if (archived) {
		await dbRun(db.insert(scenarioArchive).values({ scenarioId, archivedBy: author.id, archivedAt: now.toISOString() }).onConflictDoNothing());
	} else {
		await dbRun(db.delete(scenarioArchive).where(eq(scenarioArchive.scenarioId, scenarioId)));
	}
	return { ok: true, value: { archived } };
}

// ── Export ───────────────────────────────────────────────────────────────────────────────────

/** The YAML of a version (`scenarioId@version`) or of the draft (`draft`), for a download. */
export async function exportSource(db: Db, author: Author, scenarioId: string, which: string): Promise<{ fileName: string; source: string } | undefined> {
	const entry = await libraryEntry(db, author, scenarioId);
	if (!entry) return undefined;
	if (which === 'draft') {
		const draft = await centreRow(db, author, scenarioId);
		return draft ? { fileName: `${scenarioId}.yaml`, source: draft.draftSource } : undefined;
	}
	const versionId = which === '' || which === 'current' ? entry.versions.find((v) => v.current)?.id : which;
	if (!versionId || !entry.versions.some((v) => v.id === versionId)) return undefined;
	const row = await dbGet(db.select().from(scenarioVersion).where(eq(scenarioVersion.id, versionId)));
	return row ? { fileName: `${scenarioId}.yaml`, source: row.source } : undefined;
}

/**
 * The simulation runtime: starting an attempt at a scenario, applying the learner's actions (a
 * dialogue choice, or any core operation), ending and marking it, and replaying it.
 *
 * Every write is one transaction (BEGIN IMMEDIATE); the core's operations open their own inside it,
 * which better-sqlite3 turns into savepoints, so an action and everything it causes commit together.
 *
 * Determinism: an attempt's seed fixes its workspace id and, with the action's seq, every id the
 * core gives; the scenario clock moves only by the file's steps. So the same actions on the same
 * scenario version give the same records, audit hashes, events and marking (replayAttempt checks).
 *
 * Idempotency: each action carries the seq the learner's page expects it to get. An action sent
 * again with a seq already applied (a reload, a second tab) gets the stored outcome back, marked
 * `replayed`; nothing is applied twice.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
	DEFAULT_MIGRATIONS_FOLDER,
	canonicalJson,
	directoryNames,
	getWorkspace,
	openDatabase,
	purposeNames,
	seededIds,
	verifyAuditChain,
	writeTransaction,
	type Actor,
	type CoreContext,
	type CoreError,
	type Db,
	type Result
} from '../core';
import {
	appendDialogueEvent,
	appendTranscript,
	attemptActions,
	auditEventsAfter,
	auditHead,
	eventsOf,
	findAction,
	findAttempt,
	insertAttempt,
	storeAction,
	recordEnd,
	recordProgress,
	toView,
	type AttemptView,
	type TranscriptWindow
} from './attempts';
import type { ActionOutcome, AttemptResult, StoredAction, TranscriptEntry } from './attempt-record';
import { addMs, durationMs } from './clock';
import { keepDeskState, startDeskState } from './desk/kept';
import { afterCoreAction, choiceAt, discloseBySpeaking, enterNode, nodeById, nodeView, type DialogueTurn } from './dialogue';
import type { SimEvent } from './events';
import { unauthorisedDisclosureLines } from './reaction';
import { markAttempt } from './marking';
import { VARIABLE_SET_EVENT } from './rules';
import { describeAction, isCoreOperation, runOperation, type ActionNames, type CoreOperationName } from './desk/registry';
import type { LoadedScenario } from './scenario-check';
import { DEFAULT_CREDIT } from './scenario-schema';
import type { AttemptRow } from './schema';
import { seedWorkspace } from './seeding';

export type { LoadedScenario } from './scenario-check';
export { CORE_OPERATIONS, type CoreOperation, type CoreOperationName } from './desk/registry';
export type { ActionOutcome, AttemptResult, NodeView, TranscriptEntry, StoredAction } from './attempt-record';
export type { AttemptView, TranscriptWindow } from './attempts';
export { attemptActions } from './attempts';

export type LearnerAction =
	/** A dialogue choice at the current node. */
	| { kind: 'choice'; choiceId: string }
	/** Any core operation with its arguments. */
	| { kind: 'core'; operation: CoreOperationName; input: unknown };

export interface StartOptions {
	/** The server's user id of the learner: opaque here. */
	ownerId: string;
	/** Fixes every id of the attempt; a random one by default. */
	seed?: string;
	/** Default: derived from the seed. */
	attemptId?: string;
	/** The learner as the core records them; default { id: ownerId }. The role is always the scenario's learnerRole. */
	actor?: Actor;
	/** The wall clock, for startedAt (tests). */
	now?: () => string;
}

/** Who speaks for the record system in the transcript. */
const SYSTEM = 'Record system';

const wallClock = () => new Date().toISOString();

/** An expected failure found inside a transaction: thrown to roll it back, returned as a typed error. */
class Refusal extends Error {
	constructor(readonly error: CoreError) {
		super(error.message);
	}
}

function refuse(code: string, message: string): never {
	throw new Refusal({ code, message });
}

/** One write transaction; a Refusal inside rolls it back and comes out as a typed error. */
async function transact<T>(db: Db, fn: () => T | Promise<T>): Promise<Result<T>> {
	try {
		return { ok: true, value: await writeTransaction(db, fn) };
	} catch (error) {
		if (error instanceof Refusal) return { ok: false, error: error.error };
		throw error;
	}
}

/** The same seed gives the same ids, in a database of their own or in a replay. */
const derivedId = (seed: string, what: string) => seededIds(`${seed}:${what}`)();

/** Values stored as JSON come back as JSON: what an action returns is what a replay of it returns. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function checkVersion(row: AttemptRow, loaded: LoadedScenario): void {
	if (row.scenarioId !== loaded.scenario.id || row.scenarioVersion !== loaded.version) {
		refuse(
			'attempt.version-mismatch',
			`This attempt was started on ${row.scenarioId} version ${row.scenarioVersion}; it can only go on with that version (given ${loaded.scenario.id} ${loaded.version}).`
		);
	}
}

async function loadAttempt(db: Db, attemptId: string): Promise<AttemptRow> {
	return await findAttempt(db, attemptId) ?? refuse('attempt.not-found', `No attempt ${attemptId}.`);
}

/**
 * Starts an attempt: a new workspace seeded from the scenario through the core (record mode, the
 * scenario's organisation), the clock at the scenario's start, and the dialogue entered.
 */
export async function startAttempt(db: Db, loaded: LoadedScenario, options: StartOptions): Promise<Result<AttemptView>> {
	const scenario = loaded.scenario;
	const seed = options.seed ?? randomUUID();
	const attemptId = options.attemptId ?? derivedId(seed, 'attempt');
	const workspaceId = derivedId(seed, 'workspace');
	return await transact(db, async () => {
		if (await findAttempt(db, attemptId)) refuse('attempt.exists', `An attempt ${attemptId} already exists.`);
		if ((await getWorkspace(db, workspaceId)).ok) refuse('attempt.seed-in-use', `An attempt with the seed "${seed}" already exists in this database: use another seed.`);
		const seeded = await seedWorkspace(db, scenario, { workspaceId, ids: seededIds(`${seed}:seed`) });
		if (!seeded.ok) {
			refuse('attempt.seed-failed', `${loaded.file}: ${seeded.error.path}: ${seeded.error.message}`);
		}
		const row: AttemptRow = {
			id: attemptId,
			ownerId: options.ownerId,
			scenarioId: scenario.id,
			scenarioVersion: loaded.version,
			scenarioHash: loaded.hash,
			workspaceId,
			seed,
			actor: { id: options.actor?.id ?? options.ownerId, ...(options.actor?.name === undefined ? {} : { name: options.actor.name }), role: scenario.learnerRole },
			status: 'in-progress',
			currentNode: null,
			node: null,
			clock: new Date(Date.parse(scenario.clock.start)).toISOString(),
			nextActionSeq: 1,
			seedAuditSeq: seeded.value.auditSeq,
			seedIds: seeded.value.seedIds,
			startedAt: (options.now ?? wallClock)(),
			endedAt: null,
			result: null
		};
		await insertAttempt(db, row);
		await startDeskState(db, row.id);
		const turn = attemptTurn(db, row, loaded, 0, seededIds(`${seed}:0`));
		const node = await enterNode(turn, scenario.dialogue.start);
		await recordProgress(db, row.id, { currentNode: node.id, node: nodeView(scenario, node), clock: turn.now(), nextActionSeq: 1 });
		return await toView(db, await loadAttempt(db, row.id));
	});
}

/** The turn an action takes: the attempt's clock, log and transcript, with ids from the action's generator. */
function attemptTurn(db: Db, row: AttemptRow, loaded: LoadedScenario, actionSeq: number, ids: () => string): DialogueTurn & { said: TranscriptEntry[]; ids: () => string } {
	let now = row.clock;
	const said: TranscriptEntry[] = [];
	return {
		scenario: loaded.scenario,
		seedIds: row.seedIds,
		ids,
		said,
		now: () => now,
		advance(ms) {
			now = addMs(now, ms);
		},
		events: async () => await eventsOf(db, row),
		async emit(name, details) {
			const id = ids();
			await appendDialogueEvent(db, row.id, { id, actionSeq, afterAuditSeq: await auditHead(db, row.workspaceId), at: now, name, details });
			return id;
		},
		async say(line) {
			said.push(await appendTranscript(db, row.id, actionSeq, line));
		}
	};
}

const actionSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('choice'), choiceId: z.string().min(1) }),
	z.object({ kind: z.literal('core'), operation: z.string().min(1), input: z.unknown() })
]);

/** An action's identity for "was this already applied?": kind, name and input, canonically. */
function sameAction(stored: { kind: string; name: string; input: unknown }, kind: string, name: string, input: unknown): boolean {
	return stored.kind === kind && stored.name === name && canonicalJson(stored.input ?? null) === canonicalJson(input ?? null);
}

/**
 * Applies one learner action, as action `expectedActionSeq` of the attempt. A dialogue choice must
 * be one of the current node's choices; a core operation runs as the learner, and its error, if
 * any, is a normal outcome (stored and returned), not a failure of this call.
 */
export async function applyAction(db: Db, loaded: LoadedScenario, attemptId: string, action: LearnerAction, options: { expectedActionSeq: number }): Promise<Result<ActionOutcome>> {
	const parsedAction = actionSchema.safeParse(action);
	if (!parsedAction.success) return { ok: false, error: { code: 'invalid', message: 'An action is a dialogue choice { kind: "choice", choiceId } or a core operation { kind: "core", operation, input }.' } };
	const seq = options.expectedActionSeq;
	if (!Number.isInteger(seq) || seq < 1) return { ok: false, error: { code: 'invalid', field: 'expectedActionSeq', message: 'The expected action seq is a whole number from 1.' } };
	const a = parsedAction.data;
	const name = a.kind === 'choice' ? a.choiceId : a.operation;
	let input: unknown = null;
	if (a.kind === 'core') {
		try {
			// What is stored is what runs: a replay gives the operation exactly this.
			input = a.input === undefined ? null : asJson(a.input);
		} catch {
			return { ok: false, error: { code: 'invalid', field: 'input', message: 'The input must be JSON data.' } };
		}
	}
	return await transact(db, async () => {
		const row = await loadAttempt(db, attemptId);
		checkVersion(row, loaded);
		if (seq < row.nextActionSeq) {
			const stored = await findAction(db, attemptId, seq);
			if (stored && sameAction(stored, a.kind, name, input)) return { ...stored.outcome, replayed: true };
			refuse('attempt.stale', `Action ${seq} of this attempt was something else, and the attempt has moved on to action ${row.nextActionSeq}: reload to see where it is.`);
		}
		if (row.status === 'ended') refuse('attempt.ended', 'This attempt has ended: start a new attempt to play the scenario again.');
		if (seq > row.nextActionSeq) refuse('attempt.stale', `The attempt is at action ${row.nextActionSeq}, not ${seq}: reload to see where it is.`);
		if (a.kind === 'core' && !isCoreOperation(a.operation)) refuse('operation.unknown', `The system has no operation “${a.operation}”.`);

		const turn = attemptTurn(db, row, loaded, seq, seededIds(`${row.seed}:${seq}`));
		const scenario = loaded.scenario;
		const at = turn.now();
		const ctx: CoreContext = { db, workspaceId: row.workspaceId, actor: row.actor, clock: turn.now, ids: turn.ids };
		let node = row.currentNode === null ? null : nodeById(scenario, row.currentNode);
		let core: Result<unknown> | undefined;

		if (a.kind === 'choice') {
			const choice = node === null ? undefined : choiceAt(scenario, node.id, a.choiceId);
			if (node === null || !choice) {
				refuse('dialogue.unknown-choice', node?.end ? 'The conversation has ended: there is nothing more to say.' : `“${a.choiceId}” is not one of the choices at this point of the conversation.`);
			}
			const eventIds = choice.event === undefined ? [] : [await turn.emit(choice.event, { node: node.id, choice: choice.id })];
			if (choice.quality !== undefined) {
				const credit = choice.credit ?? DEFAULT_CREDIT[choice.quality];
				eventIds.push(await turn.emit('choice.made', { node: node.id, choice: choice.id, quality: choice.quality, credit, point: choice.point ?? null }));
			}
			// Each variable set is an event, so branches and marking stay functions of the log and a replay sets the same.
			for (const [name, value] of Object.entries(choice.set ?? {})) {
				eventIds.push(await turn.emit(VARIABLE_SET_EVENT, { node: node.id, choice: choice.id, name, value }));
			}
			let written: Omit<SimEvent, 'seq'>[] = [];
			if (choice.discloses?.logBy === 'learner') {
				// The learner must record it in the system: only that they said it goes in the log now.
				const { customer, fields } = choice.discloses;
				eventIds.push(await turn.emit('disclosure.spoken', { node: node.id, choice: choice.id, customer, fields }));
			} else if (choice.discloses) {
				const before = await auditHead(db, row.workspaceId);
				core = await discloseBySpeaking(ctx, scenario, node, choice.discloses, row.seedIds);
				written = await auditEventsAfter(db, row.workspaceId, before);
				eventIds.push(...written.map((e) => e.id));
			}
			await turn.say({ at, kind: 'learner', who: row.actor.name ?? 'Learner', text: choice.label, eventIds });
			for (const line of unauthorisedDisclosureLines(scenario, written, core?.ok ? core.value : undefined, at)) await turn.say(line);
			turn.advance(durationMs(scenario.clock.dialogueStep));
			node = await enterNode(turn, choice.goto);
		} else {
			const operation = a.operation as CoreOperationName;
			const before = await auditHead(db, row.workspaceId);
			core = await runOperation(operation, ctx, input);
			const written = (await auditEventsAfter(db, row.workspaceId, before)).map(({ auditSeq, ...e }) => ({ ...e, seq: auditSeq }));
			await turn.say({ at, kind: 'system', who: SYSTEM, text: describeAction(operation, input, core, await organisationNames(ctx)), eventIds: written.map((e) => e.id) });
			for (const line of unauthorisedDisclosureLines(scenario, written, core.ok ? core.value : undefined, at)) await turn.say(line);
			turn.advance(durationMs(scenario.clock.coreAction));
			if (node !== null) node = await afterCoreAction(turn, node.id, written);
		}

		const view = node === null ? null : nodeView(scenario, node);
		const outcome: ActionOutcome = asJson({
			actionSeq: seq,
			clock: turn.now(),
			...(core === undefined ? {} : { core: core.ok ? { ok: true as const, value: core.value ?? null } : { ok: false as const, error: core.error } }),
			transcript: turn.said,
			node: view,
			replayed: false
		});
		await recordProgress(db, row.id, { currentNode: node?.id ?? null, node: view, clock: turn.now(), nextActionSeq: seq + 1 });
		// The stored outcome is what a repeat of this action returns.
		const stored: StoredAction = { seq, kind: a.kind, name, input, outcome, at };
		await storeAction(db, row.id, stored);
		await keepDeskState(db, row.id, stored);
		return outcome;
	});
}

/**
 * What the attempt's organisation calls its purposes and directory entries: the transcript's line
 * for an action names them as the learner's screen does, never by code (retired purposes too, so a
 * refusal for one still names it).
 */
async function organisationNames(ctx: CoreContext): Promise<ActionNames> {
	return { purposes: await purposeNames(ctx), recipients: await directoryNames(ctx) };
}

/** Ends the attempt and marks it; ending again returns the same result. */
export async function endAttempt(db: Db, loaded: LoadedScenario, attemptId: string, options: { now?: () => string } = {}): Promise<Result<AttemptResult>> {
	return await transact(db, async () => {
		const row = await loadAttempt(db, attemptId);
		checkVersion(row, loaded);
		if (row.status === 'ended' && row.result) return row.result;
		const marking = markAttempt(loaded.scenario, await eventsOf(db, row), { seedIds: row.seedIds });
		const endedAt = (options.now ?? wallClock)();
		const result: AttemptResult = asJson({ ...marking, endedAt, clock: row.clock, scenarioVersion: row.scenarioVersion });
		await recordEnd(db, row.id, endedAt, result);
		return result;
	});
}

/** The attempt as its pages read it; the screen asks for only the transcript's last lines. */
export async function getAttempt(db: Db, attemptId: string, options: { transcript?: TranscriptWindow } = {}): Promise<AttemptView | undefined> {
	const row = await findAttempt(db, attemptId);
	return row && await toView(db, row, options.transcript);
}

/** The marking log: the core's events after seeding and the dialogue's events, in one seq order. */
export async function attemptEvents(db: Db, attemptId: string): Promise<SimEvent[]> {
	const row = await findAttempt(db, attemptId);
	return row ? await eventsOf(db, row) : [];
}

export interface ReplayOptions {
	/** Where to replay: by default a fresh in-memory database, so the replay leaves nothing behind. */
	into?: Db;
	migrationsFolder?: string;
}

/**
 * Starts the attempt again from its seed in another database (ids and workspace included, so the
 * two can be compared byte for byte), applies the stored actions in order, and compares every
 * action's outcome, the event logs (ids, names, details, fields, subjects, times), the audit
 * chains and the marking.
 */
export async function replayAttempt(
	db: Db,
	loaded: LoadedScenario,
	attemptId: string,
	options: ReplayOptions = {}
): Promise<Result<{ attemptId: string; identical: boolean; differences: string[] }>> {
	const row = await findAttempt(db, attemptId);
	if (!row) return { ok: false, error: { code: 'attempt.not-found', message: `No attempt ${attemptId}.` } };
	if (row.scenarioId !== loaded.scenario.id || row.scenarioVersion !== loaded.version) {
		return { ok: false, error: { code: 'attempt.version-mismatch', message: `This attempt was played on ${row.scenarioVersion}; replay it with that version.` } };
	}
	const target = options.into ?? openDatabase(':memory:', { migrationsFolder: options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER });
	try {
		const differences: string[] = [];
		const differ = (what: string, original: unknown, replayed: unknown) => {
			const a = canonicalJson(original ?? null);
			const b = canonicalJson(replayed ?? null);
			if (a !== b) differences.push(`${what}: was ${clip(a)}, replayed ${clip(b)}`);
		};
		const started = await startAttempt(target, loaded, { ownerId: row.ownerId, seed: row.seed, attemptId: row.id, actor: row.actor, now: () => row.startedAt });
		if (!started.ok) return { ok: false, error: started.error };
		differ('workspace', row.workspaceId, started.value.workspaceId);
		differ('seeded records', row.seedIds, started.value.seedIds);
		const replayedRow = (await findAttempt(target, row.id))!;
		differ('seeded history (audit entries)', row.seedAuditSeq, replayedRow.seedAuditSeq);

		for (const stored of await attemptActions(db, row.id)) {
			const action: LearnerAction = stored.kind === 'choice' ? { kind: 'choice', choiceId: stored.name } : { kind: 'core', operation: stored.name as CoreOperationName, input: stored.input };
			const applied = await applyAction(target, loaded, row.id, action, { expectedActionSeq: stored.seq });
			if (!applied.ok) {
				differences.push(`action ${stored.seq} (${stored.name}): was applied, replayed refused: ${applied.error.message}`);
				break;
			}
			differ(`action ${stored.seq} (${stored.name})`, stored.outcome, applied.value);
		}

		const original = await eventsOf(db, row);
		const replayed = await eventsOf(target, replayedRow);
		if (original.length !== replayed.length) differences.push(`event log: ${original.length} events, replayed ${replayed.length}`);
		original.forEach((event, i) => differ(`event ${event.seq} (${event.name})`, event, replayed[i]));

		const chain = await verifyAuditChain(db, row.workspaceId);
		const replayedChain = await verifyAuditChain(target, row.workspaceId);
		differ('audit chain', chain, replayedChain);

		const marking = markAttempt(loaded.scenario, original, { seedIds: row.seedIds });
		const replayedMarking = markAttempt(loaded.scenario, replayed, { seedIds: replayedRow.seedIds });
		differ('marking', marking, replayedMarking);
		if (row.result) {
			const { endedAt: _endedAt, ...stored } = row.result;
			differ('stored marking', stored, { ...marking, clock: row.clock, scenarioVersion: row.scenarioVersion });
		}
		return { ok: true, value: { attemptId: row.id, identical: differences.length === 0, differences } };
	} finally {
		if (options.into === undefined) target.$client.close();
	}
}

function clip(text: string): string {
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * The attempt as stored: its row, its actions, its dialogue events and transcript lines, and the
 * one event log marking reads (the workspace's audit entries after seeding, merged with the
 * dialogue's events). Reading and writing only: what an action does is runtime.ts and dialogue.ts.
 */
import type Database from 'better-sqlite3';
import type { CoreError, Db } from '../core';
import type { SimEvent } from './events';
import type { MarkingResult } from './marking';
import { attempt, type AttemptRow } from './schema';

/** The dialogue node the attempt rests at, as the learner sees it. */
export interface NodeView {
	id: string;
	/** Who speaks; null for narration. */
	speaker: { key: string; name: string; role: string } | null;
	text: string;
	choices: { id: string; label: string }[];
	/**
	 * While the dialogue waits for something done in the system: a neutral line (the node's
	 * waitingText, or "<speaker> is waiting while you work in the system"), never what to do; else null.
	 */
	waitingFor: string | null;
	/** The dialogue has finished; the learner may still work in the system before ending the attempt. */
	ended: boolean;
}

export interface TranscriptEntry {
	seq: number;
	/** On the scenario clock (ISO 8601 UTC). */
	at: string;
	/** 'system': a core action and its outcome in plain words. */
	kind: 'persona' | 'narration' | 'learner' | 'system';
	who: string;
	text: string;
	/** The events this line shows. */
	eventIds: string[];
}

export interface ActionOutcome {
	actionSeq: number;
	/** The scenario clock after the action. */
	clock: string;
	/** A core operation's result, or the disclosure a choice made; an error is an outcome, not a failure. */
	core?: { ok: true; value: unknown } | { ok: false; error: CoreError };
	/** The transcript lines this action added. */
	transcript: TranscriptEntry[];
	node: NodeView | null;
	/** True when the action had already been applied: this is its stored outcome, nothing was applied again. */
	replayed: boolean;
}

export interface AttemptResult extends MarkingResult {
	/** When the attempt was ended (wall clock, ISO 8601 UTC). */
	endedAt: string;
	/** The scenario clock when it was ended. */
	clock: string;
	scenarioVersion: string;
}

export interface AttemptView {
	id: string;
	ownerId: string;
	scenarioId: string;
	scenarioVersion: string;
	workspaceId: string;
	status: 'in-progress' | 'ended';
	/** Now on the scenario clock (ISO 8601 UTC). */
	clock: string;
	/** The seq the next action must be sent with. */
	nextActionSeq: number;
	node: NodeView | null;
	transcript: TranscriptEntry[];
	/** Seed key → id of the record the core created for it. */
	seedIds: Record<string, string>;
	result: AttemptResult | null;
	startedAt: string;
	endedAt: string | null;
}

// ── Statements ───────────────────────────────────────────────────────────────────────────────
// An action reads and writes these rows several times: prepared once per connection (as the core's
// audit log does), with the SQL in view. The tables are defined in schema.ts.

interface AttemptSqlRow {
	id: string;
	owner_id: string;
	scenario_id: string;
	scenario_version: string;
	scenario_hash: string;
	workspace_id: string;
	seed: string;
	actor: string;
	status: AttemptRow['status'];
	current_node: string | null;
	node: string | null;
	clock: string;
	next_action_seq: number;
	seed_audit_seq: number;
	seed_ids: string;
	started_at: string;
	ended_at: string | null;
	result: string | null;
}

interface ActionSqlRow {
	seq: number;
	kind: StoredAction['kind'];
	name: string;
	input: string | null;
	outcome: string;
	at: string;
}

interface EventSqlRow {
	seq: number;
	id: string;
	after_audit_seq: number;
	at: string;
	name: string;
	details: string;
}

interface AuditSqlRow {
	seq: number;
	id: string;
	at: string;
	action: string;
	subject: string | null;
	fields: string;
	details: string;
}

function prepareStatements(client: Database.Database) {
	return {
		attempt: client.prepare<[string], AttemptSqlRow>('select * from attempt where id = ?'),
		progress: client.prepare<{ id: string; currentNode: string | null; node: string | null; clock: string; nextActionSeq: number }>(
			'update attempt set current_node = @currentNode, node = @node, clock = @clock, next_action_seq = @nextActionSeq where id = @id'
		),
		end: client.prepare<{ id: string; endedAt: string; result: string }>("update attempt set status = 'ended', ended_at = @endedAt, result = @result where id = @id"),
		action: client.prepare<[string, number], ActionSqlRow>('select seq, kind, name, input, outcome, at from attempt_action where attempt_id = ? and seq = ?'),
		actions: client.prepare<[string], ActionSqlRow>('select seq, kind, name, input, outcome, at from attempt_action where attempt_id = ? order by seq'),
		storeAction: client.prepare<{ attemptId: string; seq: number; kind: string; name: string; input: string | null; outcome: string; at: string }>(
			'insert into attempt_action (attempt_id, seq, kind, name, input, outcome, at) values (@attemptId, @seq, @kind, @name, @input, @outcome, @at)'
		),
		appendEvent: client.prepare<{ attemptId: string; id: string; actionSeq: number; afterAuditSeq: number; at: string; name: string; details: string }>(
			`insert into attempt_event (attempt_id, seq, id, action_seq, after_audit_seq, at, name, details)
			 values (@attemptId, (select coalesce(max(seq), 0) + 1 from attempt_event where attempt_id = @attemptId), @id, @actionSeq, @afterAuditSeq, @at, @name, @details)`
		),
		events: client.prepare<[string], EventSqlRow>('select seq, id, after_audit_seq, at, name, details from attempt_event where attempt_id = ? order by seq'),
		appendLine: client.prepare<{ attemptId: string; actionSeq: number; at: string; kind: string; who: string; text: string; eventIds: string }, { seq: number }>(
			`insert into attempt_transcript (attempt_id, seq, action_seq, at, kind, who, text, event_ids)
			 values (@attemptId, (select coalesce(max(seq), 0) + 1 from attempt_transcript where attempt_id = @attemptId), @actionSeq, @at, @kind, @who, @text, @eventIds)
			 returning seq`
		),
		transcript: client.prepare<[string], { seq: number; at: string; kind: TranscriptEntry['kind']; who: string; text: string; event_ids: string }>(
			'select seq, at, kind, who, text, event_ids from attempt_transcript where attempt_id = ? order by seq'
		),
		// The core's audit log, read from where an attempt's part starts (the core reads whole workspaces).
		auditAfter: client.prepare<[string, number], AuditSqlRow>(
			'select seq, id, at, action, subject, fields, details from audit_entry where workspace_id = ? and seq > ? order by seq'
		),
		auditHead: client.prepare<[string], { head: number }>('select coalesce(max(seq), 0) as head from audit_entry where workspace_id = ?')
	};
}

const statementCache = new WeakMap<Database.Database, ReturnType<typeof prepareStatements>>();

function statements(db: Db) {
	let cached = statementCache.get(db.$client);
	if (!cached) {
		cached = prepareStatements(db.$client);
		statementCache.set(db.$client, cached);
	}
	return cached;
}

const parseJson = <T>(text: string): T => JSON.parse(text) as T;

// ── Attempts ─────────────────────────────────────────────────────────────────────────────────

export function findAttempt(db: Db, attemptId: string): AttemptRow | undefined {
	const row = statements(db).attempt.get(attemptId);
	return (
		row && {
			id: row.id,
			ownerId: row.owner_id,
			scenarioId: row.scenario_id,
			scenarioVersion: row.scenario_version,
			scenarioHash: row.scenario_hash,
			workspaceId: row.workspace_id,
			seed: row.seed,
			actor: parseJson(row.actor),
			status: row.status,
			currentNode: row.current_node,
			node: row.node === null ? null : parseJson(row.node),
			clock: row.clock,
			nextActionSeq: row.next_action_seq,
			seedAuditSeq: row.seed_audit_seq,
			seedIds: parseJson(row.seed_ids),
			startedAt: row.started_at,
			endedAt: row.ended_at,
			result: row.result === null ? null : parseJson(row.result)
		}
	);
}

export function insertAttempt(db: Db, row: AttemptRow): void {
	db.insert(attempt).values(row).run();
}

/** Where the attempt has got to: its node, clock and the seq the next action takes. */
export function recordProgress(db: Db, attemptId: string, progress: { currentNode: string | null; node: NodeView | null; clock: string; nextActionSeq: number }): void {
	statements(db).progress.run({ id: attemptId, ...progress, node: progress.node === null ? null : JSON.stringify(progress.node) });
}

export function recordEnd(db: Db, attemptId: string, endedAt: string, result: AttemptResult): void {
	statements(db).end.run({ id: attemptId, endedAt, result: JSON.stringify(result) });
}

// ── Actions ──────────────────────────────────────────────────────────────────────────────────

export interface StoredAction {
	seq: number;
	kind: 'choice' | 'core';
	name: string;
	input: unknown;
	outcome: ActionOutcome;
	at: string;
}

const toAction = (row: ActionSqlRow): StoredAction => ({
	seq: row.seq,
	kind: row.kind,
	name: row.name,
	input: row.input === null ? null : parseJson(row.input),
	outcome: parseJson(row.outcome),
	at: row.at
});

export function storeAction(db: Db, attemptId: string, action: StoredAction): void {
	statements(db).storeAction.run({
		attemptId,
		seq: action.seq,
		kind: action.kind,
		name: action.name,
		input: action.input === null || action.input === undefined ? null : JSON.stringify(action.input),
		outcome: JSON.stringify(action.outcome),
		at: action.at
	});
}

export function findAction(db: Db, attemptId: string, seq: number): StoredAction | undefined {
	const row = statements(db).action.get(attemptId, seq);
	return row && toAction(row);
}

/** The learner's actions in the order they were applied. */
export function attemptActions(db: Db, attemptId: string): StoredAction[] {
	return statements(db).actions.all(attemptId).map(toAction);
}

// ── The attempt's log: dialogue events and transcript lines ──────────────────────────────────

export interface DialogueEventInput {
	id: string;
	actionSeq: number;
	afterAuditSeq: number;
	at: string;
	name: string;
	details: Record<string, unknown>;
}

export function appendDialogueEvent(db: Db, attemptId: string, event: DialogueEventInput): void {
	statements(db).appendEvent.run({ attemptId, ...event, details: JSON.stringify(event.details) });
}

export function appendTranscript(db: Db, attemptId: string, actionSeq: number, line: Omit<TranscriptEntry, 'seq'>): TranscriptEntry {
	const inserted = statements(db).appendLine.get({ attemptId, actionSeq, at: line.at, kind: line.kind, who: line.who, text: line.text, eventIds: JSON.stringify(line.eventIds) });
	return { seq: inserted!.seq, ...line };
}

export function transcriptOf(db: Db, attemptId: string): TranscriptEntry[] {
	return statements(db)
		.transcript.all(attemptId)
		.map((row) => ({ seq: row.seq, at: row.at, kind: row.kind, who: row.who, text: row.text, eventIds: parseJson<string[]>(row.event_ids) }));
}

/** The workspace's audit entries after `afterSeq`, as events (with their audit seq). */
export function auditEventsAfter(db: Db, workspaceId: string, afterSeq: number): (Omit<SimEvent, 'seq'> & { auditSeq: number })[] {
	return statements(db)
		.auditAfter.all(workspaceId, afterSeq)
		.map((e) => ({
			auditSeq: e.seq,
			id: e.id,
			at: e.at,
			source: 'core' as const,
			name: e.action,
			...(e.subject === null ? {} : { subject: e.subject }),
			fields: parseJson<string[]>(e.fields),
			details: parseJson<Record<string, unknown>>(e.details)
		}));
}

/** The seq of the workspace's latest audit entry (0 before the first). */
export function auditHead(db: Db, workspaceId: string): number {
	return statements(db).auditHead.get(workspaceId)?.head ?? 0;
}

/**
 * The attempt's one event log: the workspace's audit entries after seeding and the dialogue's
 * events, in one order. A dialogue event emitted when the audit log's head was entry n comes after
 * entry n and before entry n + 1; events only ever join at the end, so every event keeps its seq
 * as the attempt goes on.
 */
export function eventsOf(db: Db, row: Pick<AttemptRow, 'id' | 'workspaceId' | 'seedAuditSeq'>): SimEvent[] {
	type Keyed = { key: [number, number, number]; event: Omit<SimEvent, 'seq'> };
	const keyed: Keyed[] = auditEventsAfter(db, row.workspaceId, row.seedAuditSeq).map(({ auditSeq, ...event }) => ({ key: [auditSeq, 0, 0], event }));
	for (const e of statements(db).events.all(row.id)) {
		keyed.push({ key: [e.after_audit_seq, 1, e.seq], event: { id: e.id, at: e.at, source: 'dialogue', name: e.name, details: parseJson(e.details) } });
	}
	keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
	return keyed.map((k, i) => ({ ...k.event, seq: i + 1 }));
}

export function toView(db: Db, row: AttemptRow): AttemptView {
	return {
		id: row.id,
		ownerId: row.ownerId,
		scenarioId: row.scenarioId,
		scenarioVersion: row.scenarioVersion,
		workspaceId: row.workspaceId,
		status: row.status,
		clock: row.clock,
		nextActionSeq: row.nextActionSeq,
		node: row.node ?? null,
		transcript: transcriptOf(db, row.id),
		seedIds: row.seedIds,
		result: row.result ?? null,
		startedAt: row.startedAt,
		endedAt: row.endedAt
	};
}

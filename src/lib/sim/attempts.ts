/**
 * The attempt as stored: its row, its actions, its dialogue events and transcript lines, and the
 * one event log marking reads (the workspace's audit entries after seeding, merged with the
 * dialogue's events). Reading and writing only: what an action does is runtime.ts and dialogue.ts.
 */
import { dbRun } from '$lib/core/database';
import { preparedStatements, type Db, type StatementFactory } from '../core';
import type { ActionOutcome, AttemptResult, NodeView, StoredAction, TranscriptEntry } from './attempt-record';
import type { SimEvent } from './events';
import { attempt, type AttemptRow } from './schema';

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
	/** The transcript, whole or its last lines (TranscriptWindow). */
	transcript: TranscriptEntry[];
	/** How many lines come before the first of `transcript` (0 when it is whole). */
	earlierLines: number;
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

interface TranscriptSqlRow {
	seq: number;
	at: string;
	kind: TranscriptEntry['kind'];
	who: string;
	text: string;
	event_ids: string;
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

function prepareStatements(client: StatementFactory) {
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
		transcript: client.prepare<[string], TranscriptSqlRow>('select seq, at, kind, who, text, event_ids from attempt_transcript where attempt_id = ? order by seq'),
		// Lines are numbered 1, 2, 3 … with no gaps, so the last n are those above max(seq) - n: a range of the key.
		lastLines: client.prepare<{ attemptId: string; last: number }, TranscriptSqlRow>(
			`select seq, at, kind, who, text, event_ids from attempt_transcript
			 where attempt_id = @attemptId and seq > (select coalesce(max(seq), 0) from attempt_transcript where attempt_id = @attemptId) - @last
			 order by seq`
		),
		// The core's audit log, read from where an attempt's part starts (the core reads whole workspaces).
		auditAfter: client.prepare<[string, number], AuditSqlRow>(
			'select seq, id, at, action, subject, fields, details from audit_entry where workspace_id = ? and seq > ? order by seq'
		),
		auditHead: client.prepare<[string], { head: number }>('select coalesce(max(seq), 0) as head from audit_entry where workspace_id = ?')
	};
}

const statements = preparedStatements(prepareStatements);

const parseJson = <T>(text: string): T => JSON.parse(text) as T;

// ── Attempts ─────────────────────────────────────────────────────────────────────────────────

export async function findAttempt(db: Db, attemptId: string): Promise<AttemptRow | undefined> {
	const row = await statements(db).attempt.get(attemptId);
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

export async function insertAttempt(db: Db, row: AttemptRow): Promise<void> {
	await dbRun(db.insert(attempt).values(row));
}

/** Where the attempt has got to: its node, clock and the seq the next action takes. */
export async function recordProgress(db: Db, attemptId: string, progress: { currentNode: string | null; node: NodeView | null; clock: string; nextActionSeq: number }): Promise<void> {
	await statements(db).progress.run({ id: attemptId, ...progress, node: progress.node === null ? null : JSON.stringify(progress.node) });
}

export async function recordEnd(db: Db, attemptId: string, endedAt: string, result: AttemptResult): Promise<void> {
	await statements(db).end.run({ id: attemptId, endedAt, result: JSON.stringify(result) });
}

// ── Actions ──────────────────────────────────────────────────────────────────────────────────

const toAction = (row: ActionSqlRow): StoredAction => ({
	seq: row.seq,
	kind: row.kind,
	name: row.name,
	input: row.input === null ? null : parseJson(row.input),
	outcome: parseJson(row.outcome),
	at: row.at
});

export async function storeAction(db: Db, attemptId: string, action: StoredAction): Promise<void> {
	await statements(db).storeAction.run({
		attemptId,
		seq: action.seq,
		kind: action.kind,
		name: action.name,
		input: action.input === null || action.input === undefined ? null : JSON.stringify(action.input),
		outcome: JSON.stringify(action.outcome),
		at: action.at
	});
}

export async function findAction(db: Db, attemptId: string, seq: number): Promise<StoredAction | undefined> {
	const row = await statements(db).action.get(attemptId, seq);
	return row && toAction(row);
}

/** The learner's actions in the order they were applied. */
export async function attemptActions(db: Db, attemptId: string): Promise<StoredAction[]> {
	return (await statements(db).actions.all(attemptId)).map(toAction);
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

export async function appendDialogueEvent(db: Db, attemptId: string, event: DialogueEventInput): Promise<void> {
	await statements(db).appendEvent.run({ attemptId, ...event, details: JSON.stringify(event.details) });
}

export async function appendTranscript(db: Db, attemptId: string, actionSeq: number, line: Omit<TranscriptEntry, 'seq'>): Promise<TranscriptEntry> {
	const inserted = await statements(db).appendLine.get({ attemptId, actionSeq, at: line.at, kind: line.kind, who: line.who, text: line.text, eventIds: JSON.stringify(line.eventIds) });
	return { seq: inserted!.seq, ...line };
}

/**
 * How much of the transcript a view carries: all of it (the debrief, the assessor, the portfolio),
 * or only its last lines (the simulation screen, whose render must not grow with the attempt).
 */
export type TranscriptWindow = 'whole' | { last: number };

const toLine = (row: TranscriptSqlRow): TranscriptEntry => ({ seq: row.seq, at: row.at, kind: row.kind, who: row.who, text: row.text, eventIds: parseJson<string[]>(row.event_ids) });

export async function transcriptOf(db: Db, attemptId: string, window: TranscriptWindow = 'whole'): Promise<TranscriptEntry[]> {
	const rows = window === 'whole' ? await statements(db).transcript.all(attemptId) : await statements(db).lastLines.all({ attemptId, last: Math.max(1, Math.floor(window.last)) });
	return rows.map(toLine);
}

/** The workspace's audit entries after `afterSeq`, as events (with their audit seq). */
export async function auditEventsAfter(db: Db, workspaceId: string, afterSeq: number): Promise<(Omit<SimEvent, 'seq'> & { auditSeq: number })[]> {
	return (await statements(db)
		.auditAfter.all(workspaceId, afterSeq))
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
export async function auditHead(db: Db, workspaceId: string): Promise<number> {
	return (await statements(db).auditHead.get(workspaceId))?.head ?? 0;
}

/**
 * The attempt's one event log: the workspace's audit entries after seeding and the dialogue's
 * events, in one order. A dialogue event emitted when the audit log's head was entry n comes after
 * entry n and before entry n + 1; events only ever join at the end, so every event keeps its seq
 * as the attempt goes on.
 */
export async function eventsOf(db: Db, row: Pick<AttemptRow, 'id' | 'workspaceId' | 'seedAuditSeq'>): Promise<SimEvent[]> {
	type Keyed = { key: [number, number, number]; event: Omit<SimEvent, 'seq'> };
	const keyed: Keyed[] = (await auditEventsAfter(db, row.workspaceId, row.seedAuditSeq)).map(({ auditSeq, ...event }) => ({ key: [auditSeq, 0, 0], event }));
	for (const e of await statements(db).events.all(row.id)) {
		keyed.push({ key: [e.after_audit_seq, 1, e.seq], event: { id: e.id, at: e.at, source: 'dialogue', name: e.name, details: parseJson(e.details) } });
	}
	keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
	return keyed.map((k, i) => ({ ...k.event, seq: i + 1 }));
}

export async function toView(db: Db, row: AttemptRow, window: TranscriptWindow = 'whole'): Promise<AttemptView> {
	const transcript = await transcriptOf(db, row.id, window);
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
		transcript,
		earlierLines: (transcript[0]?.seq ?? 1) - 1,
		seedIds: row.seedIds,
		result: row.result ?? null,
		startedAt: row.startedAt,
		endedAt: row.endedAt
	};
}
